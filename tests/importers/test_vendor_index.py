from sqlalchemy import select

from procwatch import tables
from procwatch.importers import Outcome, VendorIndex
from procwatch.store import Store


def test_matches_a_seeded_vendor_by_alias_and_keeps_the_new_spelling(store: Store) -> None:
    index = VendorIndex(store, [].append)
    nuctech = store.execute(select(tables.vendors).where(tables.vendors.c.key == "nuctech")).one()
    vendor_id, outcome = index.upsert(key="x", name="NUOTECH CO., LTD.", aliases=["Nuctech Ltd"])
    assert (vendor_id, outcome) == (nuctech.id, Outcome.UNCHANGED)
    vendor_id, outcome = index.upsert(key="x", name="Nuctech", identifiers=[("CN-USCC", "911")])
    assert (vendor_id, outcome) == (nuctech.id, Outcome.UPDATED)
    # Identifiers and aliases wait for the importer's next batch.
    assert (
        store.scalars(
            select(tables.vendor_identifiers.c.identifier).where(
                tables.vendor_identifiers.c.vendor_id == nuctech.id
            )
        ).all()
        == []
    )
    index.flush()
    assert store.scalars(
        select(tables.vendor_identifiers.c.identifier).where(
            tables.vendor_identifiers.c.vendor_id == nuctech.id
        )
    ).all() == ["911"]


def test_identifier_wins_over_name_and_a_conflicting_identifier_splits(store: Store) -> None:
    index = VendorIndex(store, [].append)
    first, added = index.upsert(key="acme", name="Acme Ltd", identifiers=[("GB-COH", "1")])
    same, _ = index.upsert(key="other", name="Another Name", identifiers=[("GB-COH", "1")])
    second, _ = index.upsert(key="acme", name="ACME Limited", identifiers=[("GB-COH", "2")])
    assert added is Outcome.ADDED
    assert same == first
    # Same name, another registration number in the same register: another company.
    assert second != first
    index.flush()
    keys = store.scalars(
        select(tables.vendors.c.key).where(tables.vendors.c.id.in_([first, second]))
    ).all()
    assert sorted(keys) == ["acme", "acme-2"]
    aliases = store.scalars(
        select(tables.vendor_aliases.c.alias)
        .where(tables.vendor_aliases.c.vendor_id == first)
        .order_by(tables.vendor_aliases.c.alias)
    ).all()
    assert aliases == ["Another Name"]


def test_a_name_of_another_kind_of_entity_is_another_vendor(store: Store) -> None:
    index = VendorIndex(store, [].append)
    stock, _ = index.upsert(key="db-ag", name="Deutsche Bank AG")
    # "Deutsche Bank Aktiengesellschaft" is the same kind; "Deutsche Bank" says no kind.
    assert index.match("Deutsche Bank Aktiengesellschaft") == stock
    assert index.match("DEUTSCHE BANK") == stock
    limited, outcome = index.upsert(key="db-gmbh", name="Deutsche Bank GmbH")
    assert outcome is Outcome.ADDED
    assert limited != stock
    # A key that says no kind finds one that does, and back.
    plain, _ = index.upsert(key="zenith", name="Zenith Supplies")
    assert index.match("Zenith Supplies Ltd") == plain
