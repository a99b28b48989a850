"""Data is never markup or control: hostile text through every output of every listing.

A vendor name, a measure's reason, a contract's title and a citation's quote carrying Rich
markup, a terminal escape, HTML, a javascript: link, mathtext and a newline-injected heading
must reach CSV/TSV/JSON byte for byte, and tables, Markdown and the chart as plain text.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from procwatch import tables
from tests.conftest import Procwatch

HOSTILE = (
    "Nuctech [bold]Evil[/x] \x1b[2J<script>alert(1)</script> [a](javascript:alert(1)) "
    "$x$ Price $5 and $10 Ltd\n# Cleared"
)
REASON = "Reason [/x] \x1b]0;owned\x07 <img src=x onerror=alert(1)> *bold* | pipe"
TITLE = "Title [red]x[/red] \x9b31m ](javascript:alert(1)) `code` _i_"
QUOTE = "Quote </p><script>x</script>\n## Injected"
# Each listing that names the vendor, with the formats it has.
LISTINGS = {
    "contracts": ["contracts", "--vendor", "Nuctech"],
    "bans": ["bans", "--vendor", "Nuctech"],
    "vendors": ["vendors", "list", "Nuctech"],
    "vendor": ["vendor", "Nuctech"],
    "flags": ["flags", "--vendor", "Nuctech"],
    "timeline": ["timeline", "Nuctech"],
}


@pytest.fixture
def hostile(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Straight into the database, past the importers' cleaning: outputs must hold on their own.
    vendor = tables.vendors.c
    with engine.begin() as connection:
        vendor_id = connection.execute(
            update(tables.vendors)
            .where(vendor.name == "Nuctech Company Limited")
            .values(name=HOSTILE)
            .returning(vendor.id)
        ).scalar_one()
        connection.execute(
            update(tables.measures)
            .where(tables.measures.c.vendor_id == vendor_id)
            .values(reason=REASON)
        )
        connection.execute(
            update(tables.contracts)
            .where(tables.contracts.c.vendor_id == vendor_id)
            .values(title=TITLE)
        )
        connection.execute(
            update(tables.citations)
            .where(tables.citations.c.vendor_id == vendor_id)
            .values(quote=QUOTE)
        )
    # Wide enough that no table wraps a cell: the literal text is then on one line.
    monkeypatch.setenv("COLUMNS", "400")


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("listing", LISTINGS)
def test_tables_show_markup_as_text_and_no_control(procwatch: Procwatch, listing: str) -> None:
    result = procwatch(*LISTINGS[listing])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert "\x07" not in result.stdout
    shown = result.stdout
    if listing in ("contracts", "timeline"):
        assert "Title [red]x[/red] 31m ](javascript:alert(1)) `code` _i_" in shown
    if listing in ("bans", "vendor"):
        assert "Reason [/x] ]0;owned <img src=x onerror=alert(1)> *bold* | pipe" in shown
    if listing in ("vendors", "vendor", "flags", "timeline"):
        assert "Nuctech [bold]Evil[/x] [2J<script>alert(1)</script>" in shown


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("listing", LISTINGS)
def test_csv_and_tsv_keep_the_data_byte_for_byte(
    procwatch: Procwatch, listing: str, fmt: str
) -> None:
    result = procwatch(*LISTINGS[listing], "--format", fmt)
    assert result.exit_code == 0, result.output
    rows = list(
        csv.reader(io.StringIO(result.stdout, newline=""), delimiter="," if fmt == "csv" else "\t")
    )
    assert len(rows) > 1 and {len(row) for row in rows} == {len(rows[0])}
    cells = {cell for row in rows for cell in row}
    assert HOSTILE in cells or listing == "timeline"
    if listing in ("contracts", "timeline"):
        assert TITLE in cells


@pytest.mark.usefixtures("hostile")
@pytest.mark.parametrize("fmt", ["json", "nl"])
@pytest.mark.parametrize("listing", LISTINGS)
def test_json_keeps_the_data(procwatch: Procwatch, listing: str, fmt: str) -> None:
    result = procwatch(*LISTINGS[listing], "--format", fmt)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        values = [json.loads(result.stdout)]
    else:
        values = [json.loads(line) for line in result.stdout.splitlines()]
        assert values
    found = {text for value in values for text in strings(value)}
    # Timeline events in lines do not repeat the vendor: their titles carry the data.
    assert (TITLE if (listing, fmt) == ("timeline", "nl") else HOSTILE) in found


@pytest.mark.usefixtures("hostile")
def test_check_in_every_format(procwatch: Procwatch) -> None:
    table = procwatch("check", "Nuctech")
    assert table.exit_code == 0, table.output
    assert "\x1b" not in table.stdout and "[bold]Evil[/x]" in table.stdout
    report = json.loads(procwatch("check", "Nuctech", "--format", "json").stdout)
    assert report["vendor"]["name"] == HOSTILE
    markdown = procwatch("check", "Nuctech", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    text = markdown.stdout
    for raw in ("<script>", "<img", "</p>", "\x1b", "\x07", "\x9b"):
        assert raw not in text
    # Every bracket of the data is escaped: no link, whatever follows it.
    assert re.findall(r"(?<!\\)[\[\]]\(javascript:", text) == []
    lines = text.splitlines()
    assert not [line for line in lines if line.lstrip("#").strip() in ("Cleared", "Injected")]
    assert lines[0] == (
        "# Due-diligence check: Nuctech \\[bold\\]Evil\\[/x\\] \\[2J&lt;script&gt;alert(1)"
        "&lt;/script&gt; \\[a\\](javascript:alert(1)) \\$x\\$ Price \\$5 and \\$10 Ltd # Cleared"
    )


@pytest.mark.usefixtures("hostile")
def test_the_chart_draws_dollars_as_written(procwatch: Procwatch, tmp_path: Path) -> None:
    target = tmp_path / "chart.png"
    result = procwatch("timeline", "Nuctech", "--png", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_chart_text_is_never_mathtext() -> None:
    from matplotlib.text import Text

    from procwatch.screening.chart import literal

    for name in ("$x$", "Price $5 and $10 Ltd", "a $\\frac{1}{2}$ b", "$$"):
        shown, is_math = Text(text=literal(name))._preprocess_math(literal(name))
        assert (shown, is_math) == (name, False)
