"""The check report as Markdown an NGO can publish as is: every line cites its sources.

Every piece of text from the data (names, reasons, quotes, titles, the database's name) is
escaped on its way in, so that a vendor named `<script>`, a reason holding
`](javascript:alert(1))` or a newline followed by `# Cleared` reads as the text it is
instead of becoming HTML, a link or a heading where the report is published.
"""

from __future__ import annotations

import re

from procwatch.queries.citations import SourceRef
from procwatch.screening.report import CheckReport
from procwatch.screening.view import report_view

# Markdown's inline syntax that data could open: emphasis, code, links and images, tables,
# strike-through, math (GitHub reads `$x$`), and the backslash itself. HTML is escaped as
# entities (below).
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
# What opens a block when it starts a line: headings, quotes, lists, rules, setext lines.
# (A backslash escapes punctuation only: `1.` becomes `1\.`, not `\1.`.)
_BLOCK_START = re.compile(r"^(\s*)([#>+=-])|^(\s*\d+)([.)])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")
# Controls a terminal would obey when the report is read with cat, and bidirectional
# overrides that reorder what a reader sees: dropped, as the terminal tables drop them.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
# The citation markers report_view appends (` [3]`): left as they are, escaped or not.
_CITATION = re.compile(r"\\\[(\d+)\\\]")


def md(text: str | None) -> str:
    """Return data as Markdown text that renders as exactly that text, on one line."""
    if not text:
        return ""
    text = _INLINE.sub(r"\\\1", _html(text))
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}", text)


def _html(text: str) -> str:
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cited(text: str) -> str:
    # A line of data with report_view's citation numbers: the data escaped, the numbers kept.
    return _CITATION.sub(r"[\1]", md(text))


def code(text: str) -> str:
    """Return data as a Markdown code span, fenced by more backticks than it holds."""
    text = _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def report_markdown(report: CheckReport) -> str:
    """Render a check report as Markdown with numbered citations and its origin."""
    view = report_view(report)
    lines = [f"# {md(view.title)}", "", f"**Level: {view.level}** ({md(view.scope)})."]
    # The origin is procwatch's sentence around the database's name: HTML and lines escaped,
    # the name's underscores (PostgreSQL's pw_test) left as they are, since intraword `_`
    # never starts emphasis.
    lines += ["", _html(view.origin), ""]
    lines += [f"- {_cited(fact)}" for fact in view.facts]
    lines += ["", "## Why this level", ""]
    lines += [f"- **{level}**: {_cited(text)}" for level, text in view.reasons]
    if view.caveat:
        lines += ["", md(view.caveat)]
    if view.jurisdictions:
        lines += ["", "## Jurisdictions", ""]
        framed = view.framed
        lines.append("| Jurisdiction |" + (" Relation |" if framed else "") + " What and when |")
        lines.append("| --- |" + (" --- |" if framed else "") + " --- |")
        for row in view.jurisdictions:
            relation = f" {md(row.relation)} |" if framed else ""
            lines.append(f"| {md(row.heading)} |{relation} {md(row.summary)} |")
        for row in view.jurisdictions:
            lines += ["", f"### {md(row.heading)}", ""]
            lines += [
                f"- {_cited(line)}" for line in row.lines or ["no contracts or measures recorded"]
            ]
    if view.flags:
        lines += ["", "## Red flags", ""]
        lines += [
            "| Contract | Buyer | Flag | Certainty | Evidence |",
            "| --- | --- | --- | --- | --- |",
        ]
        lines += [
            f"| {md(f.contract)} | {md(f.buyer)} | {f.code} | {f.certainty} "
            f"| {_cited(f.evidence)} |"
            for f in view.flags
        ]
        lines += ["", "Flag definitions:", ""]
        # The program's own words, not data: written as they are.
        lines += [f"- `{code}`: {text}" for code, text in view.flag_definitions]
    if view.coverage:
        lines += ["", "## Coverage", ""]
        lines += [f"- {md(line)}" for line in view.coverage]
    lines += ["", "## How the level is set", ""]
    lines += [f"- **{level}**: {rule}" for level, rule in view.level_rule]
    if view.sources:
        lines += ["", "## Sources", ""]
        lines += [f"{number}. {source_text(source)}" for number, source in view.sources]
        lines += ["", "Documents:", ""]
        lines += [f"- {code(key)}: {md(title)}" for key, title in view.documents]
    return "\n".join(lines) + "\n"


def source_text(source: SourceRef) -> str:
    """Render a citation as the quoted sentence, the source's key and the locator in it."""
    where = code(source.source) + (f", {md(source.locator)}" if source.locator else "")
    return f"“{md(source.quote)}” ({where})" if source.quote else where
