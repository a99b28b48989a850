"""A screen of a supplier list as Markdown an NGO can publish: outcomes, then the candidates."""

from __future__ import annotations

from procwatch.queries.coverage import no_match_text
from procwatch.screening.markdown import md
from procwatch.screening.report import LEVEL_RULE
from procwatch.screening.screen import ScreenOutcome, ScreenReport, ScreenRow
from procwatch.screening.view import coverage_lines

_HEADER = "| Row | Counterparty | Candidate | Match | Level | Measures in force and reasons |"


def screen_markdown(report: ScreenReport) -> str:
    """Render a screen as Markdown: the outcome counts, then each candidate by outcome."""
    lines = [
        f"# Screen of {len(report.counterparties):,} counterparties",
        "",
        f"Against {report.vendors:,} known vendors; each row at its own date, else "
        f"{report.as_of}"
        + (f", for {md(report.for_country)}" if report.for_country else "")
        + f"; name-alike candidates from score {report.min_score:g}.",
        "",
        "| ScreenOutcome | Counterparties |",
        "| --- | ---: |",
        *(f"| {outcome} | {count:,} |" for outcome, count in report.summary.items()),
    ]
    rows = [row for row in report.rows if row.candidate]
    for outcome in (ScreenOutcome.HIGH, ScreenOutcome.CAUTION, ScreenOutcome.NONE):
        shown = [row for row in rows if row.outcome is outcome]
        if not shown:
            continue
        lines += ["", f"## {str(outcome).capitalize()}", "", _HEADER, "| ---: |" + " --- |" * 5]
        lines += [_row(row) for row in shown]
    missing = report.summary[ScreenOutcome.NO_CANDIDATE]
    if missing:
        lines += [
            "",
            f"{missing:,} counterparties have no candidate: {md(no_match_text(report.coverage))}."
            " That is not a clearance: the database holds no vendor of their name or "
            "identifier.",
        ]
    lines += ["", "## Coverage", ""]
    lines += [f"- {md(line)}" for line in coverage_lines(report.coverage)]
    lines += ["", "## Level rule", ""]
    lines += [f"- **{level}**: {rule}" for level, rule in LEVEL_RULE]
    return "\n".join(lines) + "\n"


def _row(row: ScreenRow) -> str:
    candidate = md(row.candidate)
    if row.vendor_country:
        candidate += f" ({md(row.vendor_country)})"
    match = f"{row.match} {row.score:g}" if row.match is not None else ""
    if row.why:
        match += f": {md(row.why)}"
    detail = "; ".join(part for part in (row.measures, row.reasons) if part) or "nothing recorded"
    detail = f"**{md(row.review_text)}**; {md(detail)}" if row.review_text else md(detail)
    return f"| {row.row} | {md(row.name)} | {candidate} | {match} | {row.level or ''} | {detail} |"
