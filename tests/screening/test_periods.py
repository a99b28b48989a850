import pytest

from procwatch.dates import PartialDate
from procwatch.screening.periods import (
    Certainty,
    MeasureStatus,
    Period,
    happened_by,
    in_force_when_signed,
    status_as_of,
)

YES, POSSIBLY, NO = Certainty.YES, Certainty.POSSIBLY, Certainty.NO


@pytest.mark.parametrize(
    ("measure", "signed", "expected"),
    [
        # The seed: Poland's 2024-03 contract after the LT 2021 ban, before the EU raids.
        (("2021", None), ("2024-03", None), YES),
        (("2024-04-23", None), ("2024-03", None), NO),
        # Georgia's 2018-2020 purchases and the 2020 US restriction: the data cannot tell.
        (("2020", None), ("2018", "2020"), POSSIBLY),
        (("2020", None), ("2012", None), NO),
        # A measure known to the year and a contract known to the month of that year.
        (("2021", None), ("2021-06", None), POSSIBLY),
        (("2021-05", None), ("2021", None), POSSIBLY),
        # The same day: the order within it is unknown.
        (("2024-04-23", None), ("2024-04-23", None), POSSIBLY),
        (("2024-04-23", None), ("2024-04-24", None), YES),
        (("2024-04-23", None), ("2024-04-22", None), NO),
        # Measures with an end date.
        (("2019", "2020"), ("2021-02", None), NO),
        (("2019", "2021-01"), ("2021-02", None), NO),
        (("2019", "2021"), ("2021-02", None), POSSIBLY),
        (("2019", "2022"), ("2021-02", None), YES),
        (("2019", "2022"), ("2018", "2021"), POSSIBLY),
        # Undated records cannot be placed.
        ((None, None), ("2021", None), POSSIBLY),
        (("2019", None), (None, None), POSSIBLY),
    ],
)
def test_in_force_when_signed(
    measure: tuple[str | None, str | None],
    signed: tuple[str | None, str | None],
    expected: Certainty,
) -> None:
    assert in_force_when_signed(Period.of(*measure), Period.of(*signed)) is expected


@pytest.mark.parametrize(
    ("measure", "as_of", "expected"),
    [
        (("2021", None), "2022", MeasureStatus.IN_FORCE),
        (("2021", None), "2021-06", MeasureStatus.POSSIBLY_IN_FORCE),
        (("2021", None), "2021", MeasureStatus.POSSIBLY_IN_FORCE),
        (("2021", None), "2020-12-31", None),
        (("2024-04-23", None), "2024-03", None),
        # The as-of day itself counts: a measure taken that day is in force "as of" it.
        (("2024-04-23", None), "2024-04-23", MeasureStatus.IN_FORCE),
        (("2024-04-23", None), "2024-04", MeasureStatus.POSSIBLY_IN_FORCE),
        (("2019", "2020"), "2021", MeasureStatus.ENDED),
        (("2019", "2020-06"), "2020", MeasureStatus.POSSIBLY_ENDED),
        (("2019", "2020-06"), "2020-05-31", MeasureStatus.IN_FORCE),
        (("2019", "2023"), "2021", MeasureStatus.IN_FORCE),
        ((None, None), "2021", MeasureStatus.POSSIBLY_IN_FORCE),
    ],
)
def test_status_as_of(
    measure: tuple[str | None, str | None], as_of: str, expected: MeasureStatus | None
) -> None:
    assert status_as_of(Period.of(*measure), PartialDate.parse(as_of)) == expected


@pytest.mark.parametrize(
    ("when", "as_of", "expected"),
    [
        ("2024-03", "2024-04-23", YES),
        ("2024-03", "2024-03-15", POSSIBLY),
        ("2024-03", "2024-02", NO),
        ("2018", "2019", YES),
        (None, "2019", POSSIBLY),
    ],
)
def test_happened_by(when: str | None, as_of: str, expected: Certainty) -> None:
    parsed = PartialDate.parse(when) if when else None
    assert happened_by(parsed, PartialDate.parse(as_of)) is expected
