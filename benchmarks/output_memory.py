"""Peak memory of listings written to a file, in each format, on a generated database.

`contracts -f json` on 200,000 contracts once took 541 MB: every record, and every record's
JSON-ready copy, held at once. Each command runs in a child of a fresh helper process, whose
getrusage(RUSAGE_CHILDREN) is that one child's peak RSS alone.

    python -m benchmarks.output_memory --contracts 200000 [--src ../other/src] [--db FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The helper runs the command and prints its peak RSS (kB on Linux) and wall seconds.
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "seconds = time.perf_counter() - start\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, seconds)\n"
)
FORMATS = ("json", "nl", "csv", "tsv")


def build(path: Path, contracts: int) -> None:
    """Create a procwatch database of `contracts` generated contracts at `path`."""
    from benchmarks.generate import Sizes, load

    from procwatch.migrate import open_database
    from procwatch.store import store_scope

    engine = open_database(f"sqlite:///{path}", write=True)
    with store_scope(engine) as store:
        load(store, Sizes.for_contracts(contracts))
    engine.dispose()


def peak(src: Path, database: Path, fmt: str, output: Path) -> tuple[float, float] | None:
    """Return the peak MB and seconds of `procwatch contracts -f FMT -o OUTPUT` run from `src`
    (None when that procwatch has no such format)."""
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{ROOT}"}
    env.pop("PROCWATCH_DB", None)
    command = [sys.executable, "-m", "procwatch", "--db", str(database), "contracts"]
    finished = subprocess.run(
        [sys.executable, "-c", MEASURE, *command, "-f", fmt, "-o", str(output)],
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0 and "Invalid value for '--format'" in finished.stderr:
        return None
    if finished.returncode != 0:
        raise SystemExit(f"{' '.join(command)} -f {fmt} failed:\n{finished.stderr}")
    kilobytes, seconds = finished.stdout.split()
    return int(kilobytes) / 1024, float(seconds)


def main() -> None:
    """Build (or reuse) a database and print each format's peak memory and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="reuse (or build once) this database")
    parser.add_argument(
        "--src", type=Path, action="append", help="procwatch src folders to compare"
    )
    arguments = parser.parse_args()
    sources = arguments.src or [ROOT / "src"]
    with tempfile.TemporaryDirectory() as folder:
        database = arguments.db or Path(folder) / "bench.db"
        if not database.exists():
            started = time.perf_counter()
            build(database, arguments.contracts)
            print(f"built {database} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print("| src | format | peak MB | seconds | output MB |")
        print("| --- | --- | ---: | ---: | ---: |")
        for src in sources:
            for fmt in FORMATS:
                output = Path(folder) / f"contracts.{fmt}"
                measured = peak(src, database, fmt, output)
                if measured is None:
                    print(f"| {src} | {fmt} | n/a | n/a | n/a |")
                    continue
                megabytes, seconds = measured
                size = output.stat().st_size / 1e6
                print(f"| {src} | {fmt} | {megabytes:.0f} | {seconds:.1f} | {size:.0f} |")


if __name__ == "__main__":
    main()
