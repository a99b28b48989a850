"""Realistic synthetic procurement data at a chosen size, the same for the same seed.

By default a million contracts, 50,000 vendors with aliases, 10,000 buyers and 20,000
measures across 60 jurisdictions, in nine currencies (exponents 0, 2 and 3) with dates at
year, month and day precision and some ranges. Like real markets, a few vendors hold many
contracts, and a vendor sells mostly at home, in its country's currency, during a few
active years. Every table is loaded through Store.insert_rows, as importers load theirs.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text

from procwatch import tables
from procwatch.resolve import name_key
from procwatch.store import Store

JURISDICTIONS = 60
# Currency and weight: mostly EUR, and the exponents 0 (JPY) and 3 (KWD) for exactness.
CURRENCIES = {
    "EUR": 40,
    "USD": 20,
    "PLN": 10,
    "GBP": 8,
    "CZK": 5,
    "HUF": 5,
    "GEL": 5,
    "JPY": 5,
    "KWD": 2,
}
METHODS = ["open", "selective", "limited", "direct"]
KINDS = ["ban", "restriction", "investigation"]
WORDS = [
    "Alpha",
    "Baltic",
    "Carpathian",
    "Delta",
    "Eastern",
    "Federal",
    "Granite",
    "Harbor",
    "Iron",
    "Jade",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nordic",
    "Orion",
    "Polar",
    "Quartz",
    "Riverside",
    "Summit",
    "Titan",
    "Union",
    "Vector",
    "Western",
    "Xenon",
    "Yellow",
    "Zenith",
    "Atlas",
    "Beacon",
    "Cobalt",
    "Dynamo",
    "Ember",
    "Falcon",
    "Global",
    "Horizon",
    "Insight",
    "Juniper",
]
TRADES = [
    "Security",
    "Systems",
    "Scanning",
    "Logistics",
    "Medical",
    "Supplies",
    "Construction",
    "Software",
    "Energy",
    "Engineering",
    "Catering",
    "Transport",
    "Consulting",
    "Printing",
    "Telecom",
    "Cleaning",
    "Defence",
]
FORMS = ["Ltd", "GmbH", "S.A.", "Sp. z o.o.", "LLC", "Inc.", "AB", "s.r.o.", "Kft.", ""]
CONTRACT_COLUMNS = (
    "key",
    "vendor_id",
    "buyer_id",
    "jurisdiction_id",
    "title",
    "procurement_method",
    "amount_minor",
    "currency",
    "amount_is_estimate",
    "date_start",
    "date_end",
    "status",
    "ocid",
)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind to generate."""

    contracts: int
    vendors: int
    buyers: int
    measures: int
    jurisdictions: int = JURISDICTIONS

    @classmethod
    def for_contracts(cls, contracts: int) -> Sizes:
        """Return the issue's proportions: 50,000 vendors and 20,000 measures per million."""
        return cls(
            contracts=contracts,
            vendors=max(10, contracts // 20),
            buyers=max(2 * JURISDICTIONS, contracts // 100),
            measures=max(10, contracts // 50),
        )


@dataclass(frozen=True)
class Vendor:
    """A generated vendor's id, home jurisdiction and active years."""

    id: int
    home: int
    first_year: int
    years: int


@dataclass(frozen=True)
class Reference:
    """The generated rows contracts refer to, and the parameters that generated them."""

    sizes: Sizes
    seed: int
    prefix: str
    vendors: list[Vendor]
    buyers_by_jurisdiction: dict[int, list[int]]
    currency_of: dict[int, str]
    # A vendor with about the mean number of contracts, for the vendor query.
    sample_vendor: str


@dataclass
class Loaded:
    """What a load wrote: contract rows and the exact minor-unit total per currency."""

    sample_vendor: str
    rows: Counter[str] = field(default_factory=Counter)
    totals: dict[str, int] = field(default_factory=dict)


def vendor_name(number: int) -> str:
    """Return the name of generated vendor `number`; distinct for every number."""
    word = WORDS[number % len(WORDS)]
    trade = TRADES[(number // len(WORDS)) % len(TRADES)]
    form = FORMS[number % len(FORMS)]
    return f"{word} {trade} {number:06d} {form}".strip()


def date_text(rng: random.Random, first_year: int = 2005, years: int = 21) -> str:
    """Return a date in `years` years from `first_year` at year, month or day precision."""
    year = first_year + rng.randrange(years)
    precision = rng.random()
    if precision < 0.2:
        return f"{year}"
    month = rng.randint(1, 12)
    if precision < 0.5:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def contract_rows(reference: Reference, totals: dict[str, int]) -> Iterator[tuple[Any, ...]]:
    """Yield contract tuples in CONTRACT_COLUMNS order, adding amounts to `totals` exactly."""
    rng = random.Random(f"{reference.seed}-contracts")
    vendors = reference.vendors
    buyers_by_jurisdiction = reference.buyers_by_jurisdiction
    currency_of = reference.currency_of
    prefix = reference.prefix
    jurisdictions = list(buyers_by_jurisdiction)
    for number in range(reference.sizes.contracts):
        # Skewed like real markets: a few vendors hold many contracts, most hold a few,
        # mostly at home and within the years they were active.
        vendor = vendors[int(len(vendors) * rng.random() ** 2)]
        home = rng.random() < 0.85
        jurisdiction_id = vendor.home if home else rng.choice(jurisdictions)
        buyer_id = rng.choice(buyers_by_jurisdiction[jurisdiction_id])
        start = None if rng.random() < 0.02 else date_text(rng, vendor.first_year, vendor.years)
        end = None
        if start is not None and rng.random() < 0.1:
            end = str(int(start[:4]) + rng.randint(1, 4))
        amount = None
        currency = None
        if rng.random() >= 0.05:
            currency = currency_of[jurisdiction_id] if rng.random() < 0.85 else "USD"
            amount = int(10 ** rng.uniform(3, 10))
            totals[currency] = totals.get(currency, 0) + amount
        yield (
            f"{prefix}-contract-{number:07d}",
            vendor.id,
            buyer_id,
            jurisdiction_id,
            f"{TRADES[number % len(TRADES)]} services, lot {number % 97}",
            METHODS[number % 4] if rng.random() < 0.8 else None,
            amount,
            currency,
            currency is not None and rng.random() < 0.1,
            start,
            end,
            "active" if number % 3 else "complete",
            f"ocds-{prefix}-{number:07d}" if number % 2 else None,
        )


def _ids(store: Store, table: str, prefix: str) -> dict[str, int]:
    rows = store.execute(
        text(f"SELECT key, id FROM {table} WHERE key LIKE :prefix"), {"prefix": f"{prefix}-%"}
    )
    return {key: id_ for key, id_ in rows}


def _jurisdictions(store: Store, count: int) -> list[int]:
    import pycountry

    codes = sorted(country.alpha_2 for country in pycountry.countries)[:count]
    names = {c.alpha_2: c.name for c in pycountry.countries}
    known: dict[str, int] = dict(
        store.execute(text("SELECT code, id FROM jurisdictions")).tuples().all()
    )
    missing = [(code, names[code], "country") for code in codes if code not in known]
    store.insert_rows(tables.jurisdictions, ("code", "name", "kind"), missing)
    known = dict(store.execute(text("SELECT code, id FROM jurisdictions")).tuples().all())
    return [known[code] for code in codes]


def load_reference(
    store: Store, sizes: Sizes, *, seed: int = 2024, prefix: str = "bench"
) -> Reference:
    """Insert jurisdictions, vendors, aliases, buyers and measures; return what contracts need."""
    rng = random.Random(seed)
    jurisdictions = _jurisdictions(store, sizes.jurisdictions)
    currencies = list(CURRENCIES)
    weights = list(CURRENCIES.values())
    currency_of = {j: rng.choices(currencies, weights)[0] for j in jurisdictions}
    names = [vendor_name(number) for number in range(sizes.vendors)]
    homes = [rng.choice(jurisdictions) for _ in names]
    store.insert_rows(
        tables.vendors,
        ("key", "name", "name_key", "country_id"),
        (
            (f"{prefix}-vendor-{n:06d}", name, name_key(name), homes[n])
            for n, name in enumerate(names)
        ),
    )
    vendor_by_key = _ids(store, "vendors", f"{prefix}-vendor")
    vendors = []
    for n in range(sizes.vendors):
        first_year = rng.randint(2005, 2022)
        vendors.append(
            Vendor(
                id=vendor_by_key[f"{prefix}-vendor-{n:06d}"],
                home=homes[n],
                first_year=first_year,
                years=min(rng.randint(3, 10), 2026 - first_year),
            )
        )
    alias_rows = [
        (vendors[n].id, alias, name_key(alias))
        for n, name in enumerate(names)
        for alias in aliases_of(n, name)
    ]
    store.insert_rows(tables.vendor_aliases, ("vendor_id", "alias", "alias_key"), alias_rows)

    buyer_rows = []
    for n in range(sizes.buyers):
        name = f"{WORDS[n % len(WORDS)]} {('Ministry', 'Agency', 'Hospital', 'City')[n % 4]} {n}"
        buyer_rows.append(
            (f"{prefix}-buyer-{n:06d}", name, name_key(name), jurisdictions[n % len(jurisdictions)])
        )
    store.insert_rows(tables.buyers, ("key", "name", "name_key", "jurisdiction_id"), buyer_rows)
    buyer_by_key = _ids(store, "buyers", f"{prefix}-buyer")
    buyers_by_jurisdiction: dict[int, list[int]] = {j: [] for j in jurisdictions}
    for row in buyer_rows:
        buyers_by_jurisdiction[row[3]].append(buyer_by_key[row[0]])

    store.insert_rows(
        tables.measures,
        ("key", "vendor_id", "jurisdiction_id", "authority", "kind", "date_start"),
        (
            (
                f"{prefix}-measure-{n:06d}",
                vendors[rng.randrange(len(vendors))].id,
                jurisdictions[rng.randrange(len(jurisdictions))],
                "Procurement authority",
                KINDS[n % 3],
                date_text(rng),
            )
            for n in range(sizes.measures)
        ),
    )
    # With the squared skew, the vendor a quarter of the way down holds the mean number.
    return Reference(
        sizes=sizes,
        seed=seed,
        prefix=prefix,
        vendors=vendors,
        buyers_by_jurisdiction=buyers_by_jurisdiction,
        currency_of=currency_of,
        sample_vendor=names[len(vendors) // 4],
    )


def load(store: Store, sizes: Sizes, *, seed: int = 2024, prefix: str = "bench") -> Loaded:
    """Generate and insert every table; keys start with `prefix` so loads can sit side by side."""
    reference = load_reference(store, sizes, seed=seed, prefix=prefix)
    loaded = Loaded(sample_vendor=reference.sample_vendor)
    loaded.rows["contracts"] = store.insert_rows(
        tables.contracts, CONTRACT_COLUMNS, contract_rows(reference, loaded.totals)
    )
    return loaded


def aliases_of(number: int, name: str) -> list[str]:
    """Return the aliases of generated vendor `number`: about seven for every ten vendors."""
    found = []
    if number % 2 == 0:
        # The name without its legal form, upper-cased, as registries often print it.
        found.append(name.rsplit(" ", 1)[0].upper() + " TRADING")
    if number % 5 == 0:
        found.append(name.replace("o", "0", 1) + " Holding")
    return found


# A registry scheme no real register uses, so generated identifiers never meet real ones.
IDENTIFIER_SCHEME = "XX-BENCH"
COUNTERPARTY_HEADER = ("name", "country", "identifiers", "date")
# What a screened list holds, and how often: the kinds counterparty_rows makes.
COUNTERPARTY_KINDS = {
    "exact": 30,
    "misspelt": 20,
    "other form": 15,
    "identifier": 15,
    "unknown": 20,
}
UNKNOWN_WORDS = ["Amber", "Birch", "Crimson", "Dune", "Elm", "Fjord", "Grove", "Hazel", "Ivory"]
UNKNOWN_TRADES = ["Bakery", "Textiles", "Furniture", "Mining", "Tourism", "Florists", "Dairy"]


def vendor_identifier(number: int) -> tuple[str, str] | None:
    """Return the registry identifier of generated vendor `number`: one in three has one."""
    if number % 3:
        return None
    return IDENTIFIER_SCHEME, f"R{number:07d}"


def load_identifiers(store: Store, reference: Reference) -> int:
    """Insert the identifiers of the reference's vendors (vendor_identifier); return how many."""
    return store.insert_rows(
        tables.vendor_identifiers,
        ("vendor_id", "scheme", "identifier"),
        (
            (vendor.id, *found)
            for n, vendor in enumerate(reference.vendors)
            if (found := vendor_identifier(n)) is not None
        ),
    )


def _misspelt(rng: random.Random, name: str) -> str:
    # One letter of the name's first word changed or dropped, as a typist would.
    word, _, rest = name.partition(" ")
    at = rng.randrange(1, len(word))
    if rng.random() < 0.5:
        word = word[:at] + word[at + 1 :]
    else:
        letters = "aeioulnrst".replace(word[at].lower(), "")
        word = word[:at] + rng.choice(letters) + word[at + 1 :]
    return f"{word} {rest}"


def _other_form(number: int, name: str) -> str:
    form = FORMS[number % len(FORMS)]
    base = name.removesuffix(form).strip() if form else name
    return f"{base} {FORMS[(number + 3) % len(FORMS)] or 'Limited'}"


def counterparty_rows(
    vendor_count: int, count: int, codes: list[str], names: dict[str, str], *, seed: int = 2024
) -> Iterator[tuple[str, tuple[str, str, str, str]]]:
    """Yield `count` counterparties to screen, each as (kind, CSV row in COUNTERPARTY_HEADER).

    Rows refer to generated vendors 0 to `vendor_count` - 1, whose home country codes are
    `codes` (names maps a code to its country's name); the kinds and their shares are
    COUNTERPARTY_KINDS, and about four rows in ten have a date.
    """
    rng = random.Random(f"{seed}-counterparties")
    kinds = list(COUNTERPARTY_KINDS)
    weights = list(COUNTERPARTY_KINDS.values())
    with_identifier = list(range(0, vendor_count, 3))
    for row in range(count):
        kind = rng.choices(kinds, weights)[0]
        number = rng.randrange(vendor_count)
        identifiers = ""
        if kind == "identifier":
            number = rng.choice(with_identifier)
            scheme, identifier = vendor_identifier(number) or ("", "")
            identifiers = f"{scheme}:{identifier}"
            # The name as another register writes it: the identifier has to find it.
            name = f"Registered entity {row}"
        elif kind == "unknown":
            name = (
                f"{UNKNOWN_WORDS[row % len(UNKNOWN_WORDS)]} "
                f"{UNKNOWN_TRADES[rng.randrange(len(UNKNOWN_TRADES))]} {row:05d}"
            )
        else:
            name = vendor_name(number)
            if kind == "misspelt":
                name = _misspelt(rng, name)
            elif kind == "other form":
                name = _other_form(number, name)
        where = rng.random()
        code = codes[number]
        country = code if where < 0.6 else names[code] if where < 0.8 else ""
        date = date_text(rng) if rng.random() < 0.4 else ""
        yield kind, (name, country, identifiers, date)
