"""The check report as Markdown an NGO can publish as is: every line cites its sources."""

from __future__ import annotations

from collections.abc import Iterable

from procwatch.dates import format_period
from procwatch.queries.citations import SourceRef
from procwatch.screening.flags import FLAGS
from procwatch.screening.report import LEVEL_RULE, CheckReport, citation_numbers

NOT_A_CLEARANCE = (
    "This is not a clearance: the database may simply hold no records about this vendor."
)


def report_markdown(report: CheckReport) -> str:
    """Render a check report as Markdown with numbered citations."""
    numbers = citation_numbers(report)

    def cite(sources: Iterable[SourceRef]) -> str:
        marks = sorted({numbers[source] for source in sources})
        return "".join(f" [{number}]" for number in marks)

    vendor = report.vendor
    lines = [f"# Due-diligence check: {vendor.name}", "", f"**Level: {report.level.upper()}**"]
    lines[-1] += f" ({scope_text(report)})."
    lines.append("")
    home = f"{vendor.country_name} ({vendor.country})" if vendor.country else "unknown"
    lines.append(f"- Home country: {home}")
    lines.append(f"- Aliases: {'; '.join(vendor.aliases) or 'none'}{cite(vendor.sources)}")
    if vendor.identifiers:
        lines.append(f"- Identifiers: {'; '.join(vendor.identifiers)}")
    lines += ["", "## Why this level", ""]
    lines += [f"- **{r.level}**: {r.text}{cite(r.sources)}" for r in report.reasons]
    if report.nothing_known:
        lines += ["", NOT_A_CLEARANCE]
    if report.jurisdictions:
        lines += ["", "## Jurisdictions", ""]
        framed = report.for_country is not None
        lines.append("| Jurisdiction |" + (" Relation |" if framed else "") + " What and when |")
        lines.append("| --- |" + (" --- |" if framed else "") + " --- |")
        for row in report.jurisdictions:
            relation = f" {_cell(row.relation or '')} |" if framed else ""
            lines.append(f"| {_cell(row.name)} ({row.code}) |{relation} {_cell(row.summary)} |")
        for row in report.jurisdictions:
            lines += ["", f"### {row.name} ({row.code})", ""]
            lines += [f"- {m.label}{cite(m.sources)}" for m in row.measures]
            lines += [f"- {c.label}{cite(c.sources)}" for c in row.contracts]
            lines += [
                f"- through the {m.country}: {m.label}{cite(m.sources)}" for m in row.through_unions
            ]
            if not (row.measures or row.contracts or row.through_unions):
                lines.append("- no contracts or measures recorded")
    if report.flags:
        lines += ["", "## Red flags", ""]
        lines += [
            "| Contract | Buyer | Flag | Certainty | Evidence |",
            "| --- | --- | --- | --- | --- |",
        ]
        for flag in report.flags:
            when = format_period(flag.date, flag.date_end) or "undated"
            lines.append(
                f"| {flag.country} {when}: {_cell(flag.title)} | {_cell(flag.buyer or '')} "
                f"| {flag.code} | {flag.certainty} | {_cell(flag.evidence)}{cite(flag.sources)} |"
            )
        used = {flag.code for flag in report.flags}
        lines += ["", "Flag definitions:", ""]
        lines += [
            f"- `{f.code}`: {f.definition} (reference: {f.reference})"
            for f in FLAGS
            if f.code in used
        ]
    lines += ["", "## How the level is set", ""]
    lines += [f"- **{level}**: {rule}" for level, rule in LEVEL_RULE]
    if numbers:
        lines += ["", "## Sources", ""]
        lines += [f"{number}. {source_text(source)}" for source, number in numbers.items()]
        documents = {source.source: source.title for source in numbers}
        lines += ["", "Documents:", ""]
        lines += [f"- `{key}`: {title}" for key, title in documents.items()]
    return "\n".join(lines) + "\n"


def scope_text(report: CheckReport) -> str:
    """Say which date and which buyer's country the report answers for."""
    text = f"as of {report.as_of}" if report.as_of else "as of today"
    if report.for_country:
        text += f", for a buyer in {report.for_country_name} ({report.for_country})"
    return text


def source_text(source: SourceRef) -> str:
    """Render a citation as the quoted sentence, the source's key and the locator in it."""
    where = f"`{source.source}`" + (f", {source.locator}" if source.locator else "")
    return f"“{source.quote}” ({where})" if source.quote else where


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
