import csv
import io
import random
from decimal import Decimal
from typing import Any

import pytest

from procwatch.csvtext import csv_lines

AWKWARD_VALUES: list[Any] = [
    "plain",
    "",
    None,
    "comma, inside",
    'a "quoted" word',
    '"',
    ",",
    "two\nlines",
    "ends with newline\n",
    "Rzeszów 中文",
    "  spaces kept  ",
    0,
    -17,
    10**20,
    Decimal("5870722.48"),
    1.5,
    True,
]


def csv_writer_lines(rows: list[tuple[Any, ...]]) -> str:
    handle = io.StringIO()
    csv.writer(handle, lineterminator="\n").writerows(rows)
    return handle.getvalue()


def test_lines_are_the_ones_csv_writer_writes() -> None:
    generator = random.Random(2024)
    rows = [tuple(generator.choice(AWKWARD_VALUES) for _ in range(5)) for _ in range(2000)]
    assert csv_lines(rows) == csv_writer_lines(rows)


def test_a_column_of_commas_alone_is_quoted_where_needed() -> None:
    rows = [(1, "Printing services, lot 47"), (2, "Telecom services"), (3, "a,b,c")]
    assert csv_lines(rows) == '1,"Printing services, lot 47"\n2,Telecom services\n3,"a,b,c"\n'


def test_every_column_kind_in_one_batch() -> None:
    rows = [("text", None, 7, "x,y", 'say "hi"'), ("more", "", 8, "z", "plain")]
    assert csv_lines(rows) == 'text,,7,"x,y","say ""hi"""\nmore,,8,z,plain\n'


def test_a_lone_carriage_return_is_quoted_as_postgresql_copy_quotes_it() -> None:
    # csv.writer (Python 3.11) leaves "a\rb" bare when its line terminator is "\n"; a bare
    # carriage return ends the record for many readers.
    assert csv_lines([(1, "a\rb")]) == '1,"a\rb"\n'


def test_lookups_write_their_values_in_place_of_the_column() -> None:
    names = {10: "Nuctech Company Limited", 11: "Smiths, Detection", None: None}
    rows = [(1, 10, "GE"), (2, 11, "LT"), (3, None, "BE")]
    expected = '1,Nuctech Company Limited,GE\n2,"Smiths, Detection",LT\n3,,BE\n'
    assert csv_lines(rows, {1: names}) == expected


def test_a_lookup_without_the_value_is_an_error() -> None:
    with pytest.raises(KeyError):
        csv_lines([(1, 99)], {1: {10: "known"}})


def test_a_single_empty_field_is_written_as_two_quotes() -> None:
    rows: list[tuple[Any, ...]] = [("",), (None,), ("x",)]
    assert csv_lines(rows) == csv_writer_lines(rows) == '""\n""\nx\n'


def test_no_rows_is_no_text() -> None:
    assert csv_lines([]) == ""


def test_rows_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError):
        csv_lines([(1, "a"), (2,)])
