"""Benchmark `procwatch import measures` against a raw sqlite3 bulk insert of the same rows.

Usage: python benchmarks/measures_import.py [ROWS]   (default 50000)

Generates a procwatch-layout CSV of ROWS measures against ROWS/2 vendors (each vendor on two
lists, half of them with an alias and an identifier), then, each in a fresh child process so
that peak memory is its own:
  1. procwatch: migrate + seed a new database, import the file (import_measures);
  2. raw sqlite3: create two plain tables and executemany the same vendors and measures.
Prints rows per second and peak resident memory of each.
"""

from __future__ import annotations

import csv
import multiprocessing
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["CN", "RU", "IR", "KP", "SY", "BY", "VE", "MM"]
JURISDICTIONS = ["US", "GB", "EU", "CA", "FR", "DE", "PL", "LT"]


def generate(path: Path, rows: int) -> None:
    """Write a procwatch-layout list of `rows` measures."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "key",
                "vendor_name",
                "vendor_aliases",
                "vendor_identifiers",
                "vendor_country",
                "country",
                "authority",
                "kind",
                "reason",
                "date",
                "date_end",
            ]
        )
        for number in range(rows):
            vendor = number // 2
            writer.writerow(
                [
                    f"bench-{number}",
                    f"Vendor {vendor:07d} Trading Co., Ltd.",
                    f"V{vendor} Trading" if vendor % 2 else "",
                    f"XI-LEI:BENCH{vendor:012d}" if vendor % 2 else "",
                    COUNTRIES[vendor % len(COUNTRIES)],
                    JURISDICTIONS[number % len(JURISDICTIONS)],
                    "Benchmark authority",
                    "ban" if number % 3 else "restriction",
                    "Generated",
                    f"{2000 + number % 24}-{1 + number % 12:02d}-{1 + number % 28:02d}",
                    "Ongoing" if number % 5 else "2030",
                ]
            )


def run_procwatch(path: Path, folder: Path, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from procwatch.importers import Outcome
    from procwatch.importers.measures import import_measures
    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    engine = open_database(f"sqlite:///{folder / 'procwatch.db'}", write=True)
    started = time.perf_counter()
    with store_scope(engine) as store:
        summary = import_measures(store, path)
    elapsed = time.perf_counter() - started
    engine.dispose()
    queue.put((elapsed, summary.get("measures", Outcome.ADDED), _peak_mb()))


def run_sqlite(path: Path, folder: Path, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    connection = sqlite3.connect(folder / "raw.db", isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
    connection.execute(
        "CREATE TABLE measures (id INTEGER PRIMARY KEY, key TEXT UNIQUE, vendor_id INTEGER,"
        " jurisdiction TEXT, authority TEXT, kind TEXT, reason TEXT, date_start TEXT,"
        " date_end TEXT)"
    )
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT OR IGNORE INTO vendors (name) VALUES (?)", ((row["vendor_name"],) for row in rows)
    )
    ids = dict(connection.execute("SELECT name, id FROM vendors"))
    connection.executemany(
        "INSERT INTO measures (key, vendor_id, jurisdiction, authority, kind, reason, date_start,"
        " date_end) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                row["key"],
                ids[row["vendor_name"]],
                row["country"],
                row["authority"],
                row["kind"],
                row["reason"],
                row["date"],
                None if row["date_end"] == "Ongoing" else row["date_end"],
            )
            for row in rows
        ),
    )
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    queue.put((elapsed, len(rows), _peak_mb()))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(target, path: Path, folder: Path) -> tuple[float, int, float]:  # type: ignore[no-untyped-def]
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    process = multiprocessing.Process(target=target, args=(path, folder, queue))
    process.start()
    result = queue.get()
    process.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "list.csv"
        generate(path, rows)
        size = path.stat().st_size / 1e6
        print(
            f"machine: {platform.machine()}, {platform.system()} {platform.release()},"
            f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
        )
        print(f"input: {rows} measures, {rows // 2} vendors, {size:.1f} MB CSV")
        print(f"{'':24}{'seconds':>10}{'rows/s':>12}{'peak MB':>10}")
        for label, target in (("procwatch import", run_procwatch), ("raw sqlite3", run_sqlite)):
            elapsed, count, peak = measure(target, path, folder)
            assert count == rows, (label, count)
            print(f"{label:24}{elapsed:10.2f}{rows / elapsed:12,.0f}{peak:10.0f}")


if __name__ == "__main__":
    main()
