"""Options several commands share, each parsed once so that a bad value exits 2 everywhere."""

from typing import Annotated, Any

import typer

DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


def partial_date(text: str) -> str:
    """Return a date option's text once it is a valid year, month or day (else exit 2)."""
    from procwatch.dates import PartialDate
    from procwatch.errors import InvalidInputError

    try:
        return str(PartialDate.parse(text.strip()))
    except InvalidInputError as error:
        # The message names the value; click adds which option it was given to.
        raise typer.BadParameter(str(error).removeprefix("invalid date ")) from None


def date_option(name: str, text: str) -> Any:
    """Return an option taking a year, a month or a day."""
    return typer.Option(name, help=text, metavar="DATE", parser=partial_date)


AsOfOption = Annotated[
    str | None,
    date_option("--as-of", f"Answer as of this date ({DATE_FORMS}; default today)."),
]
SinceOption = Annotated[
    str | None,
    date_option("--since", f"Only records running on or after this date ({DATE_FORMS})."),
]
UntilOption = Annotated[
    str | None,
    date_option("--until", f"Only records starting on or before this date ({DATE_FORMS})."),
]


def check_range(since: str | None, until: str | None) -> None:
    """Exit 2 when --since comes after --until."""
    from procwatch.dates import PartialDate

    if since and until and PartialDate.parse(since).earliest() > PartialDate.parse(until).latest():
        raise typer.BadParameter(f"{since} is after --until {until}", param_hint="'--since'")
