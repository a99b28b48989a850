"""Typed SQLAlchemy models: jurisdictions, sources, vendors, buyers, contracts, measures."""

from __future__ import annotations

from datetime import datetime
from enum import Enum, StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names on SQLite and PostgreSQL, so migrations can name what they drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class MeasureKind(StrEnum):
    """What a jurisdiction decided about a vendor."""

    BAN = "ban"
    RESTRICTION = "restriction"
    INVESTIGATION = "investigation"


class ProcurementMethod(StrEnum):
    """The OCDS procurementMethod codelist."""

    OPEN = "open"
    SELECTIVE = "selective"
    LIMITED = "limited"
    DIRECT = "direct"


def _in(column: str, values: type[Enum]) -> str:
    quoted = ", ".join(f"'{member.value}'" for member in values)
    return f"{column} IN ({quoted})"


class Jurisdiction(Base):
    """A country (ISO 3166-1 alpha-2 code) or a supranational body such as the EU."""

    __tablename__ = "jurisdictions"
    __table_args__ = (CheckConstraint("kind IN ('country', 'union')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="country")

    members: Mapped[list[Jurisdiction]] = relationship(
        secondary="jurisdiction_memberships",
        primaryjoin="Jurisdiction.id == JurisdictionMembership.union_id",
        secondaryjoin="Jurisdiction.id == JurisdictionMembership.member_id",
        order_by="Jurisdiction.code",
        viewonly=True,
    )


class JurisdictionMembership(Base):
    """A member state of a supranational body."""

    __tablename__ = "jurisdiction_memberships"

    union_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdictions.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("jurisdictions.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Source(Base):
    """A document or data file that facts are taken from."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))
    path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str | None] = mapped_column(String(64))


class Vendor(Base):
    """A company (or person) that sells to public bodies."""

    __tablename__ = "vendors"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    # The normalized name (resolve.name_key) that lookups use instead of scanning names.
    name_key: Mapped[str] = mapped_column(String(500), index=True)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"))

    country: Mapped[Jurisdiction | None] = relationship()
    aliases: Mapped[list[VendorAlias]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="VendorAlias.alias"
    )
    identifiers: Mapped[list[VendorIdentifier]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )


class VendorAlias(Base):
    """Another name a vendor is known by (a spelling variant, a former or legal name)."""

    __tablename__ = "vendor_aliases"
    __table_args__ = (UniqueConstraint("vendor_id", "alias", name="vendor_alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(500))
    alias_key: Mapped[str] = mapped_column(String(500), index=True)

    vendor: Mapped[Vendor] = relationship(back_populates="aliases")


class VendorIdentifier(Base):
    """A registry identifier of a vendor, e.g. scheme MD-IDNO."""

    __tablename__ = "vendor_identifiers"
    __table_args__ = (UniqueConstraint("scheme", "identifier", name="scheme_identifier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id", ondelete="CASCADE"), index=True)
    scheme: Mapped[str] = mapped_column(String(100))
    identifier: Mapped[str] = mapped_column(String(200))

    vendor: Mapped[Vendor] = relationship(back_populates="identifiers")


class VendorMerge(Base):
    """A recorded decision that two vendor records are one, kept so it can be undone."""

    __tablename__ = "vendor_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_vendor_id: Mapped[int] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), index=True
    )
    merged_key: Mapped[str] = mapped_column(String(200))
    merged_name: Mapped[str] = mapped_column(String(500))
    # JSON: what moved from the merged vendor to the kept one, so the merge can be undone.
    detail: Mapped[str] = mapped_column(Text)
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Buyer(Base):
    """A procuring entity: a ministry, an agency, a municipality."""

    __tablename__ = "buyers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), index=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    identifier_scheme: Mapped[str | None] = mapped_column(String(100))
    identifier: Mapped[str | None] = mapped_column(String(200))

    jurisdiction: Mapped[Jurisdiction] = relationship()


class Contract(Base):
    """A public contract (or a documented group of purchases) between a buyer and a vendor."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(
            f"procurement_method IS NULL OR {_in('procurement_method', ProcurementMethod)}",
            name="procurement_method",
        ),
        CheckConstraint("(amount_minor IS NULL) OR (currency IS NOT NULL)", name="amount_currency"),
        Index("ix_contracts_jurisdiction_date", "jurisdiction_id", "date_start"),
        # Serves vendor lookups (its first column) and lets the contracts summary read the
        # index alone instead of every contract row (migration 0002).
        Index(
            "ix_contracts_vendor_summary",
            "vendor_id",
            "jurisdiction_id",
            "currency",
            "date_start",
            "date_end",
            "amount_minor",
            "amount_is_estimate",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"))
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("buyers.id"), index=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    procurement_method: Mapped[str | None] = mapped_column(String(16))
    procurement_method_details: Mapped[str | None] = mapped_column(Text)
    # Integer minor units of `currency` (money.to_minor_units): SUM stays exact in SQL.
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_is_estimate: Mapped[bool] = mapped_column(default=False)
    # ISO 8601 at the source's precision ("2012", "2024-03", "2024-04-23"); a range has an end.
    date_start: Mapped[str | None] = mapped_column(String(10), index=True)
    date_end: Mapped[str | None] = mapped_column(String(10), index=True)
    places: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(String(50))
    ocid: Mapped[str | None] = mapped_column(String(200), index=True)
    # The date-time of the newest OCDS release this row reflects: an older one never wins.
    released: Mapped[str | None] = mapped_column(String(40))

    vendor: Mapped[Vendor] = relationship()
    buyer: Mapped[Buyer | None] = relationship()
    jurisdiction: Mapped[Jurisdiction] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Finding.id"
    )


class Finding(Base):
    """A documented problem with a contract, such as an overpayment."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))

    contract: Mapped[Contract] = relationship(back_populates="findings")


class Measure(Base):
    """A ban, restriction or investigation of a vendor by a jurisdiction's authority."""

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint(_in("kind", MeasureKind), name="kind"),
        Index("ix_measures_jurisdiction_kind", "jurisdiction_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"))
    authority: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str | None] = mapped_column(Text)
    legal_basis: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    date_start: Mapped[str | None] = mapped_column(String(10))
    date_end: Mapped[str | None] = mapped_column(String(10))
    places: Mapped[str | None] = mapped_column(Text)

    vendor: Mapped[Vendor] = relationship()
    jurisdiction: Mapped[Jurisdiction] = relationship()


class Citation(Base):
    """The sentence of a source that supports one vendor, buyer, contract, finding or measure."""

    __tablename__ = "citations"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN vendor_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN buyer_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN contract_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN finding_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN measure_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int | None] = mapped_column(
        ForeignKey("buyers.id", ondelete="CASCADE"), index=True
    )
    contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    finding_id: Mapped[int | None] = mapped_column(
        ForeignKey("findings.id", ondelete="CASCADE"), index=True
    )
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    quote: Mapped[str | None] = mapped_column(Text)
    # Where in the source: an OCDS ocid and release id, a list's entity number.
    locator: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship()
