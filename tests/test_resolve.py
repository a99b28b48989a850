import pytest
from sqlalchemy import Connection

from procwatch.errors import NotFoundError
from procwatch.resolve import (
    key_matches,
    keys_looked_up,
    name_key,
    resolve_country,
    resolve_vendor,
)


@pytest.mark.parametrize(
    "name",
    [
        "nuctech",
        "NUCTECH CO., LTD.",
        "Nuctech Company Limited",
        "Nuotech",
        "Nuotech Company Limited",
    ],
)
def test_every_spelling_of_nuctech_resolves(connection: Connection, name: str) -> None:
    assert resolve_vendor(connection, name).name == "Nuctech Company Limited"


def test_name_key_drops_case_accents_punctuation_and_legal_forms() -> None:
    # The key keeps the kind of entity the legal form makes, after its words.
    assert name_key("NUCTECH CO., LTD.") == "nuctech #limited"
    assert name_key("Rieder & Cía. S.A.C.I.") == "rieder #stock"
    assert name_key("ACME Sp. z o.o.") == "acme #limited"
    assert name_key("Limited") == "limited"


def test_unknown_vendor_suggests_close_names(connection: Connection) -> None:
    with pytest.raises(NotFoundError) as raised:
        resolve_vendor(connection, "Nuctek")
    assert str(raised.value) == (
        "no vendor named 'Nuctek'; did you mean 'Nuctech' or 'Nuotech Company Limited'?"
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BE", "BE"),
        ("BEL", "BE"),
        ("Belgium", "BE"),
        ("belgium", "BE"),
        ("EU", "EU"),
        ("European Union", "EU"),
        ("United States", "US"),
        ("USA", "US"),
        ("CA", "CA"),
        ("Lithuania", "LT"),
        ("FR", "FR"),
        ("Japan", "JP"),
    ],
)
def test_country_by_code_or_name(connection: Connection, text: str, code: str) -> None:
    assert resolve_country(connection, text).code == code


def test_member_state_relates_to_its_union_and_union_to_members(connection: Connection) -> None:
    assert resolve_country(connection, "PL").related_codes == ("EU", "PL")
    eu = resolve_country(connection, "EU").related_codes
    assert len(eu) == 28
    assert {"EU", "PL", "BE", "LT", "NL"} <= set(eu)
    assert resolve_country(connection, "US").related_codes == ("US",)


def test_unknown_country_suggests(connection: Connection) -> None:
    with pytest.raises(
        NotFoundError, match=r"^unknown country 'Belgum'; did you mean 'Belgium'\?$"
    ):
        resolve_country(connection, "Belgum")
    with pytest.raises(NotFoundError, match=r"^unknown country 'XX'$"):
        resolve_country(connection, "XX")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Общество с ограниченной ответственностью «Ромашка»", "romashka #limited"),  # noqa: RUF001
        ("ООО Газпром", "gazprom #limited"),  # noqa: RUF001
        ("同方威视技术股份有限公司", "tong fang wei shi ji shu #stock"),
        ("Straße Müller GmbH", "strasse muller #limited"),
        ("Siemens Aktiengesellschaft", "siemens #stock"),
        ("Joint Stock Company Tactical Missiles Corporation", "tactical missiles #stock"),
        ("O'Brien & Sons Ltd", "obrien sons #limited"),
        # Ukrainian in full, and as transliterations spell it ("tovaristvo", "tovarystvo").
        ("Товариство з обмеженою відповідальністю «Альфа»", "alfa #limited"),
        ("TOVARISTVO Z OBMEZHENOIU VIDPOVIDALNISTIU ALFA", "alfa #limited"),
        ("Tovarystvo z obmezhenoiu vidpovidalnistiu Alfa", "alfa #limited"),
        # Spanish, Portuguese and other forms of several words or letters.
        ("Grupo Carso, S.A. de C.V.", "grupo carso #stock"),
        ("Construtora Alfa Lda", "construtora alfa #limited"),
        (
            "Logitrans Logística Engenharia e Transportes Ltda.",
            "logitrans logistica engenharia transportes #limited",
        ),
        # A misspelt or cut-short form is still one.
        ("Siemens Aktiengeselschaft", "siemens #stock"),
        ("TACTICAL MISSILES CORPORATION JOYNT STOCK COMPAN", "tactical missiles #stock"),
    ],
)
def test_name_key_transliterates_and_drops_written_out_legal_forms(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("MR. YANG LIN", "Yang Lin"),
        ("Dr. Rufat Majidov", "RUFAT MAJIDOV"),
        ("The Homs Refinery Company", "HOMS REFINERY"),
        ("Rieder & Sons", "Rieder and Sons"),
        ("Müller und Söhne", "Muller Sohne"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("Brigade Forty 4", "Brigade 44"),
        ("1st International Bank", "First International Bank"),
        ("3 Percenters", "Three Percenters"),
        ("First Bank Int'l", "First Bank International"),
        ("A.B.C. Company", "ABC Co."),
        ("A & C International", "A.C. International"),
    ],
)
def test_name_key_is_the_same_for_spellings_of_one_name(first: str, second: str) -> None:
    assert name_key(first) == name_key(second)


def test_and_between_words_goes_but_a_last_letter_stays() -> None:
    assert name_key("Rieder y Hijos") == "rieder hijos"
    assert name_key("Vitamin E") == "vitamin e"
    # "GmbH & Co. KG" is a partnership whose partner is a GmbH: the last form says the kind.
    assert name_key("Müller GmbH & Co. KG") == "muller #partnership"


def test_group_and_holding_are_words_of_the_name_not_legal_forms() -> None:
    assert name_key("Nanshan Group Co Ltd") == "nanshan group #limited"
    assert name_key("Alfa Holdings") != name_key("Alfa")


def test_two_letter_forms_count_only_at_an_end_of_the_name() -> None:
    assert name_key("As Salam Bank AS") == "as salam bank"
    # "Trading AS" at the end is a Norwegian form, not "trading as" another name.
    assert name_key("As Salam Trading AS") == "as salam trading"
    assert name_key("Banco Sa Pa SA") == "banco sa pa #stock"


def test_what_follows_aka_is_not_the_key() -> None:
    assert name_key("Alfa Ltd a.k.a. Beta Ltd") == "alfa #limited"
    assert name_key("Alfa Ltd (formerly Beta Ltd)") == "alfa #limited"


@pytest.mark.parametrize(
    ("first", "second", "found"),
    [
        ("Deutsche Bank", "Deutsche Bank AG", True),
        ("Deutsche Bank AG", "Deutsche Bank Aktiengesellschaft", True),
        ("OAO Gazprom", "Gazprom JSC", True),
        ("Deutsche Bank AG", "Deutsche Bank GmbH", False),
        ("ANO Iskusstvo Krasoty", "LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY", False),
    ],
)
def test_a_key_finds_keys_of_its_kind_or_of_none(first: str, second: str, found: bool) -> None:
    assert key_matches(name_key(first), name_key(second)) is found
    assert key_matches(name_key(second), name_key(first)) is found
    assert (name_key(second) in keys_looked_up(name_key(first))) is found


def test_a_vendor_is_found_by_its_words_without_the_legal_form(connection: Connection) -> None:
    # The seed's vendor is "Nuctech Company Limited" ("nuctech #limited").
    assert resolve_vendor(connection, "NUCTECH LIMITED").name == "Nuctech Company Limited"
    assert resolve_vendor(connection, "Nuotech").name == "Nuctech Company Limited"
