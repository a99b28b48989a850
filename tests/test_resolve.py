import pytest
from sqlalchemy.orm import Session

from procwatch.errors import NotFoundError
from procwatch.resolve import name_key, resolve_country, resolve_vendor


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
def test_every_spelling_of_nuctech_resolves(session: Session, name: str) -> None:
    assert resolve_vendor(session, name).name == "Nuctech Company Limited"


def test_name_key_drops_case_accents_punctuation_and_legal_forms() -> None:
    assert name_key("NUCTECH CO., LTD.") == "nuctech"
    assert name_key("Rieder & Cía. S.A.C.I.") == "rieder cia"
    assert name_key("ACME Sp. z o.o.") == "acme"
    assert name_key("Limited") == "limited"


def test_unknown_vendor_suggests_close_names(session: Session) -> None:
    with pytest.raises(NotFoundError) as raised:
        resolve_vendor(session, "Nuctek")
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
def test_country_by_code_or_name(session: Session, text: str, code: str) -> None:
    assert resolve_country(session, text).code == code


def test_member_state_relates_to_its_union_and_union_to_members(session: Session) -> None:
    assert resolve_country(session, "PL").related_codes == ("EU", "PL")
    eu = resolve_country(session, "EU").related_codes
    assert len(eu) == 28
    assert {"EU", "PL", "BE", "LT", "NL"} <= set(eu)
    assert resolve_country(session, "US").related_codes == ("US",)


def test_unknown_country_suggests(session: Session) -> None:
    with pytest.raises(
        NotFoundError, match=r"^unknown country 'Belgum'; did you mean 'Belgium'\?$"
    ):
        resolve_country(session, "Belgum")
    with pytest.raises(NotFoundError, match=r"^unknown country 'XX'$"):
        resolve_country(session, "XX")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Общество с ограниченной ответственностью «Ромашка»", "romashka"),  # noqa: RUF001
        ("ООО Газпром", "gazprom"),  # noqa: RUF001
        ("同方威视技术股份有限公司", "tong fang wei shi ji shu"),
        ("Straße Müller GmbH", "strasse muller"),
        ("Siemens Aktiengesellschaft", "siemens"),
        ("Joint Stock Company Tactical Missiles Corporation", "tactical missiles"),
        ("O'Brien & Sons Ltd", "obrien sons"),
    ],
)
def test_name_key_transliterates_and_drops_written_out_legal_forms(name: str, key: str) -> None:
    assert name_key(name) == key
