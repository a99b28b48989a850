"""The check report as Markdown an NGO can publish as is: every line cites its sources."""

from __future__ import annotations

from procwatch.queries.citations import SourceRef
from procwatch.screening.report import CheckReport
from procwatch.screening.view import report_view


def report_markdown(report: CheckReport) -> str:
    """Render a check report as Markdown with numbered citations and its origin."""
    view = report_view(report)
    lines = [f"# {view.title}", "", f"**Level: {view.level}** ({view.scope})."]
    lines += ["", view.origin, ""]
    lines += [f"- {fact}" for fact in view.facts]
    lines += ["", "## Why this level", ""]
    lines += [f"- **{level}**: {text}" for level, text in view.reasons]
    if view.caveat:
        lines += ["", view.caveat]
    if view.jurisdictions:
        lines += ["", "## Jurisdictions", ""]
        framed = view.framed
        lines.append("| Jurisdiction |" + (" Relation |" if framed else "") + " What and when |")
        lines.append("| --- |" + (" --- |" if framed else "") + " --- |")
        for row in view.jurisdictions:
            relation = f" {_cell(row.relation or '')} |" if framed else ""
            lines.append(f"| {_cell(row.heading)} |{relation} {_cell(row.summary)} |")
        for row in view.jurisdictions:
            lines += ["", f"### {row.heading}", ""]
            lines += [f"- {line}" for line in row.lines or ["no contracts or measures recorded"]]
    if view.flags:
        lines += ["", "## Red flags", ""]
        lines += [
            "| Contract | Buyer | Flag | Certainty | Evidence |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(f.contract)} | {_cell(f.buyer)} | {f.code} | {f.certainty} "
            f"| {_cell(f.evidence)} |"
            for f in view.flags
        ]
        lines += ["", "Flag definitions:", ""]
        lines += [f"- `{code}`: {text}" for code, text in view.flag_definitions]
    lines += ["", "## How the level is set", ""]
    lines += [f"- **{level}**: {rule}" for level, rule in view.level_rule]
    if view.sources:
        lines += ["", "## Sources", ""]
        lines += [f"{number}. {source_text(source)}" for number, source in view.sources]
        lines += ["", "Documents:", ""]
        lines += [f"- `{key}`: {title}" for key, title in view.documents]
    return "\n".join(lines) + "\n"


def source_text(source: SourceRef) -> str:
    """Render a citation as the quoted sentence, the source's key and the locator in it."""
    where = f"`{source.source}`" + (f", {source.locator}" if source.locator else "")
    return f"“{source.quote}” ({where})" if source.quote else where


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
