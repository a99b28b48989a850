"""What every import command shows: a progress bar while it works, a summary at the end."""

import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from procwatch.importers import ImportSummary

# The bar appears only once an import has run this long (seconds): short imports stay quiet.
PROGRESS_DELAY = 0.5


class ProgressBar:
    """A Rich progress bar on stderr, shown on a terminal once an import takes a while."""

    def __enter__(self) -> "ProgressBar":
        from procwatch.cli.render import make_console

        self.console = make_console(stderr=True)
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        # Off a terminal (pipes, CI, tests) a bar would only leave noise behind.
        if not self.console.is_terminal:
            return
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_DELAY:
                return
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage.capitalize(), total=total)
        self.bar.update(self.tasks[stage], completed=done, total=total)

    def __exit__(self, *_: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def print_summary(summary: "ImportSummary", tables: tuple[str, ...], title: str) -> None:
    """Print added, updated and unchanged counts per table, then warnings and rejections."""
    from rich.table import Table
    from rich.text import Text

    from procwatch.cli.render import cli_terms, make_console
    from procwatch.importers import Outcome

    # Text throughout: warnings quote the data (a `[/x]` cell once crashed the report after
    # the import had committed, read as Rich markup), and the console drops its controls.
    console = make_console()
    table = Table(title=title)
    table.add_column("Records")
    # Removals are rare: their column appears only when an import removed something.
    shown = [
        outcome
        for outcome in Outcome
        if outcome is not Outcome.REMOVED or any(summary.get(name, outcome) for name in tables)
    ]
    for outcome in shown:
        table.add_column(outcome.value.capitalize(), justify="right")
    for name in tables:
        table.add_row(Text(name), *(Text(str(summary.get(name, outcome))) for outcome in shown))
    console.print(table)
    if summary.warnings:
        warnings = Table(title="Warnings")
        warnings.add_column("Rows", justify="right")
        warnings.add_column("Warning")
        for message, count in summary.warnings.most_common():
            where = summary.first_at.get(message)
            text = f"{message} (first: {where})" if where else message
            warnings.add_row(Text(str(count)), Text(cli_terms(text)))
        console.print(warnings)
    if summary.rejected:
        console.print(Text(f"Rejected {summary.rejections}:"))
        for message in summary.rejected:
            console.print(Text(f"  {cli_terms(message)}"), soft_wrap=True)
        if summary.unlisted:
            console.print(Text(f"  ... and {summary.unlisted} more"))
    if summary.refused_files:
        count = len(summary.refused_files)
        console.print(
            Text(f"Refused {count} file{'s' if count > 1 else ''}, nothing of them imported:")
        )
        for message in summary.refused_files:
            console.print(Text(f"  {cli_terms(message)}"), soft_wrap=True)
