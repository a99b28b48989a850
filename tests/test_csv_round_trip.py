"""Every CSV writer's output reads back, with `csv` and with pandas, as the cells written.

One writer (procwatch.csvtext) serves listings, the vendor profile, exports and reports;
PostgreSQL's COPY writes the exports itself. Hypothesis feeds them the cells that once split
rows: lone carriage returns, newlines, quotes, separators, and cells a spreadsheet runs.
"""

import csv
import dataclasses
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, update

from procwatch import tables
from procwatch.cli.render import OutputFormat, write_records
from procwatch.csvtext import FORMULA_STARTS, csv_lines
from procwatch.exports import EXPORTS, MEASURE_COLUMNS

# The characters that need quoting or protection, often, and any other text now and then.
AWKWARD = st.text(alphabet=st.sampled_from(list("ab ,;\"'\r\n\t=+-@\\x")), max_size=12)
ANY_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00", exclude_categories=["Cs"]),
    max_size=12,
)
CELL = st.one_of(AWKWARD, ANY_TEXT)
ROWS = st.integers(min_value=1, max_value=4).flatmap(
    lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=8)
)
SEPARATORS = {"csv": ",", "tsv": "\t"}


def read_back(text: str, separator: str) -> list[list[str]]:
    """Return the cells as csv reads them, after checking that pandas reads the same."""
    cells = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    frame = pd.read_csv(
        io.StringIO(text, newline=""),
        sep=separator,
        header=None,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        engine="c",
    )
    assert frame.values.tolist() == cells
    return cells


def protected(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


@pytest.mark.parametrize("fmt", SEPARATORS)
@given(rows=ROWS)
def test_csv_lines_read_back_as_written(fmt: str, rows: list[list[str]]) -> None:
    assert read_back(csv_lines(rows, separator=SEPARATORS[fmt]), SEPARATORS[fmt]) == rows


@pytest.mark.parametrize("fmt", SEPARATORS)
@given(rows=ROWS)
def test_spreadsheet_safe_cells_read_back_quoted(fmt: str, rows: list[list[str]]) -> None:
    text = csv_lines(rows, separator=SEPARATORS[fmt], safe=True)
    assert read_back(text, SEPARATORS[fmt]) == [[protected(cell) for cell in row] for row in rows]


@dataclasses.dataclass(frozen=True)
class Listed:
    name: str
    reason: str | None
    count: int


@pytest.mark.parametrize("fmt", [OutputFormat.csv, OutputFormat.tsv])
@given(cells=st.lists(st.tuples(CELL, CELL), max_size=6), safe=st.booleans())
def test_listings_read_back_as_written(
    fmt: OutputFormat, cells: list[tuple[str, str]], safe: bool
) -> None:
    records = [Listed(name, reason, n) for n, (name, reason) in enumerate(cells)]
    handle = io.StringIO()
    assert write_records(iter(records), fmt, handle, record_type=Listed, safe=safe) == len(cells)
    keep = protected if safe else str
    expected = [["name", "reason", "count"]] + [
        [keep(r.name), keep(r.reason or ""), str(r.count)] for r in records
    ]
    assert read_back(handle.getvalue(), SEPARATORS[fmt.value]) == expected


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(reason=CELL, authority=CELL, safe=st.booleans())
def test_exports_read_back_as_stored(
    connection: Connection, reason: str, authority: str, safe: bool
) -> None:
    # On PostgreSQL the database writes the CSV (COPY) unless it must be spreadsheet-safe.
    measure = tables.measures.c
    first = connection.execute(tables.measures.select().order_by(measure.id).limit(1)).one()
    connection.execute(
        update(tables.measures)
        .where(measure.id == first.id)
        .values(reason=reason, authority=authority)
    )
    handle = io.StringIO()
    EXPORTS["measures"].write(connection, handle, safe)
    rows = read_back(handle.getvalue(), ",")
    assert rows[0] == MEASURE_COLUMNS
    written = dict(zip(MEASURE_COLUMNS, rows[1], strict=True))
    keep = protected if safe else str
    assert (written["id"], written["reason"], written["authority"]) == (
        str(first.id),
        keep(reason),
        keep(authority),
    )
    assert {len(row) for row in rows} == {len(MEASURE_COLUMNS)}
