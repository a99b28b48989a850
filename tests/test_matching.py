import pytest

from procwatch.matching import (
    DEFAULT_MIN_SCORE,
    VendorNames,
    blocking_keys,
    candidate_pairs,
    compare_names,
    compare_vendors,
    find_duplicates,
    name_score,
    weight,
)
from procwatch.names import name_aliases


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # A leading "The", "&" for "and", numbers in words, titles, legal forms per language.
        ("The Homs Refinery Company", "HOMS REFINERY CORPORATION"),
        ("Rieder & Sons", "Rieder and Sons"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("1st International Bank", "First International Bank"),
        ("MR. YANG LIN", "Yang Lin"),
        ("Siemens Aktiengesellschaft", "Siemens AG"),
        ("OAO Gazprom", "Open Joint Stock Company Gazprom"),
        ("Grupo Carso S.A. de C.V.", "Grupo Carso SA"),
        (
            "Logitrans Logística Engenharia e Transportes Ltda.",
            "LOGITRANS LOGISTICA ENGENHARIA E TRANSPORTES LDA",
        ),
        (
            "Товариство з обмеженою відповідальністю «Альфа»",
            "TOVARISTVO Z OBMEZHENOIU VIDPOVIDALNISTIU ALFA",
        ),
        ("Stripe LLC", "Stripe Limited Liability Company"),
        # Misspelt names and forms, words run together, acronyms.
        ("CRISTALORD LIMITED", "CRYSTALORD LTD"),
        ("Siemens Aktiengeselschaft", "Siemens AG"),
        ("SiemensAG", "Siemens AG"),
        ("Goodwill Company", "Good Will Company"),
        ("IBM", "International Business Machines"),
        ("PLA", "People's Liberation Army"),
        ("U.S. Department of State", "United States Department of State"),
        ("TACTICAL MISSILES CORPORATION JOINT STOCK COMPAN", "TACTICAL MISSILES CORPORATION JSC"),
        # A bracketed part and "f/k/a" hold other names.
        ("Deutsche Bank (Schweiz) AG", "Deutsche Bank AG"),
        ("Meridian Works, Inc. (f/k/a Meridian Tools Inc.)", "Meridian Tools"),
    ],
)
def test_spellings_of_one_organisation_are_listed(first: str, second: str) -> None:
    assert name_score(first, second) >= DEFAULT_MIN_SCORE, compare_names(first, second).why


@pytest.mark.parametrize(
    ("first", "second", "reason"),
    [
        ("Deutsche Bank AG", "Deutsche Bank GmbH", "different legal forms (AG vs GmbH) -20"),
        (
            "ANO Iskusstvo Krasoty",
            "LLC ISKUSSTVO KRASOTY",
            "different legal forms (ANO vs LLC) -20",
        ),
        (
            "Government of Estonia",
            "Government of Ethiopia",
            "different places named (estonia vs ethiopia) -30",
        ),
        (
            "Industrial and Commercial Bank of Chad",
            "Industrial and Commercial Bank of China",
            "different places named (chad vs china) -30",
        ),
        (
            "China Railway 18th Bureau Group Co Ltd",
            "China Railway 20th Bureau Group Co Ltd",
            "different numbers (18 vs 20) -20",
        ),
        ("Management Company 23", "Management Company 5", "different numbers (23 vs 5) -20"),
        ("CRYSTALORD SYSTEMS LIMITED", "CRYSTALORD LTD", "not shared: systems"),
        ("Deutsche Bank Trust Company", "Deutsche Bank", "not shared: trust"),
        ("Alfa Holdings", "Alfa", "not shared: holdings"),
        # Two letters alone are no acronym: "AL" is not "ACTeam Logistics".
        ("ACTeam Logistics Ltd.", "AL KAYALI CORPORATION", "no word shared"),
        (
            "Alpha Construction Engineering Group",
            "Beta Construction Engineering Group",
            "alpha beta",
        ),
    ],
)
def test_different_organisations_are_not_listed_and_say_why(
    first: str, second: str, reason: str
) -> None:
    score = compare_names(first, second)
    assert score.score < DEFAULT_MIN_SCORE
    assert reason in score.why


def test_the_why_says_which_words_and_qualifiers_made_the_score() -> None:
    assert compare_names("Deutsche Bank AG", "Deutsche Bank GmbH").why == (
        "same words; different legal forms (AG vs GmbH) -20"
    )
    assert compare_names("Deutsche Bank AG", "Deutsche Bank GmbH").score == 80.0
    assert compare_names("MR. YANG LIN", "Yang Lin").why == "same name key"
    assert compare_names("Cristalord Limited", "Crystalord Ltd").why == (
        "words 90, shared: cristalord~crystalord"
    )
    via = compare_names("Deutsche Bank (Schweiz) AG", "Deutsche Bank AG")
    assert (via.score, via.first) == (97.0, "Deutsche Bank AG")
    assert via.why == "same name key; through the first without the bracketed part -3"


def test_common_words_weigh_less_than_distinctive_ones() -> None:
    assert weight("crystalord") == 1.0
    assert weight("construction") < 1.0
    assert weight("engineering") < 1.0
    assert weight("group") < 1.0
    assert weight("company") < 1.0
    assert weight("3") < 1.0
    assert weight("europe") < weight("construction")
    assert weight("of") < weight("europe")
    # Sharing only common words says little; an extra common word still tells apart.
    assert weight("trust", shared=False) > weight("trust")


def test_aliases_in_a_name() -> None:
    assert name_aliases("Acme Ltd a.k.a. Beta Trading") == [
        ("Beta Trading", "also known as"),
        ("Acme Ltd", "name before 'also known as'"),
    ]
    assert name_aliases("Alfa Ltd (formerly Beta Ltd)") == [
        ("Beta Ltd", "also known as"),
        ("Alfa Ltd", "name before 'also known as'"),
    ]
    assert name_aliases("Deutsche Bank (Schweiz) AG") == [
        ("Deutsche Bank AG", "without the bracketed part"),
        ("Schweiz", "bracketed part"),
    ]
    assert name_aliases("Al-Qa'ida/Islamic Army") == [
        ("Al-Qa'ida", "part of a name with '/'"),
        ("Islamic Army", "part of a name with '/'"),
    ]
    # "A/S" is a legal form, not two names.
    assert name_aliases("Maersk A/S") == []


def test_vendors_of_different_countries_or_identifiers_score_lower() -> None:
    one = VendorNames(("Future Netwings Ltd",), "IN", frozenset({("IN-CIN", "U1")}))
    other = VendorNames(("Future Netwings Ltd",), "BD", frozenset({("IN-CIN", "U2")}))
    score = compare_vendors(one, other, [(0, 0)])
    assert score.score == 50.0
    assert score.why == (
        "same name key; different countries (IN vs BD) -10; different identifiers (IN-CIN) -40"
    )
    same = compare_vendors(one, VendorNames(("FUTURE NETWINGS LIMITED",), "IN"), [(0, 0)])
    assert (same.score, same.why) == (100.0, "same name key")


def test_blocking_keys_meet_typos_acronyms_and_words_run_together() -> None:
    assert "crstalord" in blocking_keys("CRISTALORD LIMITED") & blocking_keys("CRYSTALORD LTD")
    assert "^pla" in blocking_keys("PLA")
    assert "^^pla" in blocking_keys("People's Liberation Army")
    acronyms = {1: VendorNames(("PLA",)), 2: VendorNames(("People's Liberation Army",))}
    assert list(candidate_pairs(acronyms)) == [(1, 2)]
    # Two names' initials alone never meet.
    initials = {1: VendorNames(("Alpha Security",)), 2: VendorNames(("Atlas Systems",))}
    assert candidate_pairs(initials) == {}
    assert "siemensag" in blocking_keys("SiemensAG") & blocking_keys("Siemens AG")
    assert "goodwill" in blocking_keys("Goodwill Company") & blocking_keys("Good Will Company")
    # Common words and numbers are no keys of a name that has distinctive ones.
    assert {"construction", "group", "3"}.isdisjoint(blocking_keys("Alpha Construction Group No 3"))


def test_candidates_are_pairs_sharing_a_key_and_duplicates_score_them() -> None:
    vendors = {
        1: VendorNames(("Hikvision Digital Technology Co. Ltd.", "Hangzhou Hikvision")),
        2: VendorNames(("Hikvison Digital Technology",)),
        3: VendorNames(("Zenith Supplies",)),
        4: VendorNames(("Deutsche Bank AG",)),
        5: VendorNames(("Deutsche Bank GmbH",)),
    }
    pairs = candidate_pairs(vendors)
    assert sorted(pairs) == [(1, 2), (4, 5)]
    assert (0, 0) in pairs[1, 2]
    found = find_duplicates(vendors)
    assert [(a, b, s.score) for a, b, s in found] == [(1, 2, 96.2)]
    assert [(a, b) for a, b, _ in find_duplicates(vendors, min_score=50)] == [(1, 2), (4, 5)]


def test_a_key_in_too_many_vendors_blocks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    import procwatch.matching

    monkeypatch.setattr(procwatch.matching, "MAX_BLOCK", 2)
    vendors = {
        n: VendorNames((f"Zorbex {word}",)) for n, word in enumerate(["Alfa", "Beta", "Gamma"])
    }
    assert candidate_pairs(vendors) == {}
