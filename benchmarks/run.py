"""Measure procwatch at scale, each result next to a baseline measured in the same run.

    python benchmarks/run.py                      # a million contracts (a few minutes)
    python benchmarks/run.py --contracts 100000   # a quick run
    python benchmarks/run.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python benchmarks/run.py --only screen        # screening only (benchmarks/screen.py)

Writes docs/benchmarks.md (results and the machine) and docs/benchmarks-summary.md (the
table for the README). Every command runs in its own process; its time is the median wall
time of several runs, interleaved with its baseline's runs, and its memory is the peak
resident set size of the process.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import pickle
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.generate import Sizes  # noqa: E402

BIN = Path(sys.executable).parent
TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None
PROCWATCH = str(BIN / "procwatch")
FLOOR = "import typer, rich.console, rich.table, sqlalchemy.orm"
# On PostgreSQL the stack includes its driver: importing psycopg and SQLAlchemy's dialect
# for it takes about a third of the floor above, before procwatch runs a line.
POSTGRES_FLOOR = FLOOR + ", psycopg, sqlalchemy.dialects.postgresql.psycopg"
BARE_TYPER = """
import typer

app = typer.Typer()


@app.command()
def main(name: str = "world") -> None:
    \"\"\"Say hello.\"\"\"
    print(name)


app()
"""
# The summary as one would first write it on this schema: join the names, then group.
# procwatch groups the contracts first, on their index, then joins the names, and formats
# exact decimal totals where the shell prints minor units: within 1.5x of it (issue 12).
SUMMARY_TARGET = 1.5
NAIVE_SUMMARY = """
SELECT v.name AS vendor, j.code AS country, j.name AS country_name, c.years AS year,
  c.currency, count(*) AS contracts, sum(c.amount_minor) AS total_minor,
  sum(CASE WHEN c.amount_minor IS NULL THEN 1 ELSE 0 END) AS unknown_values,
  sum(CASE WHEN c.amount_is_estimate THEN 1 ELSE 0 END) AS estimated_values
FROM contracts c JOIN vendors v ON v.id = c.vendor_id
JOIN jurisdictions j ON j.id = c.jurisdiction_id
GROUP BY v.name, j.code, j.name, c.years, c.currency
ORDER BY v.name, j.code, year, c.currency
"""
# The vendor: `check` drew its 4,477 contracts in 3.45 s as a table, 0.71 s as JSON.
BUSY_VENDOR_CONTRACTS = 4_477
FULL_EXPORT = """
SELECT c.id, c.key, v.name, b.name, j.code, c.title, c.procurement_method,
  c.procurement_method_details, c.amount_minor, c.currency, c.amount_is_estimate,
  c.date_start, c.date_end, c.places, c.status, c.ocid
FROM contracts c JOIN vendors v ON v.id = c.vendor_id
JOIN jurisdictions j ON j.id = c.jurisdiction_id LEFT JOIN buyers b ON b.id = c.buyer_id
ORDER BY c.id
"""
LOAD_PROCWATCH = """
import json, pickle, sys, time
from benchmarks.generate import CONTRACT_COLUMNS, contract_rows
from procwatch import tables
from procwatch.db import make_engine
from procwatch.store import store_scope

url, reference_file = sys.argv[1:]
with open(reference_file, "rb") as handle:
    reference = pickle.load(handle)
totals = {}
rows = list(contract_rows(reference, totals))
engine = make_engine(url)
start = time.perf_counter()
with store_scope(engine) as store:
    store.insert_rows(tables.contracts, CONTRACT_COLUMNS, rows)
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))
"""
LOAD_SQLITE3 = """
import json, pickle, sqlite3, sys, time
from benchmarks.generate import CONTRACT_COLUMNS, contract_rows

path, reference_file = sys.argv[1:]
with open(reference_file, "rb") as handle:
    reference = pickle.load(handle)
rows = list(contract_rows(reference, {}))
start = time.perf_counter()
connection = sqlite3.connect(path)
marks = ", ".join("?" * len(CONTRACT_COLUMNS))
with connection:
    connection.executemany(
        f"INSERT INTO contracts ({', '.join(CONTRACT_COLUMNS)}) VALUES ({marks})", rows
    )
connection.close()
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))
"""
LOAD_PSYCOPG = """
import json, pickle, sys, time
import psycopg
from benchmarks.generate import CONTRACT_COLUMNS, contract_rows

url, reference_file = sys.argv[1:]
with open(reference_file, "rb") as handle:
    reference = pickle.load(handle)
rows = list(contract_rows(reference, {}))
start = time.perf_counter()
marks = ", ".join(["%s"] * len(CONTRACT_COLUMNS))
with psycopg.connect(url) as connection, connection.cursor() as cursor:
    cursor.executemany(
        f"INSERT INTO contracts ({', '.join(CONTRACT_COLUMNS)}) VALUES ({marks})", rows
    )
print(json.dumps({"seconds": time.perf_counter() - start, "rows": len(rows)}))
"""


@dataclass
class Run:
    """One process run: wall seconds, peak memory in MB, what it printed."""

    seconds: float
    peak_mb: float
    stdout: str


@dataclass
class Result:
    """A measurement next to its baseline, and the target on their ratio."""

    name: str
    candidate: str
    baseline: str
    seconds: float
    baseline_seconds: float
    peak_mb: float
    baseline_peak_mb: float
    target: str
    met: bool | None
    ratio_text: str = ""


def run(command: Sequence[str], *, stdin: Path | None = None, stdout: Path | None = None) -> Run:
    """Run a command to completion; return its wall time and its own peak RSS."""
    # GNU time reports the command's own peak RSS: a child forked from this process would
    # start its count at this (large) process's size.
    peak_file = Path(tempfile.mkstemp(prefix="peak-")[1])
    timed = [TIME, "-f", "%M", "-o", str(peak_file), *command] if TIME else list(command)
    source = stdin.open("rb") if stdin else None
    sink = stdout.open("wb") if stdout else None
    try:
        start = time.perf_counter()
        finished = subprocess.run(
            timed,
            stdin=source or subprocess.DEVNULL,
            stdout=sink or subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env=_env(),
            check=False,
        )
        seconds = time.perf_counter() - start
    finally:
        for handle in (source, sink):
            if handle is not None:
                handle.close()
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{finished.stderr.decode()}")
    peak_text = peak_file.read_text().strip().splitlines()
    peak_file.unlink()
    peak_mb = int(peak_text[-1]) / 1024 if peak_text else float("nan")
    return Run(seconds, peak_mb, finished.stdout.decode() if finished.stdout else "")


def _env() -> dict[str, str]:
    # The checkout's own src/ first: an editable install may point at another worktree.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("PROCWATCH_DB", None)
    return env


def compare(
    name: str,
    candidate: tuple[str, Sequence[str]],
    baseline: tuple[str, Sequence[str]],
    *,
    repeat: int,
    target: float | None,
    target_text: str,
    io: dict[str, Path] | None = None,
) -> Result:
    """Run a command and its baseline `repeat` times, interleaved; compare the medians."""
    files = io or {}
    runs: dict[str, list[Run]] = {"candidate": [], "baseline": []}
    for _ in range(repeat):
        for side, (_, command) in (("candidate", candidate), ("baseline", baseline)):
            runs[side].append(
                run(command, stdin=files.get(f"{side}_in"), stdout=files.get(f"{side}_out"))
            )
    seconds = statistics.median(r.seconds for r in runs["candidate"])
    baseline_seconds = statistics.median(r.seconds for r in runs["baseline"])
    ratio = seconds / baseline_seconds
    return Result(
        name=name,
        candidate=candidate[0],
        baseline=baseline[0],
        seconds=seconds,
        baseline_seconds=baseline_seconds,
        peak_mb=max(r.peak_mb for r in runs["candidate"]),
        baseline_peak_mb=max(r.peak_mb for r in runs["baseline"]),
        target=target_text,
        met=None if target is None else ratio <= target,
        ratio_text=f"{ratio:.2f}x",
    )


def build(workdir: Path, url: str, sizes: Sizes, seed: int) -> Path:
    """Create, migrate and seed a database with the reference rows; pickle the reference."""
    from benchmarks.generate import load_reference

    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    engine = open_database(url, write=True)
    with store_scope(engine) as store:
        reference = load_reference(store, sizes, seed=seed)
    engine.dispose()
    path = workdir / "reference.pickle"
    path.write_bytes(pickle.dumps(reference))
    return path


def bulk_load(
    name: str, candidate: list[str], baseline: list[str], baseline_label: str, rows: int
) -> Result:
    """Load the contracts once each way; compare rows per second (higher is better)."""
    mine, theirs = run(candidate), run(baseline)
    seconds = json.loads(mine.stdout)["seconds"]
    baseline_seconds = json.loads(theirs.stdout)["seconds"]
    rate, baseline_rate = rows / seconds, rows / baseline_seconds
    return Result(
        name=name,
        candidate=f"Store.insert_rows ({rate:,.0f} rows/s)",
        baseline=f"{baseline_label} ({baseline_rate:,.0f} rows/s)",
        seconds=seconds,
        baseline_seconds=baseline_seconds,
        peak_mb=mine.peak_mb,
        baseline_peak_mb=theirs.peak_mb,
        target="rate >= 0.5x raw",
        met=rate >= 0.5 * baseline_rate,
        ratio_text=f"{rate / baseline_rate:.2f}x rate",
    )


def exactness(url: str, reference_file: Path) -> str:
    """Compare SUM per currency in the database with the generator's exact integer totals."""
    from benchmarks.generate import contract_rows
    from sqlalchemy import text

    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    reference = pickle.loads(reference_file.read_bytes())
    totals: dict[str, int] = {}
    for _ in contract_rows(reference, totals):
        pass
    engine = open_database(url)
    with store_scope(engine) as store:
        found = {
            currency: int(total)
            for currency, total in store.execute(
                text(
                    "SELECT currency, sum(amount_minor) FROM contracts"
                    " WHERE key LIKE 'bench-%' AND currency IS NOT NULL GROUP BY currency"
                )
            )
        }
        floats = store.execute(
            text(
                "SELECT sum(CAST(amount_minor AS FLOAT) / 100) FROM contracts"
                " WHERE key LIKE 'bench-%' AND currency = 'EUR'"
            )
        ).scalar_one()
    engine.dispose()
    drift = float(floats) - totals["EUR"] / 100
    same = "equal" if found == totals else f"DIFFERENT: {found} vs {totals}"
    return (
        f"database SUM per currency vs the generator's exact totals: {same} "
        f"({len(totals)} currencies); the same EUR sum over REAL values is off by "
        f"{drift:+.4f} EUR"
    )


def machine() -> list[str]:
    """Describe the machine, the interpreter and the databases."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{total_kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores; memory {memory}",
        f"- load average at start: {load[0]:.2f} (other work on the machine adds noise)",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    ]


def write_report(
    results: list[Result],
    notes: list[str],
    sizes: Sizes,
    seconds: float,
    command: str,
) -> None:
    """Write docs/benchmarks.md and docs/benchmarks-summary.md."""
    header = (
        "| Measurement | procwatch | baseline | time | baseline time | ratio | target | met "
        "| peak MB | baseline peak MB |\n|---|---|---|---:|---:|---:|---|---|---:|---:|"
    )
    lines = [header]
    for r in results:
        met = "n/a" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(
            f"| {r.name} | {r.candidate} | {r.baseline} | {r.seconds:.3f} s "
            f"| {r.baseline_seconds:.3f} s | {r.ratio_text} | {r.target} | {met} "
            f"| {r.peak_mb:.0f} | {r.baseline_peak_mb:.0f} |"
        )
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            f"Generated by `{command}` on {when} in {seconds:.0f} s; regenerate with the same "
            "command (`--contracts 100000` for a quick run, `--postgres URL` to add "
            "PostgreSQL).",
            "",
            f"Data: {sizes.contracts:,} contracts, {sizes.vendors:,} vendors with aliases, "
            f"{sizes.buyers:,} buyers, {sizes.measures:,} measures, {sizes.jurisdictions} "
            "jurisdictions, nine currencies (exponents 0, 2, 3), dates at year, month and day "
            "precision (benchmarks/generate.py, seed 2024).",
            "",
            "## Machine",
            "",
            *machine(),
            "",
            "## Results",
            "",
            "Times are medians of interleaved runs of each command and its baseline, as "
            "separate processes; peak MB is each process's own maximum resident set size.",
            "",
            *lines,
            "",
            "## Notes",
            "",
            *[f"- {note}" for note in notes],
            "",
        ]
    )
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    summary = [
        f"Measured on {sizes.contracts:,} contracts ({when}; details in docs/benchmarks.md).",
        "",
        "| Measurement | procwatch | baseline | ratio | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in results:
        met = "n/a" if r.met is None else ("yes" if r.met else "no")
        summary.append(
            f"| {r.name} | {r.seconds:.2f} s, {r.peak_mb:.0f} MB "
            f"| {r.baseline_seconds:.2f} s, {r.baseline_peak_mb:.0f} MB "
            f"| {r.ratio_text} | {r.target} | {met} |"
        )
    (ROOT / "docs" / "benchmarks-summary.md").write_text("\n".join(summary) + "\n", "utf-8")


def sqlite_benchmarks(
    workdir: Path, sizes: Sizes, seed: int, *, only_flags: bool = False
) -> tuple[list[Result], list[str]]:
    """Measure on SQLite: bulk load, vendor query, --help, summary, export, flags."""
    results: list[Result] = []
    notes: list[str] = []
    for stale in workdir.glob("*.db*"):  # a --workdir kept from an earlier run
        stale.unlink()
    base = workdir / "base.db"
    reference_file = build(workdir, f"sqlite:///{base}", sizes, seed)
    reference = pickle.loads(reference_file.read_bytes())
    database = workdir / "procwatch.db"
    raw = workdir / "raw.db"
    for copy in (database, raw):
        shutil.copy(base, copy)
    shell = shutil.which("sqlite3")
    if only_flags and shell is not None:
        run([sys.executable, "-c", LOAD_PROCWATCH, f"sqlite:///{database}", str(reference_file)])
        # As an import leaves it when its process closes the database: the WAL written back.
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db = ["--db", str(database)]
        return flags_benchmarks(db, workdir, (shell, str(database)), "group_concat", "SQLite")
    print(f"loading {sizes.contracts:,} contracts twice", file=sys.stderr)
    results.append(
        bulk_load(
            "bulk load, SQLite",
            [sys.executable, "-c", LOAD_PROCWATCH, f"sqlite:///{database}", str(reference_file)],
            [sys.executable, "-c", LOAD_SQLITE3, str(raw), str(reference_file)],
            "raw sqlite3 executemany",
            sizes.contracts,
        )
    )
    notes.append(
        "Bulk load: the same contract tuples, generated before the clock starts, into copies "
        "of one database holding vendors and buyers; procwatch's time includes the ANALYZE it "
        "runs after a bulk load. Peak memory includes the generated rows in both."
    )
    notes.append("SQLite: " + exactness(f"sqlite:///{database}", reference_file))
    db = ["--db", str(database)]
    vendor = reference.sample_vendor
    results.append(
        compare(
            "vendor query",
            (
                f"procwatch contracts --vendor '{vendor}'",
                [PROCWATCH, *db, "contracts", "--vendor", vendor],
            ),
            ("import floor", [sys.executable, "-c", FLOOR]),
            repeat=15,
            target=1.15,
            target_text="<= 1.15x",
        )
    )
    busy = workdir / "busy.db"
    shutil.copy(database, busy)
    busiest = give_contracts(busy, BUSY_VENDOR_CONTRACTS)
    results += report_benchmarks(["--db", str(busy)], busiest)
    notes.append(
        f"Reports on one vendor given {BUSY_VENDOR_CONTRACTS:,} contracts (the issue's count) in "
        "a copy of the database: the terminal `check` and `vendor` show totals per "
        "jurisdiction and year and the first rows; the JSON baseline carries every contract."
    )
    notes.append(
        f'Import floor: `python -c "{FLOOR}"`, the stack the issue names. Read commands '
        "no longer import sqlalchemy.orm (they select on a plain Connection), which is why "
        "they can start faster than this floor."
    )
    bare = workdir / "bare_typer.py"
    bare.write_text(BARE_TYPER)
    results.append(
        compare(
            "--help",
            ("procwatch --help", [PROCWATCH, "--help"]),
            ("bare Typer app --help", [sys.executable, str(bare), "--help"]),
            repeat=15,
            target=1.15,
            target_text="<= 1.15x",
        )
    )
    if shell is None:
        notes.append("sqlite3 shell not found: summary, export and flags baselines skipped.")
        return results, notes
    naive = workdir / "naive.sql"
    naive.write_text(f".mode csv\n.headers on\n{NAIVE_SUMMARY};\n")
    full = workdir / "full.sql"
    full.write_text(f".mode csv\n.headers on\n{FULL_EXPORT};\n")
    results.append(
        compare(
            "contracts summary",
            (
                "procwatch export contracts-summary",
                [PROCWATCH, *db, "export", "contracts-summary", "-o", str(workdir / "summary.csv")],
            ),
            ("sqlite3 shell, join then GROUP BY", [shell, str(database)]),
            repeat=5,
            target=SUMMARY_TARGET,
            target_text=f"<= {SUMMARY_TARGET}x",
            io={"baseline_in": naive, "baseline_out": workdir / "naive.csv"},
        )
    )
    results.append(
        compare(
            "CSV export, all contracts",
            (
                "procwatch export contracts",
                [PROCWATCH, *db, "export", "contracts", "-o", str(workdir / "contracts.csv")],
            ),
            ("sqlite3 -csv", [shell, str(database)]),
            repeat=5,
            target=2.0,
            target_text="<= 2x, < 150 MB",
            io={"baseline_in": full, "baseline_out": workdir / "full.csv"},
        )
    )
    export = results[-1]
    export.met = bool(export.met) and export.peak_mb < 150
    more, more_notes = flags_benchmarks(
        db, workdir, (shell, str(database)), "group_concat", "SQLite"
    )
    results += more
    notes += more_notes
    summary_rows = sum(1 for _ in (workdir / "summary.csv").open()) - 1
    notes.append(
        f"The summary has {summary_rows:,} rows; the sqlite3 shell prints raw minor units "
        "where procwatch writes exact decimal amounts."
    )
    return results, notes


# Flags: within 3x of the same rows from one SQL query in the database's own shell, under
# 300 MB, for every flag and for the one a journalist asks most (issue 15).
FLAGS_TARGET = 3.0
FLAGS_PEAK_MB = 300
BANNED = "PW-SIGNED-WHILE-BANNED"


def flags_benchmarks(
    db: Sequence[str], workdir: Path, shell: tuple[str, ...], aggregate: str, backend: str
) -> tuple[list[Result], list[str]]:
    """Time `procwatch flags -f csv` (all, then one flag) against the shell's single query.

    `shell` runs a query given on its standard input (sqlite3) or after it (psql -c).
    """
    from benchmarks.flags import flags_sql

    results: list[Result] = []
    notes: list[str] = []
    for codes, label in ((None, "all flags"), ((BANNED,), f"--flag {BANNED}")):
        name = "flags" if codes is None else "flags-banned"
        mine = workdir / f"{name}.csv"
        theirs = workdir / f"{name}-shell.csv"
        sql = flags_sql(aggregate, codes)
        command = [PROCWATCH, *db, "flags", "-f", "csv", "-o", str(mine)]
        if codes is not None:
            command[-4:-4] = ["--flag", codes[0]]
        if shell[0].endswith("sqlite3"):
            script = workdir / f"{name}.sql"
            script.write_text(f".mode csv\n.headers on\n{sql};\n")
            baseline = ("sqlite3 shell, one query", list(shell))
            io = {"baseline_in": script, "baseline_out": theirs}
        else:
            baseline = (
                "psql \\copy, one query",
                [*shell, f"\\copy ({sql}) TO STDOUT CSV HEADER"],
            )
            io = {"baseline_out": theirs}
        result = compare(
            f"flags, {label}, {backend}",
            (f"procwatch flags{'' if codes is None else ' --flag ' + codes[0]} -f csv", command),
            baseline,
            repeat=3,
            target=FLAGS_TARGET,
            target_text=f"<= {FLAGS_TARGET:g}x, < {FLAGS_PEAK_MB} MB",
            io=io,
        )
        result.met = bool(result.met) and result.peak_mb < FLAGS_PEAK_MB
        results.append(result)
        notes.append(f"{backend}, {label}: " + same_flags(mine, theirs))
    return results, notes


def same_flags(mine: Path, theirs: Path) -> str:
    """Compare procwatch's (contract, flag, certainty) rows, in order, with the shell's."""
    import csv

    def rows(path: Path) -> list[tuple[str, str, str]]:
        with path.open(encoding="utf-8", newline="") as handle:
            return [(r["contract"], r["code"], r["certainty"]) for r in csv.DictReader(handle)]

    ours, shells = rows(mine), rows(theirs)
    same = "the same" if ours == shells else "**different**"
    return (
        f"{len(ours):,} flag rows from procwatch, {len(shells):,} from the shell's query; "
        f"contract, flag and certainty {same}, in the same order"
    )


def give_contracts(database: Path, count: int) -> str:
    """Give Nuctech `count` contracts of other vendors, spread over the jurisdictions."""
    with sqlite3.connect(database) as connection:
        (vendor_id,) = connection.execute(
            "SELECT id FROM vendors WHERE name = 'Nuctech Company Limited'"
        ).fetchone()
        connection.execute(
            "UPDATE contracts SET vendor_id = ? WHERE id IN "
            "(SELECT id FROM contracts WHERE vendor_id != ? ORDER BY id DESC LIMIT ?)",
            (vendor_id, vendor_id, count),
        )
    return "Nuctech Company Limited"


def report_benchmarks(db: Sequence[str], vendor: str) -> list[Result]:
    """Time `check` and `vendor` as terminal tables against their JSON, on one vendor."""
    results = []
    for command in ("check", "vendor"):
        results.append(
            compare(
                f"{command}, terminal table",
                (f"procwatch {command} BUSIEST", [PROCWATCH, *db, command, vendor]),
                (
                    f"procwatch {command} BUSIEST -f json",
                    [PROCWATCH, *db, command, vendor, "-f", "json"],
                ),
                repeat=5,
                target=1.5,
                target_text="<= 1.5x",
            )
        )
    return results


def vacuum(url: str, db: list[str], workdir: Path) -> str:
    """VACUUM a bulk-loaded database, as autovacuum would soon; say what the summary took before."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    output = workdir / "pg-summary-unvacuumed.csv"
    before = run([PROCWATCH, *db, "export", "contracts-summary", "-o", str(output)])
    # Autovacuum (on by default) sets a bulk-loaded table's visibility map within about a
    # minute, and with it PostgreSQL groups the summary on the contracts' index instead of
    # sorting them. Left to autovacuum, the figures would depend on when it ran (or, on a
    # server that has it off, never): the measurements start after one VACUUM instead.
    engine = create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with engine.connect() as connection:
        setting = connection.exec_driver_sql("SHOW autovacuum").scalar()
        connection.exec_driver_sql("VACUUM (ANALYZE)")
    engine.dispose()
    return (
        f"PostgreSQL: the measurements below start after a VACUUM (ANALYZE) of the loaded "
        f"database, which autovacuum (here {setting}) runs by itself about a minute after a "
        f"bulk load. Right after the load, before it, the contracts summary took "
        f"{before.seconds:.2f} s (one run): until the visibility map is set, PostgreSQL "
        "cannot read the contracts in group order from their index alone."
    )


def postgres_benchmarks(
    workdir: Path, server_url: str, sizes: Sizes, seed: int, *, only_flags: bool = False
) -> tuple[list[Result], list[str]]:
    """Measure on PostgreSQL: bulk load vs psycopg executemany, query, summary, export."""
    from sqlalchemy import create_engine, make_url
    from sqlalchemy.pool import NullPool

    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    names = [f"procwatch_bench_{os.getpid()}_{side}" for side in ("procwatch", "raw")]
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    urls = [server.set(database=name).render_as_string(hide_password=False) for name in names]
    results: list[Result] = []
    notes: list[str] = []
    try:
        reference_file = build(workdir, urls[0], sizes, seed)
        psql = shutil.which("psql")
        libpq = make_url(urls[0]).set(drivername="postgresql").render_as_string(hide_password=False)
        if only_flags and psql is not None:
            run([sys.executable, "-c", LOAD_PROCWATCH, urls[0], str(reference_file)])
            db = ["--db", urls[0]]
            notes.append(vacuum(urls[0], db, workdir))
            more, more_notes = flags_benchmarks(
                db, workdir, (psql, libpq, "-c"), "string_agg", "PostgreSQL"
            )
            return results + more, notes + more_notes
        raw_dir = workdir / "raw"
        raw_dir.mkdir()
        build(raw_dir, urls[1], sizes, seed)
        driver_url = make_url(urls[1]).set(drivername="postgresql")
        libpq_url = driver_url.render_as_string(hide_password=False)
        print(f"loading {sizes.contracts:,} contracts into PostgreSQL twice", file=sys.stderr)
        results.append(
            bulk_load(
                "bulk load, PostgreSQL",
                [sys.executable, "-c", LOAD_PROCWATCH, urls[0], str(reference_file)],
                [sys.executable, "-c", LOAD_PSYCOPG, libpq_url, str(reference_file)],
                "raw psycopg executemany",
                sizes.contracts,
            )
        )
        notes.append("PostgreSQL: " + exactness(urls[0], reference_file))
        reference = pickle.loads(reference_file.read_bytes())
        db = ["--db", urls[0]]
        notes.append(vacuum(urls[0], db, workdir))
        results.append(
            compare(
                "vendor query, PostgreSQL",
                (
                    "procwatch contracts --vendor",
                    [PROCWATCH, *db, "contracts", "--vendor", reference.sample_vendor],
                ),
                ("import floor with psycopg", [sys.executable, "-c", POSTGRES_FLOOR]),
                repeat=10,
                target=1.15,
                target_text="<= 1.15x",
            )
        )
        if psql is None:
            notes.append("psql not found: PostgreSQL summary and export baselines skipped.")
            return results, notes
        one_line = " ".join(NAIVE_SUMMARY.split())
        results.append(
            compare(
                "contracts summary, PostgreSQL",
                (
                    "procwatch export contracts-summary",
                    [
                        PROCWATCH,
                        *db,
                        "export",
                        "contracts-summary",
                        "-o",
                        str(workdir / "pg-summary.csv"),
                    ],
                ),
                (
                    "psql \\copy, join then GROUP BY",
                    [psql, libpq, "-c", f"\\copy ({one_line}) TO STDOUT CSV HEADER"],
                ),
                repeat=5,
                target=SUMMARY_TARGET,
                target_text=f"<= {SUMMARY_TARGET}x",
                io={"baseline_out": workdir / "pg-naive.csv"},
            )
        )
        full_line = " ".join(FULL_EXPORT.split())
        results.append(
            compare(
                "CSV export, PostgreSQL",
                (
                    "procwatch export contracts",
                    [
                        PROCWATCH,
                        *db,
                        "export",
                        "contracts",
                        "-o",
                        str(workdir / "pg-contracts.csv"),
                    ],
                ),
                (
                    "psql \\copy ... CSV",
                    [psql, libpq, "-c", f"\\copy ({full_line}) TO STDOUT CSV HEADER"],
                ),
                repeat=5,
                target=2.0,
                target_text="<= 2x, < 150 MB",
                io={"baseline_out": workdir / "pg-full.csv"},
            )
        )
        export = results[-1]
        export.met = bool(export.met) and export.peak_mb < 150
        more, more_notes = flags_benchmarks(
            db, workdir, (psql, libpq, "-c"), "string_agg", "PostgreSQL"
        )
        results += more
        notes += more_notes
        with admin.connect() as connection:
            version = connection.exec_driver_sql("SHOW server_version").scalar()
        notes.append(f"PostgreSQL {version} at {server.host}:{server.port}, default settings.")
        notes.append(f'PostgreSQL import floor: `python -c "{POSTGRES_FLOOR}"`.')
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
    return results, notes


def screen_benchmark(workdir: Path, sizes: Sizes, seed: int) -> Result:
    """Time `procwatch screen` against all pairs: at a million contracts, issue 15's sizes."""
    from benchmarks.screen import result

    # 100,000 vendors and 10,000 counterparties: twice the run's vendors, a tenth of that.
    vendors = 2 * sizes.vendors
    return result(workdir, vendors, vendors // 10, seed)


def main() -> None:
    """Generate the data, run every measurement, write the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000, help="contracts to generate")
    parser.add_argument("--seed", type=int, default=2024, help="generator seed")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("PROCWATCH_BENCH_POSTGRES_URL"),
        help="PostgreSQL server URL (a maintenance database such as postgres); omit to skip",
    )
    parser.add_argument("--workdir", type=Path, help="keep the databases here (default: temp)")
    parser.add_argument(
        "--only",
        choices=["flags", "screen"],
        help="only these measurements, printed (docs/ left as they are)",
    )
    args = parser.parse_args()
    sizes = Sizes.for_contracts(args.contracts)
    started = time.perf_counter()
    # Measure procwatch as installed, with its modules compiled as pip compiles a wheel; an
    # editable install under PYTHONDONTWRITEBYTECODE would otherwise recompile them each run.
    compileall.compile_dir(ROOT / "src" / "procwatch", quiet=1)
    command = "python benchmarks/run.py" + (
        f" --contracts {args.contracts}" if args.contracts != 1_000_000 else ""
    )
    with tempfile.TemporaryDirectory(prefix="procwatch-bench-") as temporary:
        workdir = args.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "sqlite").mkdir(exist_ok=True)
        only_flags = args.only == "flags"
        only_screen = args.only == "screen"
        results, notes = (
            ([], [])
            if only_screen
            else sqlite_benchmarks(workdir / "sqlite", sizes, args.seed, only_flags=only_flags)
        )
        if args.postgres and not only_screen:
            command += " --postgres URL"
            (workdir / "postgresql").mkdir(exist_ok=True)
            more, more_notes = postgres_benchmarks(
                workdir / "postgresql", args.postgres, sizes, args.seed, only_flags=only_flags
            )
            results += more
            notes += more_notes
            sqlite_file = workdir / "sqlite" / "summary.csv"
            postgres_file = workdir / "postgresql" / "pg-summary.csv"
            if sqlite_file.exists() and postgres_file.exists():
                same = sqlite_file.read_bytes() == postgres_file.read_bytes()
                notes.append(
                    "The contracts summary files of SQLite and PostgreSQL are "
                    + ("byte for byte the same." if same else "**different**.")
                )
        else:
            notes.append("PostgreSQL not measured in this run (no --postgres URL).")
        if not only_flags:
            (workdir / "screen").mkdir(exist_ok=True)
            results.append(screen_benchmark(workdir / "screen", sizes, args.seed))
        if not args.only:
            write_report(results, notes, sizes, time.perf_counter() - started, command)
    for note in notes if only_flags else []:
        print(f"- {note}")
    for r in results:
        print(
            f"{r.name}: {r.seconds:.3f} s vs {r.baseline_seconds:.3f} s ({r.ratio_text}), "
            f"met={r.met}, peak {r.peak_mb:.0f} MB vs {r.baseline_peak_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
