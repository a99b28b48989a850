"""Benchmark the OCDS import against a raw sqlite3 bulk insert of the same rows.

Generates a release package of N processes (one award each, 500 buyers, 5,000 suppliers),
imports it with `procwatch.importers.ocds.import_ocds` into a fresh database, and inserts the
same contract rows with plain sqlite3 executemany. With --postgres it imports the same file
into a new database on that server too, next to SQLite's time. Each measurement runs in its
own process so that its peak memory (max RSS) is its own. Not part of the test suite.

    python benchmarks/ocds_import.py --processes 20000 100000
    python benchmarks/ocds_import.py --processes 50000 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BUYERS = 500
SUPPLIERS = 5_000


def release(number: int) -> dict[str, object]:
    """Return the award release of process `number`."""
    buyer = number % BUYERS
    supplier = (number * 7919) % SUPPLIERS
    return {
        "ocid": f"ocds-bench-{number:08d}",
        "id": f"{number}-award",
        "date": "2024-03-05T10:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": [
            {
                "id": f"B{buyer}",
                "name": f"Public body {buyer}",
                "roles": ["buyer"],
                "identifier": {"scheme": "XX-BODY", "id": str(buyer)},
                "address": {"countryName": "Moldova"},
            },
            {
                "id": f"S{supplier}",
                "name": f"Supplier {supplier} S.R.L.",
                "roles": ["supplier"],
                "identifier": {"scheme": "MD-IDNO", "id": f"10036{supplier:08d}"},
            },
        ],
        "buyer": {"id": f"B{buyer}", "name": f"Public body {buyer}"},
        "tender": {"id": str(number), "procurementMethod": "open"},
        "awards": [
            {
                "id": f"a{number}",
                "title": f"Supplies lot {number}",
                "date": "2024-03-05T10:00:00Z",
                "value": {"amount": f"{number % 100000}.{number % 100:02d}", "currency": "MDL"},
                "suppliers": [{"id": f"S{supplier}", "name": f"Supplier {supplier} S.R.L."}],
            }
        ],
    }


def write_package(path: Path, processes: int, first: int = 0) -> None:
    """Write a release package of `processes` releases from number `first`, one at a time."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"uri": "urn:bench", "version": "1.1", "publishedDate": ')
        handle.write('"2024-04-01T00:00:00Z", "publisher": {"name": "bench"}, "releases": [\n')
        for number in range(first, first + processes):
            if number > first:
                handle.write(",\n")
            handle.write(json.dumps(release(number)))
        handle.write("\n]}\n")


def measure_import(package: str, url: str) -> tuple[float, int, int]:
    """Import the package into a new database; return seconds, peak RSS (KiB) and contracts."""
    from procwatch.importers import Outcome
    from procwatch.importers.ocds import import_ocds
    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    engine = open_database(url, write=True)
    started = time.perf_counter()
    with store_scope(engine) as store:
        summary = import_ocds(store, [Path(package)])
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, _peak_kib(), summary.get("contracts", Outcome.ADDED)


def contract_rows(processes: int) -> Iterator[tuple[object, ...]]:
    """Yield the contract rows the import stores for the generated package."""
    for number in range(processes):
        amount = int(f"{number % 100000}{number % 100:02d}")
        yield (
            f"ocds:ocds-bench-{number:08d}:a{number}",
            (number * 7919) % SUPPLIERS + 1,
            number % BUYERS + 1,
            1,
            f"Supplies lot {number}",
            None,
            "open",
            None,
            amount,
            "MDL",
            0,
            "2024-03-05",
            None,
            None,
            f"ocds-bench-{number:08d}",
        )


def measure_raw(processes: int, database: str) -> tuple[float, int, int]:
    """Insert the same contract rows with sqlite3 executemany; return seconds, RSS, rows."""
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE TABLE contracts (id INTEGER PRIMARY KEY, key TEXT UNIQUE, vendor_id INTEGER,"
        " buyer_id INTEGER, jurisdiction_id INTEGER, title TEXT, description TEXT,"
        " procurement_method TEXT, procurement_method_details TEXT, amount_minor INTEGER,"
        " currency TEXT, amount_is_estimate INTEGER, date_start TEXT, date_end TEXT,"
        " status TEXT, ocid TEXT)"
    )
    statement = (
        "INSERT INTO contracts (key, vendor_id, buyer_id, jurisdiction_id, title, description,"
        " procurement_method, procurement_method_details, amount_minor, currency,"
        " amount_is_estimate, date_start, date_end, status, ocid)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    started = time.perf_counter()
    rows = contract_rows(processes)
    with connection:
        while batch := [row for _, row in zip(range(10_000), rows, strict=False)]:
            connection.executemany(statement, batch)
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, _peak_kib(), processes


def _peak_kib() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # macOS reports bytes, Linux KiB.
    return peak // 1024 if sys.platform == "darwin" else peak


def _postgres_database(server: str, name: str, *, drop: bool = False) -> str:
    """Create (or drop) a database on a PostgreSQL server; return its URL."""
    from sqlalchemy import create_engine, make_url
    from sqlalchemy.pool import NullPool

    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop:
            connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _isolated(function: object, *args: object) -> tuple[float, int, int]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        result: tuple[float, int, int] = pool.apply(function, args)  # type: ignore[arg-type]
    return result


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = multiprocessing.cpu_count()
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {cores} CPUs, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    """Run the benchmark for each size and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--postgres", help="PostgreSQL server URL (e.g. its postgres database)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="imports per backend, interleaved; medians shown"
    )
    arguments = parser.parse_args()
    print(f"Machine: {_machine()}\n")
    postgres = " PostgreSQL import s | PostgreSQL / SQLite |" if arguments.postgres else ""
    print(
        "| processes | file MB | import s | import rows/s | import peak MB |"
        f" raw sqlite3 s | raw rows/s | raw peak MB |{postgres}"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|---:|" * bool(postgres))
    for processes in arguments.processes:
        with tempfile.TemporaryDirectory() as folder:
            package = Path(folder) / "bulk.json"
            write_package(package, processes)
            size = package.stat().st_size / 1e6
            runs = []
            pg_runs = []
            for attempt in range(arguments.repeat):
                database = Path(folder) / f"procwatch-{attempt}.db"
                runs.append(_isolated(measure_import, str(package), f"sqlite:///{database}"))
                database.unlink()
                if arguments.postgres:
                    name = f"procwatch_bench_ocds_{processes}"
                    url = _postgres_database(arguments.postgres, name)
                    try:
                        pg_runs.append(_isolated(measure_import, str(package), url))
                    finally:
                        _postgres_database(arguments.postgres, name, drop=True)
            seconds = statistics.median(run[0] for run in runs)
            peak = max(run[1] for run in runs)
            rows = runs[0][2]
            assert all(run[2] == processes for run in runs + pg_runs), runs + pg_runs
            raw_seconds, raw_peak, _ = _isolated(
                measure_raw, processes, str(Path(folder) / "raw.db")
            )
            measured = ""
            if pg_runs:
                pg_seconds = statistics.median(run[0] for run in pg_runs)
                measured = f" {pg_seconds:,.1f} | {pg_seconds / seconds:,.2f}x |"
                if arguments.repeat > 1:
                    each = ", ".join(
                        f"{lite[0]:.1f}/{pg[0]:.1f}" for lite, pg in zip(runs, pg_runs, strict=True)
                    )
                    print(f"runs (SQLite/PostgreSQL s): {each}", file=sys.stderr)
        print(
            f"| {processes:,} | {size:,.0f} | {seconds:,.1f} | {rows / seconds:,.0f} |"
            f" {peak / 1024:,.0f} | {raw_seconds:,.2f} | {processes / raw_seconds:,.0f} |"
            f" {raw_peak / 1024:,.0f} |{measured}"
        )


if __name__ == "__main__":
    main()
