"""recompute name keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:30:00.000000

Name keys changed (procwatch.names): legal forms per language and the kind of entity they
make ("deutsche bank #stock"), titles, a leading "The", "&"/"and", numbers in words, and
"group"/"holding" are words again. The stored keys of vendors, their aliases and buyers are
recomputed from their names, so that lookups and imports find them as new names' keys.

Nothing merges: two vendors whose names now share a key stay two vendors, and
`procwatch vendors duplicates` lists them. Measure keys that a list import built from the
old name key ("list:hikvision-digital-technology:-") are rebuilt from the new one, so that
importing the same list again updates its measures instead of adding them twice; a key
whose new form is taken, or whose old key stood for names with different new keys, stays.

The upgrade computes keys with procwatch.names as installed; the downgrade with a copy of
the 0005 key function below, frozen here as it was.
"""

import re
import unicodedata
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KeyFunction = Callable[[str], str]


def upgrade() -> None:
    from procwatch.resolve import name_key

    _recompute(op.get_bind(), name_key)


def downgrade() -> None:
    _recompute(op.get_bind(), _key_0005)


def _recompute(connection: sa.Connection, key: KeyFunction) -> None:
    vendors = sa.table("vendors", sa.column("id"), sa.column("name"), sa.column("name_key"))
    aliases = sa.table(
        "vendor_aliases",
        sa.column("id"),
        sa.column("vendor_id"),
        sa.column("alias"),
        sa.column("alias_key"),
    )
    buyers = sa.table("buyers", sa.column("id"), sa.column("name"), sa.column("name_key"))
    # Per vendor, each old key's new keys: what a measure key built from the old one becomes.
    renamed: dict[int, dict[str, set[str]]] = {}
    rows = connection.execute(sa.select(vendors.c.id, vendors.c.name, vendors.c.name_key))
    changed = []
    for vendor_id, name, old in rows.all():
        new = key(name)
        renamed.setdefault(vendor_id, {}).setdefault(old, set()).add(new)
        if new != old:
            changed.append({"row_id": vendor_id, "new_key": new})
    _update(connection, vendors, vendors.c.name_key, changed)
    rows = connection.execute(
        sa.select(aliases.c.id, aliases.c.vendor_id, aliases.c.alias, aliases.c.alias_key)
    )
    changed = []
    for alias_id, vendor_id, alias, old in rows.all():
        new = key(alias)
        renamed.setdefault(vendor_id, {}).setdefault(old, set()).add(new)
        if new != old:
            changed.append({"row_id": alias_id, "new_key": new})
    _update(connection, aliases, aliases.c.alias_key, changed)
    changed = [
        {"row_id": buyer_id, "new_key": key(name)}
        for buyer_id, name, old in connection.execute(
            sa.select(buyers.c.id, buyers.c.name, buyers.c.name_key)
        ).all()
        if key(name) != old
    ]
    _update(connection, buyers, buyers.c.name_key, changed)
    _rekey_measures(connection, renamed)


def _update(
    connection: sa.Connection,
    table: sa.TableClause,
    column: sa.ColumnClause,
    rows: list[dict[str, str]],
) -> None:
    if rows:
        connection.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values({column.name: sa.bindparam("new_key")}),
            rows,
        )


def _rekey_measures(connection: sa.Connection, renamed: dict[int, dict[str, set[str]]]) -> None:
    measures = sa.table("measures", sa.column("id"), sa.column("key"), sa.column("vendor_id"))
    rows = connection.execute(sa.select(measures.c.id, measures.c.key, measures.c.vendor_id)).all()
    taken = {measure_key for _, measure_key, _ in rows}
    changed = []
    for measure_id, measure_key, vendor_id in rows:
        # A list import's key: "LIST:ENTITY:PROGRAM", ENTITY the name key with dashes.
        parts = measure_key.split(":")
        if len(parts) < 3:
            continue
        entity = parts[-2]
        for old, new in renamed.get(vendor_id, {}).items():
            if entity != old.replace(" ", "-") or len(new) != 1:
                continue
            (new_key,) = new
            rebuilt = ":".join([*parts[:-2], new_key.replace(" ", "-"), parts[-1]])
            if rebuilt != measure_key and rebuilt not in taken:
                taken.discard(measure_key)
                taken.add(rebuilt)
                changed.append({"row_id": measure_id, "new_key": rebuilt})
            break
    _update(connection, measures, measures.c.key, changed)


# The name key of revision 0005, frozen: legal forms dropped anywhere in the name.
_FORMS_TEXT_0005 = """
    co company corp corporation inc incorporated ltd ltda limited llc pllc plc lp llp gmbh
    ag kg sa sas sarl srl spa bv nv oy oyj ab as asa aps sro zrt kft ooo zao oao pao ao tov
    pjsc jsc ojsc cjsc pte pty pvt sp zoo saci sac cv sae bhd sdn kk group holding holdings
"""
_FORMS_0005 = frozenset(_FORMS_TEXT_0005.split())
_PHRASES_0005 = tuple(
    sorted(
        (
            tuple(phrase.split())
            for phrase in [
                "obshchestvo s ogranichennoy otvetstvennostyu",
                "obshchestvo s ogranichennoi otvetstvennostyu",
                "obshchestvo s ogranichennoi otvetstvennostiu",
                "tovarystvo z obmezhenoyu vidpovidalnistyu",
                "aktsionernoe obshchestvo",
                "publichnoe aktsionernoe obshchestvo",
                "otkrytoe aktsionernoe obshchestvo",
                "zakrytoe aktsionernoe obshchestvo",
                "gesellschaft mit beschrankter haftung",
                "aktiengesellschaft",
                "societe anonyme",
                "societe a responsabilite limitee",
                "sociedad anonima",
                "sociedad de responsabilidad limitada",
                "societa per azioni",
                "societa a responsabilita limitata",
                "spolka z ograniczona odpowiedzialnoscia",
                "spolka akcyjna",
                "kabushiki kaisha",
                "limited liability company",
                "limited liability partnership",
                "limited partnership",
                "public limited company",
                "private limited",
                "joint stock company",
                "public joint stock company",
                "open joint stock company",
                "closed joint stock company",
                "gu fen you xian gong si",
                "you xian ze ren gong si",
                "you xian gong si",
                "gong si",
            ]
        ),
        key=len,
        reverse=True,
    )
)
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")


def _key_0005(name: str) -> str:
    plain = _ascii_0005(name.casefold())
    plain = re.sub(r"\b(\w)\.(?=\w\b)", r"\1", plain.replace("z o.o.", "zoo"))
    words = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", plain)).split()
    kept: list[str] = []
    index = 0
    while index < len(words):
        for phrase in _PHRASES_0005:
            if tuple(words[index : index + len(phrase)]) == phrase:
                index += len(phrase)
                break
        else:
            kept.append(words[index])
            index += 1
    kept = [word for word in kept if word not in _FORMS_0005]
    return " ".join(kept or words)


def _ascii_0005(text: str) -> str:
    if text.isascii():
        return text
    from anyascii import anyascii

    chars: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        if char.isascii():
            chars.append(char)
        elif unicodedata.combining(char):
            continue
        elif unicodedata.name(char, "").startswith("CJK "):
            chars.append(f" {anyascii(char).lower()} ")
        else:
            chars.append(anyascii(char).lower())
    return "".join(chars)
