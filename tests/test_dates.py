from datetime import date

import pytest

from procwatch.dates import PartialDate, Precision, format_period
from procwatch.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2008", Precision.YEAR, date(2008, 1, 1), date(2008, 12, 31)),
        ("2024-03", Precision.MONTH, date(2024, 3, 1), date(2024, 3, 31)),
        ("2024-02", Precision.MONTH, date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-12", Precision.MONTH, date(2023, 12, 1), date(2023, 12, 31)),
        ("2024-04-23", Precision.DAY, date(2024, 4, 23), date(2024, 4, 23)),
        ("2024-04-23T10:00:00Z", Precision.DAY, date(2024, 4, 23), date(2024, 4, 23)),
        ("2015-07-01-04:00", Precision.DAY, date(2015, 7, 1), date(2015, 7, 1)),
        ("2015-07-01Z", Precision.DAY, date(2015, 7, 1), date(2015, 7, 1)),
        ("2015-07-01T00:00:00+02:00", Precision.DAY, date(2015, 7, 1), date(2015, 7, 1)),
    ],
)
def test_parse_keeps_precision(
    text: str, precision: Precision, earliest: date, latest: date
) -> None:
    parsed = PartialDate.parse(text)
    assert parsed.precision is precision
    assert parsed.earliest() == earliest
    assert parsed.latest() == latest


def test_str_round_trips_at_its_precision() -> None:
    assert [str(PartialDate.parse(t)) for t in ("2012", "2024-03", "2024-04-23")] == [
        "2012",
        "2024-03",
        "2024-04-23",
    ]


@pytest.mark.parametrize("text", ["24", "2024-13", "2023-02-29", "March 2024", ""])
def test_parse_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid date"):
        PartialDate.parse(text)


def test_format_period() -> None:
    assert format_period("2018", "2020") == "2018-2020"
    assert format_period("2012", None) == "2012"
    assert format_period("2024-03", "2024-05") == "2024-03/2024-05"
    assert format_period(None, None) == ""
