from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from procwatch.errors import InvalidInputError
from procwatch.models import Citation, Contract, Measure, Vendor
from procwatch.seed import load_seed, seed_dir

TABLES = [
    "jurisdictions",
    "jurisdiction_memberships",
    "sources",
    "vendors",
    "vendor_aliases",
    "buyers",
    "contracts",
    "findings",
    "measures",
    "citations",
]


def _snapshot(session: Session) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(row) for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
        for table in TABLES
    }


def test_seeding_twice_changes_nothing(session: Session) -> None:
    before = _snapshot(session)
    counts = load_seed(session)
    assert counts.added == {}
    assert _snapshot(session) == before


def test_seed_holds_the_documents_facts(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(Contract)) == 4
    assert session.scalar(select(func.count()).select_from(Measure)) == 5
    assert session.scalar(select(func.count()).select_from(Vendor)) == 1


def test_every_contract_measure_and_vendor_cites_a_source(session: Session) -> None:
    for model, column in (
        (Contract, Citation.contract_id),
        (Measure, Citation.measure_id),
        (Vendor, Citation.vendor_id),
    ):
        uncited = session.scalars(
            select(model.id).where(model.id.not_in(select(column).where(column.is_not(None))))
        ).all()
        assert uncited == [], model.__name__


def test_every_quote_is_in_the_source_document(session: Session) -> None:
    document = Path(__file__).resolve().parents[2] / "shared" / "source"
    files = list(document.glob("*.txt"))
    if not files:
        pytest.skip("the source document is not beside the checkout")
    body = " ".join(
        files[0].read_text(encoding="utf-8").replace("](#)", "").replace("[", "").split()
    )
    for quote in session.scalars(select(Citation.quote)):
        assert quote is not None
        assert " ".join(quote.split()) in body, quote


def test_a_bad_seed_row_names_file_and_line(tmp_path: Path, session: Session) -> None:
    for path in seed_dir().glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    measures = tmp_path / "measures.csv"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace(",ban,", ",embargo,", 1), encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match=r"^measures\.csv line 2: 'embargo' is not one of"):
        load_seed(session, tmp_path)
