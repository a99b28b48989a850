from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from procwatch import tables
from procwatch.errors import InvalidInputError
from procwatch.seed import load_seed, seed_dir
from procwatch.store import Store

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


def _snapshot(store: Store) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(row) for row in store.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
        for table in TABLES
    }


def test_seeding_twice_changes_nothing(store: Store) -> None:
    before = _snapshot(store)
    counts = load_seed(store)
    assert counts.added == {}
    assert _snapshot(store) == before


def test_seed_holds_the_documents_facts(store: Store) -> None:
    assert store.scalar(select(func.count()).select_from(tables.contracts)) == 4
    assert store.scalar(select(func.count()).select_from(tables.measures)) == 5
    assert store.scalar(select(func.count()).select_from(tables.vendors)) == 1


def test_every_contract_measure_and_vendor_cites_a_source(store: Store) -> None:
    for model, column in (
        (tables.contracts, tables.citations.c.contract_id),
        (tables.measures, tables.citations.c.measure_id),
        (tables.vendors, tables.citations.c.vendor_id),
    ):
        uncited = store.scalars(
            select(model.c.id).where(model.c.id.not_in(select(column).where(column.is_not(None))))
        ).all()
        assert uncited == [], model.name


def test_every_quote_is_in_the_source_document(store: Store) -> None:
    document = Path(__file__).resolve().parents[2] / "shared" / "source"
    files = list(document.glob("*.txt"))
    if not files:
        pytest.skip("the source document is not beside the checkout")
    body = " ".join(
        files[0].read_text(encoding="utf-8").replace("](#)", "").replace("[", "").split()
    )
    for quote in store.scalars(select(tables.citations.c.quote)):
        assert quote is not None
        assert " ".join(quote.split()) in body, quote


def test_a_bad_seed_row_names_file_and_line(tmp_path: Path, store: Store) -> None:
    for path in seed_dir().glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    measures = tmp_path / "measures.csv"
    measures.write_text(
        measures.read_text(encoding="utf-8").replace(",ban,", ",embargo,", 1), encoding="utf-8"
    )
    with pytest.raises(InvalidInputError, match=r"^measures\.csv line 2: 'embargo' is not one of"):
        load_seed(store, tmp_path)
