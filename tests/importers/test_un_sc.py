from collections import Counter
from pathlib import Path

import pytest

from procwatch.errors import InvalidInputError
from tests.importers.presets_support import FIXTURES, read_preset

XML = FIXTURES / "un-sc-consolidated.xml"


def test_individuals_and_entities_with_aliases_references_and_offset_dates() -> None:
    entries, warnings = read_preset("un-sc", XML)
    assert warnings == Counter(
        {"low-quality aliases (the list's QUALITY Low) not used as names": 2}
    )
    assert [
        (e.locator, e.text("name"), e.text("vendor_kind"), e.text("id"), e.text("listed"))
        for e in entries
    ] == [
        ("individual KPi.033, line 4", "RI WON HO", "person", "KPi.033", "2016-11-30"),
        (
            "individual QDi.325, line 28",
            "ABU MOHAMMED AL-ADNANI",
            "person",
            "QDi.325",
            "2015-07-01-04:00",
        ),
        (
            "entity QDe.117, line 48",
            "AL-HARAMAIN FOUNDATION (UNION OF THE COMOROS)",
            "organisation",
            "QDe.117",
            "2004-12-22Z",
        ),
        (
            "entity KPe.025, line 61",
            "KOREA KWANGSON BANKING CORP.",
            "organisation",
            "KPe.025",
            "2016-11-30T00:00:00+02:00",
        ),
    ]
    assert [e.values["aliases"] for e in entries] == [
        ["리원호"],
        ["Taha Sobhi Falaha", "Yaser Khalaf Nazal Alrawi"],
        ["Al Haramain Islamic Foundation Comoros"],
        ["KKBC"],
    ]
    # A nationality, one address country, or none where the addresses disagree.
    assert [e.values["vendor_country"] for e in entries] == ["KP", "SY", "KM", None]
    assert [e.text("program") for e in entries] == ["DPRK", "Al-Qaida", "Al-Qaida", "DPRK"]
    assert {(e.text("country"), e.text("id_scheme"), e.text("kind")) for e in entries} == {
        ("UN", "UN-SC", "ban")
    }


def test_a_document_type_declaration_is_refused_before_its_entities(tmp_path: Path) -> None:
    bomb = tmp_path / "laughs.xml"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        "<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>&b;</FIRST_NAME></ENTITY>"
        "</ENTITIES></CONSOLIDATED_LIST>\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as refused:
        read_preset("un-sc", bomb)
    assert str(refused.value) == (
        "laughs.xml: has a document type declaration (DTD); the UN list has none, and "
        "entities it declares are not expanded"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "<sdnList><sdnEntry/></sdnList>",
            "other.xml: expected the UN Security Council consolidated list (XML whose root is "
            "CONSOLIDATED_LIST); found root <sdnList>",
        ),
        (
            "36,AEROCARIBBEAN AIRLINES,-0-\n",
            "other.xml: expected the UN Security Council consolidated list (XML whose root is "
            "CONSOLIDATED_LIST); found text that is not XML (syntax error, line 1)",
        ),
        (
            "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>",
            "other.xml: expected the UN Security Council consolidated list (XML whose root is "
            "CONSOLIDATED_LIST); found XML that does not parse (no element found, line 1)",
        ),
        (
            "",
            "other.xml: expected the UN Security Council consolidated list (XML whose root is "
            "CONSOLIDATED_LIST); found an empty file",
        ),
    ],
)
def test_a_file_of_another_shape_is_refused_saying_what_was_found(
    tmp_path: Path, text: str, message: str
) -> None:
    other = tmp_path / "other.xml"
    other.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as refused:
        read_preset("un-sc", other)
    assert str(refused.value) == message
