"""Run every `$ procwatch ...` example of README.md and docs/*.md, and rewrite or check its output.

    python -m tests.docs_examples            # rewrite every example's output in place
    python -m tests.docs_examples --check    # exit 1 and show a diff where one drifted

tests/test_docs_examples.py runs the check. An example is a fenced block whose first line
starts with `$ `; each `$ command` is run by bash and followed by what it printed (stdout and
stderr, as a terminal shows them). The examples of one file run in order, in a fresh folder
with a fresh database (PROCWATCH_DB=procwatch.db), so an example that needs data imports it
first, in the same file. The folder holds the sample files the docs name
(`us-consolidated-screening-list-sample.csv`, `debarred-firms.csv`, `suppliers.csv`),
`../shared` as in a checkout next to the shared data, and `docs/` for charts; a chart an
example draws is copied back into docs/ when rewriting.

A block whose last line is `...` keeps only as many lines of each output as it shows. A block
after `<!-- examples: skip REASON -->` is left as written (say why: a server it needs).
Comparing, only what must vary is normalised: generated timestamps and today's date. A block
whose output differs from the program's only there is not rewritten, so it keeps the stamps of
the run that produced it and an unchanged file is left untouched.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The files the examples name, as a reader would have them in the current folder.
SAMPLES = {
    "us-consolidated-screening-list-sample.csv": SHARED
    / "data"
    / "sanctions"
    / "us-consolidated-screening-list-sample.csv",
    "debarred-firms.csv": ROOT / "tests" / "fixtures" / "measures" / "debarred-firms.csv",
    "suppliers.csv": ROOT / "tests" / "fixtures" / "screening" / "suppliers.csv",
}
CHARTS = ("docs/timeline-nuctech.png",)
SKIP = re.compile(r"^<!-- examples: skip (.+?) -->$", re.MULTILINE)
FENCE = re.compile(r"^```")
# The width of the tables in the docs, as in a terminal of 100 columns.
WIDTH = "100"
STAMP = re.compile(r"\b(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?(?: UTC|Z)?")


@dataclass
class Example:
    """One `$ command` and the lines it printed."""

    command: str
    output: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A fenced block of examples: where it is in the file, and its commands."""

    start: int  # index of the first line inside the fence
    end: int  # index of the closing fence
    examples: list[Example]
    cut: bool  # the block ends with `...`: keep as many lines as it shows
    skip: str | None


def blocks(lines: list[str]) -> list[Block]:
    """Return the example blocks of a Markdown file's lines."""
    found: list[Block] = []
    index = 0
    while index < len(lines):
        if not FENCE.match(lines[index]):
            index += 1
            continue
        start = index + 1
        end = start
        while end < len(lines) and not FENCE.match(lines[end]):
            end += 1
        body = lines[start:end]
        if body and body[0].startswith("$ "):
            before = "\n".join(lines[max(0, index - 3) : index])
            skip = SKIP.search(before)
            cut = body[-1] == "..."
            examples: list[Example] = []
            for line in body[:-1] if cut else body:
                if line.startswith("$ "):
                    examples.append(Example(line[2:]))
                elif examples[-1].command.endswith("\\") and not examples[-1].output:
                    examples[-1].command += "\n" + line  # a command continued on the next line
                else:
                    examples[-1].output.append(line)
            found.append(Block(start, end, examples, cut, skip.group(1) if skip else None))
        index = end + 1
    return found


def _workdir(base: Path) -> Path:
    work = base / "work"
    (work / "docs").mkdir(parents=True)
    # As in a checkout: the docs name tests/fixtures/... and ../shared/data/...
    (work / "tests").symlink_to(ROOT / "tests")
    if SHARED.is_dir():
        (base / "shared").symlink_to(SHARED)
    for name, source in SAMPLES.items():
        if source.exists():
            shutil.copy(source, work / name)
    return work


@dataclass
class Shell:
    """What one example leaves to the next, as in one terminal: exports and the exit status."""

    exports: list[str] = field(default_factory=list)
    status: int = 0


def run(command: str, work: Path, shell: Shell) -> list[str]:
    """Run one example in the folder; return its output lines (stdout, then stderr)."""
    env = {
        **os.environ,
        "PROCWATCH_DB": "procwatch.db",
        "COLUMNS": WIDTH,
        "LINES": "50",
        "TERM": "dumb",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("SOURCE_DATE_EPOCH", None)
    script = "\n".join([*shell.exports, f"(exit {shell.status})", command])
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=work,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    shell.status = done.returncode
    if command.startswith("export "):
        shell.exports.append(command)
    text = done.stdout + done.stderr
    return [line.rstrip() for line in text.splitlines()]


def rendered(path: Path, base: Path) -> tuple[str, list[str]]:
    """Return the file with every example's output as the program prints it now, and the
    reasons of the blocks skipped; charts the examples drew are left in `base`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    work = _workdir(base)
    shell = Shell()
    skipped: list[str] = []
    replaced: list[tuple[int, int, list[str]]] = []
    for block in blocks(lines):
        if block.skip:
            skipped.append(block.skip)
            continue
        body: list[str] = []
        for example in block.examples:
            output = run(example.command, work, shell)
            if block.cut:
                output = output[: len(example.output)]
            # Blank lines the docs put between examples, for reading, stay.
            spacing = len(example.output) - len("\n".join(example.output).rstrip("\n").splitlines())
            body += [f"$ {example.command}", *output, *[""] * spacing]
        end = block.end - 1 if block.cut else block.end
        if normalised("\n".join(body)) == normalised("\n".join(lines[block.start : end])):
            # Unchanged but for its timestamps: the block keeps the ones of the run that
            # printed it, which say truly when its figures were produced, and the file
            # does not churn.
            continue
        replaced.append((block.start, end, body))
    # Last first, so that each replacement leaves the line numbers of the earlier ones.
    for start, end, body in reversed(replaced):
        lines[start:end] = body
    for chart in CHARTS:
        if (work / chart).exists():
            shutil.copy(work / chart, base / Path(chart).name)
    return "\n".join(lines) + "\n", skipped


def normalised(text: str) -> str:
    """Replace generated timestamps and the dates they fall on (today's) by placeholders."""
    days = {match.group(1) for match in STAMP.finditer(text)}
    text = STAMP.sub("<generated>", text)
    for day in days:
        text = text.replace(day, "<today>")
    return text


def check(path: Path) -> str:
    """Return a diff between the file's examples and the program's output ('' when equal)."""
    with tempfile.TemporaryDirectory(prefix="procwatch-docs-") as temporary:
        fresh, _ = rendered(path, Path(temporary))
    written = path.read_text(encoding="utf-8")
    if normalised(fresh) == normalised(written):
        return ""
    return "".join(
        difflib.unified_diff(
            normalised(written).splitlines(keepends=True),
            normalised(fresh).splitlines(keepends=True),
            fromfile=str(path.relative_to(ROOT)),
            tofile="as the program prints it",
        )
    )


def update(path: Path) -> list[str]:
    """Rewrite the file's example outputs (and its charts); return the skipped blocks' reasons."""
    with tempfile.TemporaryDirectory(prefix="procwatch-docs-") as temporary:
        fresh, skipped = rendered(path, Path(temporary))
        for chart in CHARTS:
            drawn = Path(temporary) / Path(chart).name
            if drawn.exists():
                shutil.copy(drawn, ROOT / chart)
    if fresh != path.read_text(encoding="utf-8"):
        path.write_text(fresh, encoding="utf-8")
    return skipped


def main(argv: list[str]) -> int:
    """Rewrite (default) or check (--check) the examples of every doc."""
    failed = False
    for path in FILES:
        if "--check" in argv:
            diff = check(path)
            if diff:
                print(diff)
                failed = True
        else:
            skipped = update(path)
            note = f" (skipped: {'; '.join(skipped)})" if skipped else ""
            print(f"{path.relative_to(ROOT)}{note}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
