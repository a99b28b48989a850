"""Typed ORM classes over the tables of tables.py, for the paths that write.

The columns, constraints and indexes live once, as Core tables in tables.py, instead of as
mapped_column() here (style.md's usual form): read commands select from those tables without
importing these classes or configuring their mappers, which saves `contracts --vendor` about
55 ms of start-up. The classes below keep typed attributes and relationships for seeding,
importers and vendor merges.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from procwatch import tables


class Base(DeclarativeBase):
    metadata = tables.metadata


class Jurisdiction(Base):
    """A country (ISO 3166-1 alpha-2 code) or a supranational body such as the EU."""

    __table__ = tables.jurisdictions

    id: Mapped[int]
    code: Mapped[str]
    name: Mapped[str]
    kind: Mapped[str]

    members: Mapped[list[Jurisdiction]] = relationship(
        secondary="jurisdiction_memberships",
        primaryjoin="Jurisdiction.id == JurisdictionMembership.union_id",
        secondaryjoin="Jurisdiction.id == JurisdictionMembership.member_id",
        order_by="Jurisdiction.code",
        viewonly=True,
    )


class JurisdictionMembership(Base):
    """A member state of a supranational body."""

    __table__ = tables.jurisdiction_memberships

    union_id: Mapped[int]
    member_id: Mapped[int]


class Source(Base):
    """A document or data file that facts are taken from."""

    __table__ = tables.sources

    id: Mapped[int]
    key: Mapped[str]
    title: Mapped[str]
    publisher: Mapped[str | None]
    url: Mapped[str | None]
    published: Mapped[str | None]
    path: Mapped[str | None]
    sha256: Mapped[str | None]


class Vendor(Base):
    """A company (or person) that sells to public bodies."""

    __table__ = tables.vendors

    id: Mapped[int]
    key: Mapped[str]
    name: Mapped[str]
    name_key: Mapped[str]
    country_id: Mapped[int | None]

    country: Mapped[Jurisdiction | None] = relationship()
    aliases: Mapped[list[VendorAlias]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan", order_by="VendorAlias.alias"
    )
    identifiers: Mapped[list[VendorIdentifier]] = relationship(
        back_populates="vendor", cascade="all, delete-orphan"
    )


class VendorAlias(Base):
    """Another name a vendor is known by (a spelling variant, a former or legal name)."""

    __table__ = tables.vendor_aliases

    id: Mapped[int]
    vendor_id: Mapped[int]
    alias: Mapped[str]
    alias_key: Mapped[str]

    vendor: Mapped[Vendor] = relationship(back_populates="aliases")


class VendorIdentifier(Base):
    """A registry identifier of a vendor, e.g. scheme MD-IDNO."""

    __table__ = tables.vendor_identifiers

    id: Mapped[int]
    vendor_id: Mapped[int]
    scheme: Mapped[str]
    identifier: Mapped[str]

    vendor: Mapped[Vendor] = relationship(back_populates="identifiers")


class VendorMerge(Base):
    """A recorded decision that two vendor records are one, kept so it can be undone."""

    __table__ = tables.vendor_merges

    id: Mapped[int]
    kept_vendor_id: Mapped[int]
    merged_key: Mapped[str]
    merged_name: Mapped[str]
    detail: Mapped[str]
    merged_at: Mapped[datetime]
    undone_at: Mapped[datetime | None]


class Buyer(Base):
    """A procuring entity: a ministry, an agency, a municipality."""

    __table__ = tables.buyers

    id: Mapped[int]
    key: Mapped[str]
    name: Mapped[str]
    name_key: Mapped[str]
    jurisdiction_id: Mapped[int]
    identifier_scheme: Mapped[str | None]
    identifier: Mapped[str | None]

    jurisdiction: Mapped[Jurisdiction] = relationship()


class Contract(Base):
    """A public contract (or a documented group of purchases) between a buyer and a vendor."""

    __table__ = tables.contracts

    id: Mapped[int]
    key: Mapped[str]
    vendor_id: Mapped[int]
    buyer_id: Mapped[int | None]
    jurisdiction_id: Mapped[int]
    title: Mapped[str]
    description: Mapped[str | None]
    procurement_method: Mapped[str | None]
    procurement_method_details: Mapped[str | None]
    amount_minor: Mapped[int | None]
    currency: Mapped[str | None]
    amount_is_estimate: Mapped[bool]
    date_start: Mapped[str | None]
    date_end: Mapped[str | None]
    places: Mapped[str | None]
    status: Mapped[str | None]
    ocid: Mapped[str | None]
    released: Mapped[str | None]
    years: Mapped[str | None]

    vendor: Mapped[Vendor] = relationship()
    buyer: Mapped[Buyer | None] = relationship()
    jurisdiction: Mapped[Jurisdiction] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="contract", cascade="all, delete-orphan", order_by="Finding.id"
    )


class Finding(Base):
    """A documented problem with a contract, such as an overpayment."""

    __table__ = tables.findings

    id: Mapped[int]
    contract_id: Mapped[int]
    kind: Mapped[str]
    description: Mapped[str]
    amount_minor: Mapped[int | None]
    currency: Mapped[str | None]

    contract: Mapped[Contract] = relationship(back_populates="findings")


class Measure(Base):
    """A ban, restriction or investigation of a vendor by a jurisdiction's authority."""

    __table__ = tables.measures

    id: Mapped[int]
    key: Mapped[str]
    vendor_id: Mapped[int]
    jurisdiction_id: Mapped[int]
    authority: Mapped[str | None]
    kind: Mapped[str]
    scope: Mapped[str | None]
    legal_basis: Mapped[str | None]
    reason: Mapped[str | None]
    date_start: Mapped[str | None]
    date_end: Mapped[str | None]
    places: Mapped[str | None]
    origin_id: Mapped[int | None]
    listed_on: Mapped[str | None]

    vendor: Mapped[Vendor] = relationship()
    # Two columns refer to jurisdictions: the issuer's, and the origin of a cross-debarment.
    jurisdiction: Mapped[Jurisdiction] = relationship(
        foreign_keys=[tables.measures.c.jurisdiction_id]
    )


class Citation(Base):
    """The sentence of a source that supports one vendor, buyer, contract, finding or measure."""

    __table__ = tables.citations

    id: Mapped[int]
    source_id: Mapped[int]
    vendor_id: Mapped[int | None]
    buyer_id: Mapped[int | None]
    contract_id: Mapped[int | None]
    finding_id: Mapped[int | None]
    measure_id: Mapped[int | None]
    quote: Mapped[str | None]
    locator: Mapped[str | None]

    source: Mapped[Source] = relationship()
