"""Import sanctions and debarment lists as measures: procwatch CSV, FtM, mapped CSV/XLSX."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from procwatch import tables
from procwatch.dates import PartialDate
from procwatch.domain import ImportKind, MeasureKind, VendorKind
from procwatch.domain.records import Jurisdiction, Progress, Warn
from procwatch.errors import InvalidInputError, NotFoundError
from procwatch.importers import (
    ImportSummary,
    Outcome,
    VendorIndex,
    jurisdiction_for,
    register_source,
    runs,
)
from procwatch.importers.cleaning import (
    DateOrder,
    is_null,
    measure_kind,
    names_in,
    parse_list_date,
    split_aliases,
    split_identifiers,
    vendor_kind,
)
from procwatch.importers.columns import (
    Preset,
    RawEntry,
    TableLayout,
    header_cells,
    header_of,
    read_table,
    table_rows,
)
from procwatch.importers.ftm import is_ftm, read_ftm
from procwatch.importers.inputs import (
    InputKind,
    InputLimits,
    check_encoding,
    find_input,
    local_copy,
)
from procwatch.issuers import is_international
from procwatch.resolve import country_code, name_key
from procwatch.screening import changes
from procwatch.store import AnyRow, Store

# The procwatch CSV layout: the seed's measures.csv with the vendor named, not keyed.
PROCWATCH_LAYOUT = {
    "key": "key",
    "name": "vendor_name",
    "aliases": "vendor_aliases",
    "identifiers": "vendor_identifiers",
    "vendor_country": "vendor_country",
    "country": "country",
    "authority": "authority",
    "kind": "kind",
    "scope": "scope",
    "legal_basis": "legal_basis",
    "reason": "reason",
    "start": "date",
    "end": "date_end",
    "places": "places",
    "quote": "quote",
    "origin": "origin",
    "listed": "listed_on",
    "vendor_kind": "vendor_kind",
}
PROCWATCH_REQUIRED = ("key", "vendor_name")


def presets() -> dict[str, Preset]:
    """Return the known list layouts by name."""
    from procwatch.importers import ebrd, idb, ofac_sdn, un_sc, us_csl, worldbank

    known = [us_csl.PRESET, worldbank.PRESET, ebrd.PRESET, idb.PRESET, ofac_sdn.PRESET]
    known.append(un_sc.PRESET)
    return {preset.name: preset for preset in known}


@dataclass(frozen=True)
class MeasureImportOptions:
    """How to read a list file and what to assume where its rows are silent."""

    preset: str | None = None
    mapping: Mapping[str, str] = field(default_factory=dict)
    skip_rows: int = 0
    header: bool = True
    sheet: str | None = None
    encoding: str = "utf-8-sig"
    alias_separator: str = ";"
    date_order: DateOrder | None = None
    kind: MeasureKind | None = None
    authority: str | None = None
    country: str | None = None
    list_name: str | None = None
    limits: InputLimits = field(default_factory=InputLimits)
    # The file is the whole list as it stands: the measures of its earlier imports that it
    # no longer holds end on the day of this import (see _Writer.end_missing).
    end_missing: bool = False


@dataclass
class ListEntry:
    """One measure against one party, cleaned, with every place in the file that states it."""

    key: str
    vendor_key: str
    name: str
    aliases: list[str]
    identifiers: list[tuple[str, str]]
    vendor_country: str | None
    country: str
    authority: str | None
    kind: str
    scope: str | None
    legal_basis: str | None
    reason: str | None
    start: PartialDate | None
    end: PartialDate | None
    places: str | None
    quote: str | None
    locators: list[str]
    # The issuer code whose decision this measure enforces (None: the issuer's own).
    origin: str | None = None
    listed: PartialDate | None = None
    vendor_kind: VendorKind = VendorKind.UNKNOWN
    # Whether the list's own entity id names the vendor: then its country does not tell
    # two vendors apart; without one, a name in two countries is two firms.
    has_list_id: bool = False

    @property
    def vendor_identity(self) -> str:
        """Return what tells this entry's vendor from another of the same list."""
        if self.has_list_id or self.vendor_country is None:
            return self.vendor_key
        return f"{self.vendor_key}@{self.vendor_country}"

    def same_vendor(self, other: ListEntry) -> bool:
        """Return whether two entries of a list name the same vendor (id, else name and country)."""
        if self.vendor_key != other.vendor_key:
            return False
        if self.has_list_id or None in (self.vendor_country, other.vendor_country):
            return True
        return self.vendor_country == other.vendor_country

    def same_decision(self, other: ListEntry) -> bool:
        """Return whether two entries state one decision: issuer, origin, vendor and dates."""
        return (
            self.same_vendor(other)
            and (self.country, self.origin, self.kind) == (other.country, other.origin, other.kind)
            and (self.start, self.end) == (other.start, other.end)
        )

    def measure_values(self) -> dict[str, str | None]:
        """Return the measure columns this entry sets, by name."""
        return {
            "authority": self.authority,
            "kind": self.kind,
            "scope": self.scope,
            "legal_basis": self.legal_basis,
            "reason": self.reason,
            "date_start": None if self.start is None else str(self.start),
            "date_end": None if self.end is None else str(self.end),
            "places": self.places,
            "listed_on": None if self.listed is None else str(self.listed),
        }


def import_measures(
    store: Store,
    path: Path,
    options: MeasureImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one list file as measures, all or nothing; return what was added and warned.

    A path of '-' is stdin; stdin and FIFOs are copied to a temporary file first, as the
    readers read a file more than once.
    """
    options = options or MeasureImportOptions()
    check_encoding(options.encoding)
    named = find_input(path)
    assert named is not None
    summary = ImportSummary()
    started_at = runs.now()
    fixed_country = _fixed_country(store, options.country)
    preset = _preset(options.preset)
    with local_copy(named, options.limits) as (local, sha):
        try:
            raw_entries, publisher = _reader(local, options, preset, summary.warn, progress)
            entries = _collect(raw_entries, local, options, fixed_country, summary)
        except MemoryError:
            raise InvalidInputError(f"{named.name}: not enough memory to read it") from None
        except RecursionError:
            raise InvalidInputError(f"{named.name}: {options.limits.too_deep()}") from None
    source_id = register_source(
        store,
        key=f"file:{named.name}:{sha[:12]}",
        title=named.name,
        path=None if named.kind is InputKind.STDIN else str(path.resolve()),
        sha256=sha,
        publisher=publisher,
    )
    writer = _Writer(store, source_id, summary, progress)
    earlier = _earlier_sources(store, options.preset, named.name) if options.end_missing else []
    writer.write(list(entries.values()), end_missing_of=earlier, today=runs.now().date())
    run_id = runs.record_run(
        store,
        summary,
        kind=ImportKind.MEASURES,
        path=named.name if named.kind is InputKind.STDIN else str(path),
        started_at=started_at,
        sha256=sha,
        source_id=source_id,
        preset=options.preset,
    )
    changes.record_changes(store, run_id, writer.changes)
    return summary


def _fixed_country(store: Store, country: str | None) -> str | None:
    if country is None:
        return None
    return jurisdiction_for(store, country).code


# The citation of a measure a later version of its list no longer holds.
NO_LONGER_LISTED = "no longer listed in this version of the list: ended by the day it was imported"


def _earlier_sources(store: Store, preset: str | None, name: str) -> list[int]:
    """Return the sources of earlier imports of the same list: by preset, else by file name."""
    run = tables.import_runs.c
    same = run.preset == preset if preset else run.preset.is_(None)
    query = select(run.source_id).where(
        run.kind == ImportKind.MEASURES.value, same, run.source_id.is_not(None)
    )
    if not preset:
        source = tables.sources.c
        query = query.join(tables.sources, source.id == run.source_id).where(source.title == name)
    return sorted(set(store.scalars(query.distinct())))


def _preset(name: str | None) -> Preset | None:
    if name is None:
        return None
    known = presets()
    if name not in known:
        raise InvalidInputError(f"unknown preset {name!r}; presets: {', '.join(sorted(known))}")
    return known[name]


def _reader(
    path: Path,
    options: MeasureImportOptions,
    preset: Preset | None,
    warn: Warn,
    progress: Progress | None,
) -> tuple[Iterator[RawEntry], str | None]:
    reading = None if progress is None else (lambda done, total: progress("reading", done, total))
    if preset is not None:
        layout = replace(
            preset.layout,
            skip_rows=options.skip_rows,
            encoding=options.encoding,
            sheet=options.sheet,
            limits=options.limits,
        )
        return preset.read(path, layout, warn, reading), preset.publisher
    if options.mapping or not options.header:
        if not options.mapping:
            raise InvalidInputError("a file without a header needs `map` FIELD=NUMBER")
        layout = TableLayout(
            mapping=options.mapping,
            skip_rows=options.skip_rows,
            header=options.header,
            encoding=options.encoding,
            sheet=options.sheet,
            limits=options.limits,
        )
        return read_table(path, layout, warn, reading), None
    if is_ftm(path, options.limits):
        return read_ftm(path, warn, reading, options.limits), None
    layout = TableLayout(
        mapping={},
        skip_rows=options.skip_rows,
        encoding=options.encoding,
        sheet=options.sheet,
        limits=options.limits,
    )
    header = header_of(path, layout)
    if all(column in header for column in PROCWATCH_REQUIRED):
        mapping = {name: column for name, column in PROCWATCH_LAYOUT.items() if column in header}
        return read_table(path, replace(layout, mapping=mapping), warn, reading), None
    raise InvalidInputError(_unknown_layout(path, header, _first_rows(path, layout)))


def _first_rows(path: Path, layout: TableLayout, count: int = 20) -> list[list[str]]:
    rows = table_rows(path, layout)
    try:
        return [header_cells(cells) for _, (_, cells) in zip(range(count), rows, strict=False)]
    finally:
        rows.close()


def _unknown_layout(path: Path, header: list[str], below: list[list[str]]) -> str:
    if not header:
        return f"{path.name} is empty"
    for preset in presets().values():
        # A list's header may sit below title rows (the World Bank's does).
        if preset.signature and any(preset.signature <= set(row) for row in [header, *below]):
            return f"{path.name} looks like the {preset.description}: give `preset` {preset.name}"
    shown = ", ".join(header[:8]) + (", ..." if len(header) > 8 else "")
    return (
        f"{path.name} is not in the procwatch layout (no key and vendor_name columns; it has "
        f"{shown}): give `preset` NAME or `map` FIELD=COLUMN"
    )


def _collect(
    raw_entries: Iterator[RawEntry],
    path: Path,
    options: MeasureImportOptions,
    fixed_country: str | None,
    summary: ImportSummary,
) -> dict[str, ListEntry]:
    # Entries by the key their list, entity and program give; several when they are
    # separate decisions (another issuer, origin, vendor country or dates).
    by_key: dict[str, list[ListEntry]] = {}
    default_list = options.list_name or _slug(path.name.split(".")[0])
    for raw in raw_entries:
        for entry in _clean(raw, options, default_list, fixed_country, summary.warn):
            known = by_key.setdefault(entry.key, [])
            same = next((k for k in known if k.same_decision(entry)), None)
            if same is not None:
                _combine(same, entry, summary.warn)
                continue
            if known and not any(k.same_vendor(entry) for k in known):
                summary.warn("rows of one name in different vendor countries: kept apart")
            elif known:
                summary.warn(
                    "rows of one vendor with another decision (issuer, origin or dates): "
                    "kept as separate measures"
                )
            known.append(entry)
    return {entry.key: entry for group in by_key.values() for entry in _keyed(group)}


def _keyed(group: list[ListEntry]) -> list[ListEntry]:
    """Give each decision under one key a key of its own, the same on every import.

    The decision that starts first keeps the plain key (as one measure had it before lists
    could hold several); the others add what sets them apart.
    """
    if len(group) == 1:
        return group
    ordered = sorted(group, key=_decision_order)
    taken = {ordered[0].key}
    for entry in ordered[1:]:
        parts = [entry.vendor_country, entry.origin, entry.start, entry.end]
        suffix = "-".join(str(part) for part in parts if part is not None) or "undated"
        key, number = f"{entry.key}:{suffix}", 1
        while key in taken:
            number += 1
            key = f"{entry.key}:{suffix}-{number}"
        taken.add(key)
        entry.key = key
    return ordered


def _decision_order(entry: ListEntry) -> tuple[str, ...]:
    def day(value: PartialDate | None) -> str:
        return "" if value is None else str(value)

    return (
        day(entry.start),
        day(entry.end),
        entry.origin or "",
        entry.vendor_country or "",
        entry.country,
    )


def _clean(
    raw: RawEntry,
    options: MeasureImportOptions,
    default_list: str,
    fixed_country: str | None,
    warn: Warn,
) -> list[ListEntry]:
    text = raw.text
    name, name_aliases = names_in(text("name"))
    if not name:
        warn("rows without a name; skipped")
        return []
    aliases = name_aliases + _aliases(raw.values.get("aliases"), options.alias_separator)
    kind = _kind(raw, options, warn)
    country = fixed_country or _country(text("country"), warn, "measure country")
    if kind is None or country is None:
        return []
    identifiers = _identifiers(raw, default_list, warn)
    start = parse_list_date(
        raw.values.get("start"), field="start date", warn=warn, order=options.date_order
    )
    end = parse_list_date(
        raw.values.get("end"), field="end date", warn=warn, order=options.date_order, is_end=True
    )
    if start is not None and end is not None and end.latest() < start.earliest():
        warn("end dates before their start; end left empty")
        end = None
    listed = parse_list_date(
        raw.values.get("listed"), field="listing date", warn=warn, order=options.date_order
    )
    origin = _country(text("origin"), warn, "originating issuer") if text("origin") else None
    list_name = options.list_name or text("list") or default_list
    entity = text("id") or name_key(name).replace(" ", "-")
    vendor_country = text("vendor_country")
    programs = [p.strip() for p in text("program").split(";") if p.strip()] or ["-"]
    return [
        ListEntry(
            key=text("key") or f"{list_name}:{entity}:{program}",
            vendor_key=f"{list_name}:{entity}"[:200],
            name=name,
            aliases=[alias for alias in dict.fromkeys(aliases) if alias != name],
            identifiers=identifiers,
            vendor_country=_country(vendor_country, warn, "vendor country")
            if vendor_country
            else None,
            country=country,
            authority=options.authority or raw.free_text("authority") or None,
            kind=kind.value,
            scope=raw.free_text("scope") or None,
            legal_basis=raw.free_text("legal_basis") or None,
            reason=raw.free_text("reason") or None,
            start=start,
            end=end,
            places=text("places") or None,
            quote=None if is_null(raw.free_text("quote")) else raw.free_text("quote"),
            locators=[raw.locator],
            # The issuer's own decision is no cross-debarment.
            origin=None if origin == country else origin,
            listed=listed,
            vendor_kind=_vendor_kind(text("vendor_kind"), warn),
            has_list_id=bool(text("id")),
        )
        for program in sorted(set(programs))
    ]


def _vendor_kind(text: str, warn: Warn) -> VendorKind:
    if not text:
        return VendorKind.UNKNOWN
    kind = vendor_kind(text)
    if kind is None:
        warn(f"vendor kind {text!r} is not organisation, person or unknown; left unknown")
        return VendorKind.UNKNOWN
    return kind


def _aliases(value: Any, separator: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [" ".join(str(item).split()) for item in value if str(item).strip()]
    return [
        alias for part in split_aliases(str(value), separator) for alias in _name_and_aliases(part)
    ]


def _name_and_aliases(text: str) -> list[str]:
    name, aliases = names_in(text)
    return [name, *aliases] if name else aliases


def _identifiers(raw: RawEntry, list_name: str, warn: Warn) -> list[tuple[str, str]]:
    given = raw.values.get("identifiers")
    pairs = (
        list(given) if isinstance(given, list) else split_identifiers(raw.text("identifiers"), warn)
    )
    scheme = raw.values.get("id_scheme", "") if "id_scheme" in raw.values else list_name.upper()
    if raw.text("id") and scheme and not isinstance(given, list):
        pairs.append((str(scheme), raw.text("id")))
    return list(dict.fromkeys(pairs))


def _kind(raw: RawEntry, options: MeasureImportOptions, warn: Warn) -> MeasureKind | None:
    if options.kind is not None:
        return options.kind
    text = raw.text("kind")
    if not text:
        warn("rows without a kind; skipped (give `kind`)")
        return None
    kind = measure_kind(text)
    if kind is None:
        warn(f"kind {text!r} is not ban, restriction or investigation; rows skipped (give `kind`)")
    return kind


def _country(text: str, warn: Warn, what: str) -> str | None:
    if not text:
        if what == "measure country":
            warn("rows without a country; skipped (give `country`)")
        return None
    code = country_code(text)
    if code is None:
        suffix = "rows skipped (give `country`)" if what == "measure country" else "left empty"
        warn(f"{what} {text!r} not recognised; {suffix}")
    elif what == "vendor country" and is_international(code):
        warn(f"vendor country {text!r} is an international issuer, not a country; left empty")
        return None
    return code


def _combine(known: ListEntry, entry: ListEntry, warn: Warn) -> None:
    # A list repeats an entity's decision once per address (the CSL's Entity List does):
    # one measure, every name and every row cited.
    warn("repeated rows of one decision merged into its measure")
    known.locators.extend(entry.locators)
    known.aliases.extend(a for a in [entry.name, *entry.aliases] if a not in known.aliases)
    known.aliases = [alias for alias in known.aliases if alias != known.name]
    known.identifiers.extend(i for i in entry.identifiers if i not in known.identifiers)
    known.listed = known.listed or entry.listed
    if known.vendor_country != entry.vendor_country:
        known.vendor_country = None
    if known.vendor_kind != entry.vendor_kind:
        known.vendor_kind = (
            entry.vendor_kind if known.vendor_kind is VendorKind.UNKNOWN else known.vendor_kind
        )
        known.vendor_country = known.vendor_country or entry.vendor_country
        if entry.vendor_country is not None and known.has_list_id:
            # One listed entity at addresses in two countries: no one home country.
            known.vendor_country = None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "list"


class _Writer:
    def __init__(
        self, store: Store, source_id: int, summary: ImportSummary, progress: Progress | None
    ) -> None:
        self.store = store
        self.source_id = source_id
        self.summary = summary
        self.progress = progress
        self.jurisdictions: dict[str, int | None] = {}
        self.countries: dict[int, Jurisdiction] = {}
        self.changes: list[changes.Change] = []
        self.added_vendors: set[int] = set()

    def write(
        self,
        entries: list[ListEntry],
        *,
        end_missing_of: Sequence[int] = (),
        today: date | None = None,
    ) -> None:
        vendor_ids = self._vendors(entries)
        rows: list[dict[str, Any]] = []
        for entry in entries:
            jurisdiction_id = self._jurisdiction(entry.country)
            if jurisdiction_id is None:
                continue
            origin = None if entry.origin is None else self._jurisdiction(entry.origin)
            row = {"key": entry.key, "vendor_id": vendor_ids[entry.vendor_identity]}
            row |= {"jurisdiction_id": jurisdiction_id, "origin_id": origin}
            rows.append(row | entry.measure_values())
        # The vendors whose measures change, as a reader of the database sees them before.
        plan = self.store.upsert_plan(tables.measures, rows, key="key")
        planned, stored = plan
        touched: set[int] = set()
        for measure in rows:
            if planned[measure["key"]] is not Outcome.UNCHANGED:
                touched.add(measure["vendor_id"])
                # A measure that moves to another vendor changes the one it leaves too.
                if measure["key"] in stored:
                    touched.add(stored[measure["key"]].vendor_id)
        missing = self._missing(end_missing_of, {row["key"] for row in rows}, today)
        touched.update(row.vendor_id for row in missing)
        # A vendor this import added had nothing before it: no state to read.
        before = changes.vendor_states(self.store.connection, touched - self.added_vendors)
        written = self.store.upsert_many(tables.measures, rows, key="key", plan=plan)
        del plan, stored
        for outcome in written.values():
            self.summary.count("measures", outcome)
        self._end(missing, today)
        self.changes = changes.compare(
            before, changes.vendor_states(self.store.connection, touched)
        )
        keys = [entry.key for entry in entries]
        measure_ids = {
            key: row.id for key, row in self.store.rows_by(tables.measures, "key", keys).items()
        }
        self._cite(
            "measure_id",
            [(measure_ids[e.key], locator, e.quote) for e in entries for locator in e.locators],
        )
        self._cite(
            "vendor_id",
            [
                (vendor_ids[e.vendor_identity], locator, None)
                for e in entries
                for locator in e.locators
            ],
        )

    def _missing(self, earlier: Sequence[int], kept: set[str], today: date | None) -> list[AnyRow]:
        """Return the measures of the list's earlier imports this file no longer holds.

        Only those still running today: a measure that has ended already ended.
        """
        if not earlier or today is None:
            return []
        measure, citation = tables.measures.c, tables.citations.c
        cited = (
            select(citation.measure_id)
            .where(citation.source_id.in_(earlier), citation.measure_id.is_not(None))
            .distinct()
        )
        rows = self.store.execute(
            select(measure.id, measure.key, measure.vendor_id, measure.date_end).where(
                measure.id.in_(cited)
            )
        ).all()
        # A date's latest day: "2026" ends on 2026-12-31, still running on 2026-06-01.
        return [
            row
            for row in rows
            if row.key not in kept
            and (row.date_end is None or PartialDate.parse(row.date_end).latest() > today)
        ]

    def _end(self, missing: Sequence[AnyRow], today: date | None) -> None:
        # No longer on the list: it ended by the day of this import, which is all the file
        # says (the list does not say when it was lifted); the file is cited for it.
        if not missing or today is None:
            return
        self.store.update_many(
            tables.measures, [{"id": row.id, "date_end": today.isoformat()} for row in missing]
        )
        for _ in missing:
            self.summary.count("measures", Outcome.REMOVED)
        self._cite("measure_id", [(row.id, NO_LONGER_LISTED, None) for row in missing])

    def _vendors(self, entries: list[ListEntry]) -> dict[str, int]:
        ids: dict[str, int] = {}
        outcomes: dict[int, Outcome] = {}
        vendors = VendorIndex(self.store, self.summary.warn)
        for number, entry in enumerate(entries, start=1):
            if self.progress is not None and number % 500 == 0:
                self.progress("writing", number, len(entries))
            if entry.vendor_identity in ids:
                continue
            vendor_id, outcome = vendors.upsert(
                key=entry.vendor_key,
                name=entry.name,
                identifiers=entry.identifiers,
                aliases=entry.aliases,
                country=self._country(entry.vendor_country),
                kind=entry.vendor_kind,
            )
            ids[entry.vendor_identity] = vendor_id
            before = outcomes.get(vendor_id, Outcome.UNCHANGED)
            outcomes[vendor_id] = outcome if before is Outcome.UNCHANGED else before
        vendors.flush()
        for outcome in outcomes.values():
            self.summary.count("vendors", outcome)
        self.added_vendors = {v for v, outcome in outcomes.items() if outcome is Outcome.ADDED}
        if self.progress is not None:
            self.progress("writing", len(entries), len(entries))
        return ids

    def _country(self, code: str | None) -> Jurisdiction | None:
        country_id = self._jurisdiction(code) if code else None
        if country_id is None:
            return None
        # Read once per country: a list names a few dozen for thousands of vendors.
        if country_id not in self.countries:
            found = self.store.find(tables.jurisdictions, id=country_id)
            assert found is not None, "_jurisdiction returns only jurisdictions that exist"
            self.countries[country_id] = Jurisdiction(**found._mapping)
        return self.countries[country_id]

    def _jurisdiction(self, code: str) -> int | None:
        if code not in self.jurisdictions:
            try:
                self.jurisdictions[code] = jurisdiction_for(self.store, code).id
            except NotFoundError:
                self.summary.warn(f"country {code!r} unknown to ISO 3166; left empty")
                self.jurisdictions[code] = None
        return self.jurisdictions[code]

    def _cite(self, column: str, rows: list[tuple[int, str, str | None]]) -> None:
        citation = tables.citations.c
        subject = citation[column]
        known = {
            (row[0], row[1])
            for row in self.store.execute(
                select(subject, citation.locator).where(
                    citation.source_id == self.source_id, subject.is_not(None)
                )
            )
        }
        new = []
        for subject_id, locator, quote in rows:
            if (subject_id, locator) not in known:
                known.add((subject_id, locator))
                row = {"source_id": self.source_id, column: subject_id}
                new.append(row | {"locator": locator, "quote": quote})
        added = self.store.insert_many(tables.citations, new)
        for _ in range(added):
            self.summary.count("citations", Outcome.ADDED)
