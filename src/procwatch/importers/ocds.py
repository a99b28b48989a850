"""Import OCDS files: releases merged per process, then vendors, buyers and contracts.

Releases are first spooled to a temporary SQLite file keyed by ocid, so that the stages of
one process can be merged wherever they are in the files while memory stays flat.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from procwatch import tables
from procwatch.domain import ImportKind
from procwatch.domain.records import Jurisdiction, Progress
from procwatch.errors import SETTING, InvalidInputError, NotFoundError, ProcwatchError
from procwatch.importers import (
    ImportSummary,
    Outcome,
    VendorIndex,
    jurisdiction_for,
    register_source,
    runs,
)
from procwatch.importers.cleaning import clean_name
from procwatch.importers.inputs import Input, InputKind, InputLimits, spool_errors
from procwatch.importers.ocds_history import (
    KeptRelease,
    canonical,
    digest,
    pack,
    to_merge,
    unpack,
)
from procwatch.importers.ocds_mapping import ContractFacts, Party, ProcessFacts, map_process
from procwatch.importers.ocds_merge import compile_releases
from procwatch.importers.ocds_stream import (
    FileInfo,
    FoundRelease,
    OcdsFile,
    ocds_files,
    read_releases,
)
from procwatch.money import to_units
from procwatch.resolve import key_matches, name_key
from procwatch.store import Store, chunked

BATCH_PROCESSES = 500
# An import refreshes the planner's statistics once it has added this many contracts, and
# again each time it has doubled them (_Writer._analyze_as_it_grows).
ANALYZE_FIRST = 5_000

CONTRACT_COLUMNS = (
    "key",
    "vendor_id",
    "buyer_id",
    "jurisdiction_id",
    "title",
    "description",
    "procurement_method",
    "procurement_method_details",
    "amount_minor",
    "amount_fraction",
    "currency",
    "amount_is_estimate",
    "date_start",
    "date_end",
    "status",
    "ocid",
    "released",
    "shares_value_of",
)
SUBJECTS = ("vendor_id", "buyer_id")
# A contract's values by column name, CONTRACT_COLUMNS all there.
Values = dict[str, Any]


def import_ocds(
    store: Store,
    paths: Sequence[Path],
    *,
    country: str | None = None,
    encoding: str = "utf-8",
    skip_invalid: bool = False,
    progress: Progress | None = None,
    limits: InputLimits | None = None,
) -> ImportSummary:
    """Import OCDS files and folders; all or nothing per file unless skip_invalid is given.

    A file named on the command line that holds a bad release, or is not JSON, refuses the
    whole command. A file found in a named folder is refused alone: every other file of the
    folder is imported, and the summary lists the refused ones. skip_invalid imports the good
    releases of every file and lists the bad ones. A path of '-' is stdin. Releases over the
    limits are invalid releases.
    """
    files = ocds_files(list(paths))
    summary = ImportSummary()
    started_at = runs.now()
    forced = jurisdiction_for(store, country) if country else None
    reading = _Reading(encoding, skip_invalid, limits or InputLimits(), progress)
    with spool_errors(), _Spool() as spool:
        infos = [
            _spool_file(spool, index, found, reading, summary) for index, found in enumerate(files)
        ]
        while True:
            # A bad process refuses the folder files that hold it; the others are written
            # again without them (rare, so the good path pays nothing for it).
            attempt = ImportSummary()
            savepoint = store.connection.begin_nested()
            try:
                refused = _write(store, spool, files, infos, forced, attempt, reading)
            except BaseException:
                savepoint.rollback()
                raise
            if not refused:
                savepoint.commit()
                break
            savepoint.rollback()
            for index, message in refused.items():
                spool.discard(index)
                infos[index] = None
                summary.refuse_file(f"{message} (file refused)")
        summary.merge(attempt)
    kept = [(found, info) for found, info in zip(files, infos, strict=True) if info is not None]
    one = kept[0] if len(kept) == 1 else None
    # One run per command: a folder is one publication as the user sees it; its files'
    # hashes are on their sources.
    runs.record_run(
        store,
        summary,
        kind=ImportKind.OCDS,
        path="; ".join(str(path) for path in paths),
        started_at=started_at,
        sha256=one[1].sha256 if one else None,
        source_id=_source_of(store, one[1]) if one else None,
    )
    return summary


def _source_of(store: Store, info: FileInfo) -> int | None:
    if info.sha256 is None:
        return None
    found = store.find(tables.sources, key=f"ocds:{info.sha256}")
    return None if found is None else int(found.id)


# What an error says when --skip-invalid would import the rest.
SKIP_HINT = "; `skip_invalid` imports the rest"


def _write(
    store: Store,
    spool: _Spool,
    files: list[OcdsFile],
    infos: list[FileInfo | None],
    forced: Jurisdiction | None,
    summary: ImportSummary,
    reading: _Reading,
) -> dict[int, str]:
    """Write every spooled process; return the folder files a bad process refuses, and why."""
    source_ids = [
        _register(store, found.source, info) if info is not None else None
        for found, info in zip(files, infos, strict=True)
    ]
    writer = _Writer(store, summary, forced, source_ids)
    refused: dict[int, str] = {}
    total = spool.process_count()
    done = 0
    for batch in _batches(spool.processes(), BATCH_PROCESSES):
        # What earlier imports kept of these processes, in one query per chunk of ocids.
        writer.prefetch([releases[0].ocid for releases in batch])
        for releases in batch:
            done += 1
            try:
                writer.add(releases)
            except InvalidInputError as error:
                latest = max(releases, key=lambda item: str(item.release.get("date")))
                where = _where(files[latest.file_index].source.name, latest.position)
                message = f"{where} (ocid {latest.release['ocid']}): {error}"
                if reading.skip_invalid:
                    summary.reject(message)
                elif all(files[item.file_index].in_folder for item in releases):
                    for item in releases:
                        name = files[item.file_index].source.name
                        reason = f"{_where(name, item.position)} (ocid {item.ocid}): {error}"
                        refused.setdefault(item.file_index, reason)
                else:
                    raise InvalidInputError(_hinted(message)) from None
            if reading.progress is not None and (done % 100 == 0 or done == total):
                reading.progress("processes", done, total)
        writer.flush()
    return refused


def _batches(items: Iterator[list[_Spooled]], size: int) -> Iterator[list[list[_Spooled]]]:
    batch: list[list[_Spooled]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _hinted(message: str) -> str:
    # A message that names its fix (`country`, `encoding`) says what to do already: skipping
    # would lose data that the setting imports.
    return message if SETTING.search(message) else message + SKIP_HINT


@dataclass(frozen=True)
class _Reading:
    encoding: str
    skip_invalid: bool
    limits: InputLimits
    progress: Progress | None


def _spool_file(
    spool: _Spool,
    index: int,
    found_file: OcdsFile,
    reading: _Reading,
    summary: ImportSummary,
) -> FileInfo | None:
    """Spool a file's releases; return what it says of itself, or None if it is refused."""
    source = found_file.source
    info = FileInfo()
    name, size, progress = source.name, source.size, reading.progress
    report = (lambda done: progress(name, done, size)) if progress is not None else None
    try:
        try:
            for found in read_releases(
                source, info, encoding=reading.encoding, limits=reading.limits, progress=report
            ):
                problem = found.message if not isinstance(found, FoundRelease) else _invalid(found)
                if problem is None:
                    assert isinstance(found, FoundRelease)
                    spool.add(index, found)
                    continue
                message = f"{_where(name, found.position)}: {problem}"
                if not reading.skip_invalid:
                    raise InvalidInputError(message)
                summary.reject(message)
        except MemoryError:
            raise InvalidInputError(f"{name}: not enough memory to read it") from None
        except RecursionError:
            raise InvalidInputError(f"{name}: {reading.limits.too_deep()}") from None
    except InvalidInputError as error:
        if not str(error).startswith(name):
            raise
        # A file that is not JSON cannot be trusted in part: none of it is imported.
        if reading.skip_invalid:
            spool.discard(index)
            summary.reject(f"{error} (file skipped)")
            return None
        if found_file.in_folder:
            spool.discard(index)
            summary.refuse_file(f"{error} (file refused)")
            return None
        raise InvalidInputError(_hinted(str(error))) from None
    return info


def _register(store: Store, source: Input, info: FileInfo) -> int:
    assert info.sha256 is not None
    return register_source(
        store,
        key=f"ocds:{info.sha256}",
        title=source.name,
        path=None if source.kind is InputKind.STDIN else str(source.path),
        sha256=info.sha256,
        publisher=info.publisher,
        published=info.published,
    )


def _where(name: str, position: str) -> str:
    return f"{name}: {position}" if position else name


def _invalid(found: FoundRelease) -> str | None:
    release = found.release
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        return "not an OCDS release: 'ocid' must be a non-empty string"
    if release.get("id") in (None, ""):
        return "not an OCDS release: it has no 'id'"
    if not isinstance(release.get("date"), str):
        return "not an OCDS release: 'date' must be a date-time string"
    return None


@dataclass(frozen=True)
class _Spooled:
    file_index: int
    position: str
    release: dict[str, Any]

    @property
    def ocid(self) -> str:
        """Return the process's ocid, as the spool groups it."""
        return str(self.release["ocid"]).strip()


# A spool's folder is named after its process: procwatch-ocds-<pid>-<random>.
SPOOL_PREFIX = "procwatch-ocds-"


def remove_stale_spools(folder: Path | None = None) -> list[Path]:
    """Remove the spools of import processes that no longer run (killed); return them.

    A spool is removed on every exit Python sees (errors, Ctrl-C, SIGTERM and SIGHUP,
    which the CLI turns into an exit), but not after `kill -9` or a power cut: the next
    import finds the pid in the folder's name dead and removes what it left.
    """
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*-*"):
        pid = path.name[len(SPOOL_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _running(int(pid)):
            continue
        try:
            if not path.is_dir() or path.is_symlink() or path.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        # Another user's process: it runs.
        return True
    return True


@contextmanager
def _spool_errors() -> Iterator[None]:
    # A full or missing temporary folder is the user's to fix: one line, not a traceback.
    try:
        yield
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ProcwatchError(
            f"cannot keep the releases in the temporary folder {tempfile.gettempdir()}: "
            f"{reason}; free some space there or point TMPDIR at another folder"
        ) from None


class _Spool:
    """Releases on disk, grouped by ocid: the stages of a process may be anywhere."""

    def __enter__(self) -> _Spool:
        remove_stale_spools()
        with _spool_errors():
            self._folder = tempfile.TemporaryDirectory(prefix=f"{SPOOL_PREFIX}{os.getpid()}-")
        try:
            with _spool_errors():
                self._db = sqlite3.connect(Path(self._folder.name) / "spool.sqlite")
                self._db.execute("PRAGMA journal_mode = OFF")
                self._db.execute("PRAGMA synchronous = OFF")
                self._db.execute(
                    "CREATE TABLE releases (seq INTEGER PRIMARY KEY, ocid TEXT, file INTEGER,"
                    " position TEXT, release BLOB)"
                )
        except BaseException:
            self._folder.cleanup()
            raise
        self._indexed = False
        return self

    def __exit__(self, *_: object) -> None:
        self._db.close()
        self._folder.cleanup()

    def add(self, file_index: int, found: FoundRelease) -> None:
        """Keep a release until its process is complete."""
        with _spool_errors():
            self._insert(file_index, found)

    def _insert(self, file_index: int, found: FoundRelease) -> None:
        self._db.execute(
            "INSERT INTO releases (ocid, file, position, release) VALUES (?, ?, ?, ?)",
            (
                found.release["ocid"].strip(),
                file_index,
                found.position,
                pickle.dumps(found.release, protocol=pickle.HIGHEST_PROTOCOL),
            ),
        )

    def discard(self, file_index: int) -> None:
        """Forget every release of a file."""
        self._db.execute("DELETE FROM releases WHERE file = ?", (file_index,))

    def process_count(self) -> int:
        """Return how many processes (distinct ocids) the spool holds."""
        if not self._indexed:
            with _spool_errors():
                self._db.execute("CREATE INDEX releases_ocid ON releases (ocid, seq)")
            self._indexed = True
        return int(self._db.execute("SELECT COUNT(DISTINCT ocid) FROM releases").fetchone()[0])

    def processes(self) -> Iterator[list[_Spooled]]:
        """Yield the releases of each process together, in ocid order."""
        current: str | None = None
        group: list[_Spooled] = []
        rows = self._db.execute(
            "SELECT ocid, file, position, release FROM releases ORDER BY ocid, seq"
        )
        for ocid, file_index, position, blob in rows:
            if ocid != current and group:
                yield group
                group = []
            current = ocid
            group.append(_Spooled(file_index, position, pickle.loads(blob)))
        if group:
            yield group


@dataclass
class _Row:
    facts: ContractFacts
    ocid: str
    values: Values
    citations: list[tuple[int, str]]


class _Writer:
    """Turns processes into rows, matching vendors and buyers and batching contract writes."""

    def __init__(
        self,
        store: Store,
        summary: ImportSummary,
        forced: Jurisdiction | None,
        source_ids: list[int | None],
    ) -> None:
        self.store = store
        self.summary = summary
        self.forced = forced
        self.source_ids = source_ids
        self.jurisdictions: dict[str, Jurisdiction | None] = {}
        self.vendors: dict[tuple[Any, ...], int] = {}
        self.vendor_index = VendorIndex(store, self.summary.warn)
        self.buyers: dict[tuple[Any, ...], int] = {}
        self.cited: set[tuple[str, int, int]] = set()
        # Vendor and buyer citations wait for the next flush, to be looked up in one query.
        self.citing: list[tuple[str, int, int, str]] = []
        self.inserted = 0
        self.analyzed_at = 0
        self.pending: list[_Row] = []
        self.patches: list[_Row] = []
        self.processes = 0
        # What earlier imports kept of the batch's processes: releases, and contract rows.
        self.kept: dict[str, list[KeptRelease]] = {}
        self.stored_rows: dict[str, dict[str, int]] = {}
        # New releases to keep, and the processes whose rows are replaced by their merge.
        self.keeping: list[dict[str, Any]] = []
        self.replaced: dict[str, set[str]] = {}

    def prefetch(self, ocids: list[str]) -> None:
        """Load what earlier imports kept of these processes: their releases and rows."""
        self.kept, self.stored_rows = {}, {}
        kept, contract = tables.ocds_releases.c, tables.contracts.c
        query = select(kept.ocid, kept.digest, kept.source_id, kept.compiled, kept.data)
        for ocid, digest_text, source_id, compiled, data in self.store.select_in(
            query.order_by(kept.id), kept.ocid, ocids
        ):
            self.kept.setdefault(ocid, []).append(
                KeptRelease(digest_text, unpack(data), source_id, bool(compiled))
            )
        query = select(contract.ocid, contract.key, contract.id)
        for ocid, key, contract_id in self.store.select_in(query, contract.ocid, ocids):
            self.stored_rows.setdefault(ocid, {})[key] = contract_id

    def add(self, releases: list[_Spooled]) -> None:
        """Merge one process's releases with those kept before, and queue its rows."""
        ocid = releases[0].ocid
        before = self.kept.get(ocid, [])
        known = {item.digest for item in before}
        arrived: list[KeptRelease] = []
        packed: dict[str, bytes] = {}
        for item in releases:
            text = canonical(item.release)
            kept = KeptRelease(
                digest(text),
                item.release,
                self.source_ids[item.file_index],
                item.position.endswith("compiledRelease"),
            )
            if kept.digest not in known:
                known.add(kept.digest)
                arrived.append(kept)
                packed[kept.digest] = pack(text)
        merged = to_merge([*before, *arrived])
        compiled = compile_releases([item.release for item in merged])
        facts = map_process(compiled, self.summary.warn)
        if facts.buyer is None and not facts.contracts:
            self.summary.warn(
                "process with neither a buyer nor awards: nothing to import", f"ocid {facts.ocid}"
            )
            return
        # Contracts of awards imported before keep their row's country: they need none.
        needs_country = facts.buyer is not None or any(c.supplier for c in facts.contracts)
        jurisdiction = self._jurisdiction(facts) if needs_country else None
        cited = [item for item in merged if item.source_id is not None] or merged
        latest = max(cited, key=lambda item: item.date)
        buyer_id = None
        if facts.buyer is not None:
            assert jurisdiction is not None
            buyer_id = self._buyer(facts.buyer, jurisdiction, _citation(latest, facts.ocid))
        rows: list[_Row] = []
        for contract in facts.contracts:
            citations = [
                _citation(item, facts.ocid)
                for item in cited
                if contract.ids & _ids_in(item.release)
            ] or [_citation(latest, facts.ocid)]
            vendor_id = None
            if contract.supplier is not None:
                vendor_id = self._vendor(contract.supplier, citations[0])
            minor, fraction = (
                to_units(contract.amount, contract.currency)
                if contract.amount is not None and contract.currency is not None
                else (None, 0)
            )
            values = {
                "key": contract.key,
                "vendor_id": vendor_id,
                "buyer_id": buyer_id,
                "jurisdiction_id": jurisdiction.id if jurisdiction is not None else None,
                "title": contract.title or facts.ocid,
                "description": contract.description,
                "procurement_method": contract.procurement_method,
                "procurement_method_details": contract.procurement_method_details,
                "amount_minor": minor,
                "amount_fraction": fraction,
                "currency": contract.currency if minor is not None else None,
                "amount_is_estimate": contract.amount_is_estimate,
                "date_start": contract.date_start,
                "date_end": contract.date_end,
                "status": (contract.status or "")[:50] or None,
                "ocid": facts.ocid,
                "released": max(item.date for item in merged),
                "shares_value_of": contract.shares_value_of,
            }
            rows.append(_Row(contract, facts.ocid, values, citations))
        for row in rows:
            (self.pending if row.facts.supplier is not None else self.patches).append(row)
        self.keeping.extend(
            {
                "ocid": ocid,
                "digest": item.digest,
                "release_id": str(item.release.get("id")),
                "date": item.date,
                "compiled": item.compiled,
                "source_id": item.source_id,
                "data": packed[item.digest],
            }
            for item in arrived
        )
        # Rows stored before any release was kept (a database older than migration 0010)
        # cannot be told apart from the merge's: they are updated, never removed.
        if before or ocid not in self.stored_rows:
            self.replaced[ocid] = {row.facts.key for row in rows if row.facts.supplier}
        self.processes += 1

    def _jurisdiction(self, facts: ProcessFacts) -> Jurisdiction:
        if self.forced is not None:
            return self.forced
        if facts.country is None:
            raise InvalidInputError(
                "cannot tell its country: the buyer has no address with a country; "
                "give it with `country`"
            )
        found = self._country(facts.country)
        if found is None:
            raise InvalidInputError(
                f"cannot tell its country: unknown country {facts.country!r} in the buyer's "
                "address; give it with `country`"
            )
        return found

    def _country(self, name: str) -> Jurisdiction | None:
        if name not in self.jurisdictions:
            try:
                self.jurisdictions[name] = jurisdiction_for(self.store, _plain(name))
            except NotFoundError:
                self.jurisdictions[name] = None
        return self.jurisdictions[name]

    def _vendor(self, party: Party, citation: tuple[int, str]) -> int:
        identity = (party.identifiers, name_key(party.name))
        if identity in self.vendors:
            vendor_id = self.vendors[identity]
        else:
            country = self._country(party.country) if party.country else None
            if party.country and country is None:
                self.summary.warn(
                    "supplier address with an unknown country: country not stored",
                    f"release {citation[1]}",
                )
            if party.bare_identifier:
                self.summary.warn(
                    "supplier identifier without a scheme: not stored", f"release {citation[1]}"
                )
            first = party.identifiers[0] if party.identifiers else ("name", name_key(party.name))
            vendor_id, outcome = self.vendor_index.upsert(
                key=_vendor_key(first),
                name=party.name,
                identifiers=party.identifiers,
                country=country,
            )
            self.summary.count("vendors", outcome)
            self.vendors[identity] = vendor_id
        self._cite("vendor_id", vendor_id, citation)
        return vendor_id

    def _buyer(self, party: Party, jurisdiction: Jurisdiction, citation: tuple[int, str]) -> int:
        identity = (party.identifiers, party.bare_identifier, name_key(party.name), jurisdiction.id)
        if identity not in self.buyers:
            party = dataclasses.replace(
                party, name=clean_name(party.name, self.summary.warn, "buyer name")
            )
            buyer_id, outcome = _upsert_buyer(self.store, party, jurisdiction)
            self.summary.count("buyers", outcome)
            self.buyers[identity] = buyer_id
        buyer_id = self.buyers[identity]
        self._cite("buyer_id", buyer_id, citation)
        return buyer_id

    def _cite(self, column: str, subject_id: int, citation: tuple[int, str]) -> None:
        # One citation per vendor or buyer and file: the first release that names it.
        source_id, locator = citation
        if (column, subject_id, source_id) in self.cited:
            return
        self.cited.add((column, subject_id, source_id))
        self.citing.append((column, subject_id, source_id, locator))

    def _cite_subjects(self) -> None:
        # One query per batch instead of one per vendor: on PostgreSQL each round trip cost
        # about a millisecond, and an import of 50,000 contracts made 5,500 of them.
        known: set[tuple[str, int, int]] = set()
        citation = tables.citations.c
        for column in SUBJECTS:
            subject = citation[column]
            ids = sorted({subject_id for name, subject_id, _, _ in self.citing if name == column})
            query = select(subject, citation.source_id)
            known.update((column, *row) for row in self.store.select_in(query, subject, ids))
        new = [
            {
                "source_id": source_id,
                **{name: subject_id if column == name else None for name in SUBJECTS},
                "contract_id": None,
                "locator": locator,
            }
            for column, subject_id, source_id, locator in self.citing
            if (column, subject_id, source_id) not in known
        ]
        self.citing = []
        self.store.insert_many(tables.citations, new)

    def flush(self) -> None:
        """Write the queued contracts and their citations, keep the new releases."""
        self.vendor_index.flush()
        self._cite_subjects()
        self.store.insert_many(tables.ocds_releases, self.keeping)
        self.keeping = []
        self._remove_replaced()
        if not self.pending and not self.patches:
            return
        rows = {row.facts.key: row for row in self.pending}
        patches = {row.facts.key: row for row in self.patches if row.facts.key not in rows}
        existing = _existing(self.store, [*rows, *patches])
        added: list[Values] = []
        changed: list[Values] = []
        for key, row in rows.items():
            before = existing.get(key)
            if before is None:
                added.append(row.values)
                self.summary.count("contracts", Outcome.ADDED)
            elif _older(row.values, before):
                self._keep_newer()
            elif before != row.values:
                changed.append(row.values)
                self.summary.count("contracts", Outcome.UPDATED)
            else:
                self.summary.count("contracts", Outcome.UNCHANGED)
        for key, row in patches.items():
            before = existing.get(key)
            if before is None:
                self.summary.warn(
                    "contract whose award and supplier are unknown: not imported",
                    f"ocid {row.ocid}",
                )
                continue
            if _older(row.values, before):
                self._keep_newer()
                rows[key] = row
                continue
            values = _patched(before, row.values)
            if values != before:
                changed.append(values)
                self.summary.count("contracts", Outcome.UPDATED)
            else:
                self.summary.count("contracts", Outcome.UNCHANGED)
            rows[key] = row
        self.inserted += self.store.insert_many(tables.contracts, added)
        # Found by key, a unique column: one index lookup per row, as by id.
        self.store.update_many(tables.contracts, changed, key="key")
        self._cite_contracts(rows)
        self.pending = []
        self.patches = []
        self._analyze_as_it_grows()

    def _remove_replaced(self) -> None:
        # A process's rows are those of its merge: a row no longer in it (its award got a
        # second contract, its supplier changed) goes, with its citations.
        gone = [
            contract_id
            for ocid, keys in self.replaced.items()
            for key, contract_id in self.stored_rows.get(ocid, {}).items()
            if key not in keys
        ]
        self.replaced = {}
        if not gone:
            return
        for chunk in chunked(gone):
            self.store.delete(tables.citations, tables.citations.c.contract_id.in_(chunk))
            self.store.delete(tables.contracts, tables.contracts.c.id.in_(chunk))
        for _ in gone:
            self.summary.count("contracts", Outcome.REMOVED)

    def _analyze_as_it_grows(self) -> None:
        # The planner's statistics follow the import each time its contracts double. Taken
        # on a new database's four contracts, they had PostgreSQL look up each batch's keys
        # with a scan of the whole table instead of its unique index: 0.7-1.3 s per batch
        # at 40,000 contracts, half of a 50,000-release import's time. ANALYZE counts the
        # rows of the transaction that runs it, though they are not committed yet.
        if self.inserted >= max(ANALYZE_FIRST, 2 * self.analyzed_at):
            self.store.analyze(("contracts", "citations"))
            self.analyzed_at = self.inserted

    def _keep_newer(self) -> None:
        self.summary.count("contracts", Outcome.UNCHANGED)
        self.summary.warn("release older than the one a contract reflects: the newer kept")

    def _cite_contracts(self, rows: dict[str, _Row]) -> None:
        contract, citation = tables.contracts.c, tables.citations.c
        query = select(contract.id, contract.key)
        ids = {key: id_ for id_, key in self.store.select_in(query, contract.key, list(rows))}
        query = select(citation.contract_id, citation.source_id, citation.locator)
        known = set(self.store.select_in(query, citation.contract_id, list(ids.values())))
        new: list[dict[str, Any]] = []
        for key, row in rows.items():
            for source_id, locator in dict.fromkeys(row.citations):
                if (ids[key], source_id, locator) not in known:
                    new.append(_contract_citation(source_id, ids[key], locator))
        self.store.insert_many(tables.citations, new)


def _contract_citation(source_id: int, contract_id: int, locator: str) -> dict[str, Any]:
    row = {"source_id": source_id, "vendor_id": None, "buyer_id": None}
    return row | {"contract_id": contract_id, "locator": locator}


def _existing(store: Store, keys: list[str]) -> dict[str, Values]:
    """Return the stored values of the contracts with these keys, by key."""
    found = store.rows_by(tables.contracts, "key", keys, CONTRACT_COLUMNS)
    return {
        key: {name: row._mapping[name] for name in CONTRACT_COLUMNS}
        | {"amount_is_estimate": bool(row.amount_is_estimate)}
        for key, row in found.items()
    }


def _older(values: Values, stored: Values) -> bool:
    """Return whether a row comes from an older release than the stored row reflects."""
    new, old = _release_time(values["released"]), _release_time(stored["released"])
    return new is not None and old is not None and new < old


def _release_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # OCDS requires a time zone; a release without one is read as UTC rather than refused.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _patched(before: Values, patch: Values) -> Values:
    # Keep the row's vendor, buyer and country; take every other value the patch knows.
    keep = {"key", "vendor_id", "buyer_id", "jurisdiction_id", "title"}
    if patch["amount_minor"] is None:
        keep |= {"amount_fraction", "amount_is_estimate"}
    return {
        name: old if name in keep or patch[name] is None else patch[name]
        for name, old in before.items()
    }


def _upsert_buyer(store: Store, party: Party, jurisdiction: Jurisdiction) -> tuple[int, Outcome]:
    """Return the buyer a release names, matched by identifier and name together.

    Offices of one body often publish under their parent's registry number (Portugal's
    NIPC): an identifier alone would make the Faro training centre the Lisbon delegation.
    So a buyer is the one with the same identifier and a matching name; else the one of the
    same name and country that had no identifier yet; else a new buyer, identifier kept.
    """
    scheme, identifier = (
        party.identifiers[0] if party.identifiers else (None, party.bare_identifier)
    )
    buyers = tables.buyers
    key = name_key(party.name)
    buyer = None
    if scheme is not None:
        same_identifier = store.execute(
            select(buyers)
            .where(buyers.c.identifier_scheme == scheme, buyers.c.identifier == identifier)
            .order_by(buyers.c.id)
        )
        buyer = next((row for row in same_identifier if key_matches(row.name_key, key)), None)
    if buyer is None:
        query = select(buyers).where(
            buyers.c.name_key == key, buyers.c.jurisdiction_id == jurisdiction.id
        )
        if identifier is not None:
            # A namesake registered under another identifier is another body.
            query = query.where(buyers.c.identifier.is_(None) | (buyers.c.identifier == identifier))
        buyer = store.execute(query.order_by(buyers.c.id).limit(1)).first()
    if buyer is None:
        buyer_key = f"ocds:{scheme}:{identifier}" if scheme else f"ocds:{jurisdiction.code}:{key}"
        if scheme and store.find(buyers, key=buyer_key[:200]) is not None:
            # Another office under the same identifier: its name tells it apart.
            buyer_key = f"ocds:{scheme}:{identifier}:{key}"
        row: dict[str, Any] = {"key": buyer_key[:200], "name": party.name, "name_key": key}
        row |= {"jurisdiction_id": jurisdiction.id}
        row |= {"identifier_scheme": scheme, "identifier": identifier}
        return store.insert(buyers, row), Outcome.ADDED
    if buyer.identifier is None and identifier is not None:
        store.update(buyers, buyer.id, identifier_scheme=scheme, identifier=identifier)
        return buyer.id, Outcome.UPDATED
    return buyer.id, Outcome.UNCHANGED


def _vendor_key(identifier: tuple[str, str]) -> str:
    return f"ocds:{identifier[0]}:{identifier[1]}"[:200]


def _plain(country: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", country.strip())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _citation(item: KeptRelease, ocid: str) -> tuple[int, str]:
    assert item.source_id is not None
    return item.source_id, f"{ocid}/{item.release['id']}"


def _ids_in(release: dict[str, Any]) -> set[str]:
    ids: set[str] = set()
    for section, fields in (("awards", ("id",)), ("contracts", ("id", "awardID"))):
        items = release.get(section)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                ids.update(str(item[name]).strip() for name in fields if item.get(name) is not None)
    return ids
