"""procwatch import: bring real data in (OCDS files, sanctions and debarment lists)."""

import typer

from procwatch.cli import import_measures, import_ocds

app = typer.Typer(
    help="Import real data: OCDS procurement files, sanctions and debarment lists.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

app.command("measures")(import_measures.measures)
app.command("ocds")(import_ocds.ocds)
