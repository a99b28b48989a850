"""procwatch screen FILE: screen a supplier list; screen decide / decisions: reviewers' calls."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from procwatch.cli.options import AsOfOption
from procwatch.cli.render import (
    Column,
    CsvSafeOption,
    FormatOption,
    LimitOption,
    OutputFormat,
    OutputOption,
    cli_terms,
)
from procwatch.cli.session import open_connection, open_store
from procwatch.matching import DEFAULT_MIN_SCORE

if TYPE_CHECKING:
    from rich.console import Console

    from procwatch.screening.screen import ScreenReport


class DefaultToFile(TyperGroup):
    """`procwatch screen list.csv` means `procwatch screen file list.csv`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["file", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=DefaultToFile,
    help="Screen a supplier list (`procwatch screen FILE`), and record reviewers' decisions.",
    rich_markup_mode=None,
)


class ScreenFormat(enum.StrEnum):
    """How `screen` prints its result."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    nl = "nl"
    markdown = "markdown"


LEVEL_STYLES = {"none": "green", "caution": "yellow", "high": "bold red", "no candidate": ""}
# A terminal shows this many rows, the highest outcomes first; files get every row.
TERMINAL_ROWS = 20

ROW_COLUMNS = [
    Column("Row", lambda r: r.row, justify="right", no_wrap=True),
    Column("Name", lambda r: r.name),
    Column("Candidate", lambda r: r.candidate or ""),
    Column("Match", lambda r: "" if r.match is None else f"{r.match} {r.score:g}"),
    Column("Level", lambda r: "" if r.level is None else r.level),
    Column("Measures in force, or why the level", lambda r: r.measures or r.reasons, wide=True),
    Column("Review", lambda r: r.review or ""),
]


@app.command("file")
def file(
    ctx: typer.Context,
    path: Annotated[
        Path,
        typer.Argument(
            help="CSV or XLSX of counterparties, one a row: a name, and optionally country, "
            "identifiers (SCHEME:ID; ...) and a date ('-' for stdin).",
            metavar="FILE",
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            help="Which column holds a field, FIELD=COLUMN (name, country, identifiers, date); "
            "default: found by header names such as Supplier, Country, Date.",
            metavar="FIELD=COLUMN",
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="XLSX sheet to read (default: the first)."),
    ] = None,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding of a CSV file.")
    ] = "utf-8-sig",
    as_of: AsOfOption = None,
    for_country: Annotated[
        str | None,
        typer.Option(
            "--for-country",
            help="Level for a buyer in this country (ISO code or name) or financed by this "
            "issuer (e.g. WBG), as check --for-country does.",
            metavar="C",
        ),
    ] = None,
    min_score: Annotated[
        float,
        typer.Option(
            "--min-score",
            min=0,
            max=100,
            help="Lowest score (0-100) of a name-alike candidate; identifiers and equal "
            "names always count.",
        ),
    ] = DEFAULT_MIN_SCORE,
    fmt: Annotated[
        ScreenFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format: a terminal summary, a row per counterparty and candidate "
            "(csv, tsv, json, nl), or a Markdown report to publish.",
            case_sensitive=False,
        ),
    ] = ScreenFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
) -> None:
    """Screen every counterparty of FILE: the known vendors it may be, with the reasons for
    each score, the measures in force on the row's date (else --as-of, else today), and the
    level check gives (the same rule); reviewed decisions applied. Nothing is stored."""
    from collections import Counter

    from procwatch.cli.import_report import ProgressBar
    from procwatch.importers.columns import parse_mapping
    from procwatch.importers.inputs import check_encoding
    from procwatch.screening.counterparties import FIELDS, read_counterparties
    from procwatch.screening.screen import screen

    check_encoding(encoding)
    warnings: Counter[str] = Counter()
    counterparties = read_counterparties(
        path,
        lambda message: warnings.update([message]),
        parse_mapping(mapping or [], FIELDS),
        sheet=sheet,
        encoding=encoding,
    )
    with ProgressBar() as progress, open_connection(ctx) as connection:
        report = screen(
            connection,
            counterparties,
            as_of=as_of,
            for_country=for_country,
            min_score=min_score,
            progress=progress,
        )
    _write(report, fmt, output, csv_safe=csv_safe)
    for message, count in sorted(warnings.items()):
        typer.echo(
            f"Warning: {cli_terms(message)} ({count} row{'s' if count > 1 else ''})", err=True
        )


def _write(report: ScreenReport, fmt: ScreenFormat, output: Path | None, *, csv_safe: bool) -> None:
    from procwatch.output import open_output

    if fmt is ScreenFormat.markdown:
        from procwatch.screening.screen_markdown import screen_markdown

        with open_output(output) as handle:
            handle.write(screen_markdown(report))
    elif fmt is ScreenFormat.json:
        import json

        from procwatch.cli.render import plain

        with open_output(output) as handle:
            json.dump(plain(_json(report)), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    elif fmt is ScreenFormat.table:
        from procwatch.cli.render import make_console

        with open_output(output) as handle:
            _print(report, make_console(handle if output else None))
    else:
        from procwatch.cli.render import render
        from procwatch.screening.screen import ScreenRow

        render(
            report.rows,
            ROW_COLUMNS,
            OutputFormat(fmt.value),
            output,
            record_type=ScreenRow,
            csv_safe=csv_safe,
        )


def _json(report: ScreenReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of,
        "for_country": report.for_country,
        "min_score": report.min_score,
        "vendors": report.vendors,
        "summary": {str(outcome): count for outcome, count in report.summary.items()},
        "coverage": report.coverage,
        "rows": list(report.rows),
    }


def _print(report: ScreenReport, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    from procwatch.cli.render import build_table
    from procwatch.queries.coverage import coverage_text

    console.print(Text(f"Screened {len(report.counterparties):,} counterparties", style="bold"))
    console.print(Text(_scope(report)))
    summary = Table(title="Outcomes")
    summary.add_column("Outcome")
    summary.add_column("Counterparties", justify="right")
    for outcome, count in report.summary.items():
        summary.add_row(Text(str(outcome), style=LEVEL_STYLES[outcome]), f"{count:,}")
    console.print(summary)
    ranked = sorted(
        (row for row in report.rows if row.candidate),
        key=lambda row: (_RANK[row.outcome], row.row),
    )
    console.print(Text(coverage_text(report.coverage)))
    if ranked:
        console.print(build_table(ranked[:TERMINAL_ROWS], ROW_COLUMNS, "Candidates"))
        if len(ranked) > TERMINAL_ROWS:
            console.print(
                Text(
                    f"{len(ranked) - TERMINAL_ROWS:,} more candidates: use --format csv, json "
                    "or markdown for every row."
                )
            )


_RANK = {"high": 0, "caution": 1, "none": 2, "no candidate": 3}


def _scope(report: ScreenReport) -> str:
    text = f"against {report.vendors:,} known vendors, each row at its date (else {report.as_of})"
    if report.for_country:
        text += f", for {report.for_country}"
    return text + f"; name-alike candidates from score {report.min_score:g}"


@app.command("decide")
def decide(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="The screened name, as the list wrote it.")
    ] = None,
    vendor: Annotated[str | None, typer.Argument(help="The known vendor: its id or name.")] = None,
    verdict: Annotated[
        str | None, typer.Argument(help="same, different or unsure.", metavar="VERDICT")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Why (kept with the decision).")
    ] = None,
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", help="Who decides (default: the login name)."),
    ] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A CSV of decisions instead (columns name, vendor, verdict, note, reviewer); "
            "all or nothing.",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """Record that NAME is (same), is not (different) or may be (unsure) VENDOR; later
    screens and checks show it, and a "different" candidate no longer raises a level."""
    import getpass

    from procwatch.errors import InvalidInputError
    from procwatch.screening.reviews import decide as record
    from procwatch.screening.reviews import decide_from_file

    who = reviewer or getpass.getuser()
    if from_file is not None:
        if name or vendor or verdict:
            raise InvalidInputError("give NAME VENDOR VERDICT or --from FILE, not both")
        with open_store(ctx) as store:
            count = decide_from_file(store, from_file, reviewer=who)
        typer.echo(f"Recorded {count} decision{'s' if count != 1 else ''} from {from_file.name}.")
        return
    if not (name and vendor and verdict):
        raise InvalidInputError("give NAME VENDOR VERDICT (or --from FILE)")
    with open_store(ctx) as store:
        decision = record(store, name, vendor, verdict, note=note, reviewer=who)
    typer.echo(f"Recorded: {decision.name!r} ~ {decision.vendor}: {decision.text}")


DECISION_COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Vendor", lambda r: r.vendor or f"(gone: {r.vendor_key})"),
    Column("Verdict", lambda r: r.verdict, no_wrap=True),
    Column("Reviewer", lambda r: r.reviewer or ""),
    Column("Decided", lambda r: r.decided_at, no_wrap=True),
    Column("Note", lambda r: r.note or ""),
]


@app.command("decisions")
def decisions(
    ctx: typer.Context,
    fmt: FormatOption = OutputFormat.table,
    csv_safe: CsvSafeOption = False,
    output: OutputOption = None,
    limit: LimitOption = None,
) -> None:
    """List reviewers' decisions, newest first, each with the vendor it is about now."""
    from procwatch.cli.render import render
    from procwatch.screening.reviews import ReviewDecision, list_decisions

    with open_connection(ctx) as connection:
        found = list_decisions(connection)
    render(
        found,
        DECISION_COLUMNS,
        fmt,
        output,
        csv_safe=csv_safe,
        title="Decisions",
        record_type=ReviewDecision,
        limit=limit,
    )
