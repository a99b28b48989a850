"""The schema as SQLAlchemy Core tables: the one definition the store, queries and Alembic share."""

from enum import Enum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from procwatch.domain import (
    ChangeSubject,
    ImportKind,
    JurisdictionKind,
    MeasureKind,
    ProcurementMethod,
    VendorKind,
    Verdict,
)

# Stable constraint names on SQLite and PostgreSQL, so migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _in(column: str, values: type[Enum]) -> str:
    quoted = ", ".join(f"'{member.value}'" for member in values)
    return f"{column} IN ({quoted})"


# An issuer: a country (ISO 3166-1 alpha-2 code), a supranational body such as the EU, or an
# international organisation such as the World Bank Group (code WBG).
jurisdictions = Table(
    "jurisdictions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(16), nullable=False, default=JurisdictionKind.COUNTRY.value),
    CheckConstraint(_in("kind", JurisdictionKind), name="kind"),
)

# A jurisdiction bound by another's decisions: a member state by its union's, and each party
# to the development banks' 2010 mutual enforcement agreement by every other party's.
jurisdiction_memberships = Table(
    "jurisdiction_memberships",
    metadata,
    Column(
        "union_id",
        Integer,
        ForeignKey("jurisdictions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "member_id",
        Integer,
        ForeignKey("jurisdictions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

# A document or data file that facts are taken from.
sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("publisher", String(300)),
    Column("url", Text),
    Column("published", String(10)),
    Column("path", Text),
    Column("sha256", String(64)),
)

# A company (or person) that sells to public bodies.
vendors = Table(
    "vendors",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    # The normalized name (resolve.name_key) that lookups use instead of scanning names.
    Column("name_key", String(500), nullable=False, index=True),
    Column("country_id", Integer, ForeignKey("jurisdictions.id")),
    # What the vendor is, as the list that named it says (VendorKind); matching and reports
    # treat a person as one.
    Column("kind", String(16), nullable=False, server_default=VendorKind.UNKNOWN.value),
    CheckConstraint(_in("kind", VendorKind), name="kind"),
)

# Another name a vendor is known by (a spelling variant, a former or legal name).
vendor_aliases = Table(
    "vendor_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id", ondelete="CASCADE"), nullable=False),
    Column("alias", String(500), nullable=False),
    Column("alias_key", String(500), nullable=False, index=True),
    UniqueConstraint("vendor_id", "alias", name="vendor_alias"),
)

# A registry identifier of a vendor, e.g. scheme MD-IDNO.
vendor_identifiers = Table(
    "vendor_identifiers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "vendor_id",
        Integer,
        ForeignKey("vendors.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("scheme", String(100), nullable=False),
    Column("identifier", String(200), nullable=False),
    UniqueConstraint("scheme", "identifier", name="scheme_identifier"),
)

# A recorded decision that two vendor records are one, kept so it can be undone.
vendor_merges = Table(
    "vendor_merges",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "kept_vendor_id",
        Integer,
        ForeignKey("vendors.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("merged_key", String(200), nullable=False),
    Column("merged_name", String(500), nullable=False),
    # JSON: what moved from the merged vendor to the kept one, so the merge can be undone.
    Column("detail", Text, nullable=False),
    Column("merged_at", DateTime(timezone=True), nullable=False),
    Column("undone_at", DateTime(timezone=True)),
)

# A procuring entity: a ministry, an agency, a municipality.
buyers = Table(
    "buyers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("name_key", String(500), nullable=False, index=True),
    Column("jurisdiction_id", Integer, ForeignKey("jurisdictions.id"), nullable=False, index=True),
    Column("identifier_scheme", String(100)),
    Column("identifier", String(200)),
)

# The first year of a contract, and its last year where that differs. Plain SQL that SQLite
# and PostgreSQL both compute the same way; NULL when the contract has no date.
YEARS_SQL = (
    "substr(date_start, 1, 4) || CASE WHEN date_end IS NOT NULL"
    " AND substr(date_end, 1, 4) <> substr(date_start, 1, 4)"
    " THEN '-' || substr(date_end, 1, 4) ELSE '' END"
)

# A public contract (or a documented group of purchases) between a buyer and a vendor.
contracts = Table(
    "contracts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id"), nullable=False),
    Column("buyer_id", Integer, ForeignKey("buyers.id"), index=True),
    Column("jurisdiction_id", Integer, ForeignKey("jurisdictions.id"), nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("procurement_method", String(16)),
    Column("procurement_method_details", Text),
    # Whole minor units of `currency`, rounded down, and the digits finer than a minor unit
    # in billionths of it (money.to_units): both SUM exactly in SQL.
    Column("amount_minor", BigInteger),
    Column("amount_fraction", Integer, nullable=False, default=0, server_default="0"),
    Column("currency", String(3)),
    Column("amount_is_estimate", Boolean, nullable=False, default=False),
    # ISO 8601 at the source's precision ("2012", "2024-03", "2024-04-23"); a range has an end.
    Column("date_start", String(10), index=True),
    Column("date_end", String(10), index=True),
    Column("places", Text),
    Column("status", String(50)),
    Column("ocid", String(200), index=True),
    # The date-time of the newest OCDS release this row reflects: an older one never wins.
    Column("released", String(40)),
    # A consortium member's row: the key of the row of the same award that carries the
    # award's value, counted there once (importers/ocds_mapping.py).
    Column("shares_value_of", String(300)),
    # The years the contract spans, as summaries group them ("2019", "2018-2020"): computed
    # by the database on every write, so it never disagrees with the dates. Stored on
    # PostgreSQL, virtual on SQLite (migration 0004 says why); either way the index holds it.
    Column("years", String(9), Computed(YEARS_SQL)),
    CheckConstraint(
        f"procurement_method IS NULL OR {_in('procurement_method', ProcurementMethod)}",
        name="procurement_method",
    ),
    CheckConstraint("(amount_minor IS NULL) OR (currency IS NOT NULL)", name="amount_currency"),
    Index("ix_contracts_jurisdiction_date", "jurisdiction_id", "date_start"),
    # Serves vendor lookups (its first column) and hands the contracts summary its rows
    # already in group order, so it aggregates without sorting a million rows (0004).
    Index(
        "ix_contracts_vendor_summary",
        "vendor_id",
        "jurisdiction_id",
        "years",
        "currency",
        "amount_minor",
        "amount_fraction",
        "amount_is_estimate",
    ),
)

# A release of an OCDS contracting process, kept so that later imports merge with it: the
# process's contracts are the merge of all its releases seen so far (importers/ocds_history.py).
ocds_releases = Table(
    "ocds_releases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ocid", String(200), nullable=False),
    # SHA-256 of the release's compact JSON: a release published twice is kept once.
    Column("digest", String(64), nullable=False),
    Column("release_id", Text),
    Column("date", String(40)),
    # A record's compiledRelease, the publisher's own merge.
    Column("compiled", Boolean, nullable=False, default=False),
    Column("source_id", Integer, ForeignKey("sources.id")),
    # The release's compact JSON, deflate-compressed (importers/ocds_history.py).
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("ocid", "digest", name="ocid_digest"),
)

# A documented problem with a contract, such as an overpayment.
findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "contract_id",
        Integer,
        ForeignKey("contracts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("kind", String(50), nullable=False),
    Column("description", Text, nullable=False),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
)

# A ban, restriction or investigation of a vendor by a jurisdiction's authority.
measures = Table(
    "measures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id"), nullable=False, index=True),
    Column("jurisdiction_id", Integer, ForeignKey("jurisdictions.id"), nullable=False),
    Column("authority", Text),
    Column("kind", String(16), nullable=False),
    Column("scope", Text),
    Column("legal_basis", Text),
    Column("reason", Text),
    Column("date_start", String(10)),
    Column("date_end", String(10)),
    Column("places", Text),
    # Whose decision a cross-debarment enforces (the EBRD enforcing a World Bank debarment);
    # NULL when the measure is the issuer's own decision.
    Column("origin_id", Integer, ForeignKey("jurisdictions.id"), index=True),
    # When the list published the measure, at the precision it gives ("Notice Effective At
    # EBRD", FtM listingDate); the decision's own dates are date_start and date_end.
    Column("listed_on", String(10)),
    CheckConstraint(_in("kind", MeasureKind), name="kind"),
    Index("ix_measures_jurisdiction_kind", "jurisdiction_id", "kind"),
)


# The sentence of a source that supports one vendor, buyer, contract, finding or measure.
citations = Table(
    "citations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False, index=True),
    Column("vendor_id", Integer, ForeignKey("vendors.id", ondelete="CASCADE"), index=True),
    Column("buyer_id", Integer, ForeignKey("buyers.id", ondelete="CASCADE"), index=True),
    Column("contract_id", Integer, ForeignKey("contracts.id", ondelete="CASCADE"), index=True),
    Column("finding_id", Integer, ForeignKey("findings.id", ondelete="CASCADE"), index=True),
    Column("measure_id", Integer, ForeignKey("measures.id", ondelete="CASCADE"), index=True),
    Column("quote", Text),
    # Where in the source: an OCDS ocid and release id, a list's entity number.
    Column("locator", Text),
    CheckConstraint(
        "(CASE WHEN vendor_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN buyer_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN contract_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN finding_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN measure_id IS NULL THEN 0 ELSE 1 END) = 1",
        name="one_subject",
    ),
)


# One run of `import ocds` or `import measures`: the file it read and what it did, so that
# "since the last import" means something (procwatch imports, procwatch changes).
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    # The list preset used (worldbank, ebrd, ...), if any.
    Column("preset", String(32)),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="SET NULL"), index=True),
    Column("path", Text, nullable=False),
    Column("sha256", String(64)),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    # JSON: {"measures": {"added": 3, "updated": 1}, ...}, the import summary's counts.
    Column("counts", Text, nullable=False),
    Column("warnings", Integer, nullable=False, default=0, server_default="0"),
    CheckConstraint(_in("kind", ImportKind), name="kind"),
)

# What one import run changed in the answers procwatch gives: a contract that now carries a
# flag or no longer does, a vendor whose level rose or fell. Keys, not ids, name the subject,
# so the record stays readable after a vendor merge.
import_changes = Table(
    "import_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "run_id",
        Integer,
        ForeignKey("import_runs.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("subject", String(16), nullable=False),
    # The contract's key, or the vendor's.
    Column("subject_key", String(300), nullable=False),
    Column("vendor_key", String(200), nullable=False, index=True),
    # For a contract, the flag code (PW-SIGNED-WHILE-BANNED); NULL for a vendor's level.
    Column("flag", String(40)),
    # For a contract "absent"/"present"; for a vendor the level before and after.
    Column("before", String(16), nullable=False),
    Column("after", String(16), nullable=False),
    CheckConstraint(_in("subject", ChangeSubject), name="subject"),
)

# A reviewer's judgement that a screened name is, or is not, a known vendor. The vendor is
# named by its key so the decision survives re-imports; after a merge it follows the kept
# vendor through vendor_merges.
review_decisions = Table(
    "review_decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(500), nullable=False),
    Column("name_key", String(500), nullable=False),
    Column("vendor_key", String(200), nullable=False, index=True),
    Column("verdict", String(16), nullable=False),
    Column("note", Text),
    Column("reviewer", String(200)),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("name_key", "vendor_key", name="name_key"),
    CheckConstraint(_in("verdict", Verdict), name="verdict"),
)

# A vendor, or a counterparty's name, whose changes a user wants to hear about first.
watchlist = Table(
    "watchlist",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(500), nullable=False),
    Column("name_key", String(500), nullable=False, unique=True),
    # Set when the name was a known vendor when added.
    Column("vendor_key", String(200)),
    Column("added_at", DateTime(timezone=True), nullable=False),
)
