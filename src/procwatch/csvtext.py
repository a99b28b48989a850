"""CSV text for a batch of database rows, built a column at a time.

csv.writer tests every character of every field against its line terminator through a
function call; on a million contracts that was over a quarter of the export's time. Here
each column is joined once, searched for the four characters that need quotes, and only
the values of a column that holds one of them are looked at one by one. The lines are the
ones csv.writer writes, except that a field holding a lone carriage return is quoted too,
as RFC 4180 and PostgreSQL's COPY quote it (csv.writer quotes only its line terminator).

This is procwatch's one CSV writer: listings, exports and reports all write through it, with
a comma or a TAB (`--format tsv`, quoted the same way) between fields. `safe` is the
spreadsheet-safe form (`--csv-safe`): a cell that starts with = + - @ TAB or CR gets a
leading single quote, as OWASP advises against CSV injection, so that a spreadsheet shows
it as text instead of running it as a formula. The default stays the data, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_NEEDS_QUOTES = {
    ",": re.compile('[",\r\n]').search,
    "\t": re.compile('["\t\r\n]').search,
}
# What a spreadsheet may read as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_lines(
    rows: Sequence[Sequence[Any]],
    lookups: Mapping[int, Mapping[Any, Any]] | None = None,
    *,
    separator: str = ",",
    safe: bool = False,
) -> str:
    """Return `rows` as CSV lines, each ending in a newline.

    `lookups` maps a column's position to the values to write in place of its own (names for
    ids, say): every value of that column must be a key. None is written as an empty field,
    other values as str() writes them. `separator` is "," or a TAB; `safe` quotes formulas.
    """
    if not rows:
        return ""
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for index, replacements in (lookups or {}).items():
        columns[index] = list(map(replacements.__getitem__, columns[index]))
    fields = [_field_texts(column, separator, safe) for column in columns]
    if len(fields) == 1:
        # A line with nothing on it would read as no row at all: csv.writer writes "".
        fields = [[text or '""' for text in fields[0]]]
    return "\n".join(map(separator.join, zip(*fields, strict=True))) + "\n"


def csv_line(cells: Sequence[Any], *, separator: str = ",", safe: bool = False) -> str:
    """Return one row (a header, say) as a CSV line ending in a newline."""
    return csv_lines([cells], separator=separator, safe=safe)


def _field_texts(values: Sequence[Any], separator: str, safe: bool) -> Sequence[str]:
    try:
        joined = "".join(values)
    except TypeError:  # None or a number among the strings
        values = ["" if value is None else value for value in values]
        try:
            joined = "".join(values)
        except TypeError:
            values = list(map(str, values))
            joined = "".join(values)
    if safe and any(value.startswith(FORMULA_STARTS) for value in values):
        values = ["'" + value if value.startswith(FORMULA_STARTS) else value for value in values]
    if '"' in joined or "\n" in joined or "\r" in joined:
        needs_quotes = _NEEDS_QUOTES[separator]
        return [_quoted(value) if needs_quotes(value) else value for value in values]
    if separator in joined:  # the common case: a separator is the only character to quote for
        return ['"' + value + '"' if separator in value else value for value in values]
    return values


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'
