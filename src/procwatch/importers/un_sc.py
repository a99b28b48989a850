"""The UN Security Council Consolidated List, as its XML (`--preset un-sc`).

`CONSOLIDATED_LIST` holds `INDIVIDUALS/INDIVIDUAL` and `ENTITIES/ENTITY` records, each with
its `REFERENCE_NUMBER` (QDi.001), `UN_LIST_TYPE` (the sanctions regime), `LISTED_ON` (an
XSD date, sometimes with a UTC offset: 2015-07-01-04:00), name parts, aliases and addresses.

The file is parsed with expat record by record, so memory stays that of one record. A
document type declaration is refused before anything in it is read: the UN list has none,
and a DTD is how entity expansion ("billion laughs") and external entities get in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder

from procwatch.domain import MeasureKind, VendorKind
from procwatch.domain.records import Warn
from procwatch.errors import InvalidInputError
from procwatch.importers.columns import Preset, Progress, RawEntry, TableLayout
from procwatch.resolve import country_code

ROOT = "CONSOLIDATED_LIST"
RECORDS = {"INDIVIDUAL": VendorKind.PERSON, "ENTITY": VendorKind.ORGANISATION}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
# Alias qualities: "Good" and "a.k.a." are names the person or body uses, "f.k.a." former
# ones; "Low" aliases are too weak to match on (OpenSanctions keeps them as weak aliases).
STRONG_ALIASES = frozenset(["good", "a.k.a.", "f.k.a.", ""])
EXPECTED = "the UN Security Council consolidated list (XML whose root is CONSOLIDATED_LIST)"
BLOCK = 1 << 16


class _Records:
    """Expat handlers that build one record's elements at a time and keep finished ones."""

    def __init__(self, name: str, max_depth: int, max_bytes: int) -> None:
        self.name = name
        self.max_depth = max_depth
        self.max_bytes = max_bytes
        self.builder = TreeBuilder()
        self.depth = 0
        self.root: str | None = None
        self.inside: str | None = None
        self.size = 0
        self.line = 0
        # The parser's current line, set once the parser exists.
        self.where: Callable[[], int] = lambda: 0
        self.done: list[tuple[int, Element]] = []

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.root is None:
            self.root = tag
            if tag != ROOT:
                raise InvalidInputError(f"{self.name}: expected {EXPECTED}; found root <{tag}>")
        if self.depth > self.max_depth:
            raise InvalidInputError(f"{self.name}: XML nested deeper than {self.max_depth}")
        if self.inside is None and tag in RECORDS and self.depth == 3:
            self.inside = tag
            self.size = 0
            self.line = self.where()
            self.builder = TreeBuilder()
        if self.inside is not None:
            self.builder.start(tag, attributes)

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.inside is None:
            return
        element = self.builder.end(tag)
        if tag == self.inside and self.depth == 2:
            self.done.append((self.line, element))
            self.inside = None

    def data(self, text: str) -> None:
        if self.inside is not None:
            self.size += len(text)
            if self.size > self.max_bytes:
                raise InvalidInputError(f"{self.name}: a record larger than the limit per item")
            self.builder.data(text)

    def refuse_dtd(self, *_: Any) -> None:
        raise InvalidInputError(
            f"{self.name}: has a document type declaration (DTD); the UN list has none, "
            "and entities it declares are not expanded"
        )


def read(
    path: Path, layout: TableLayout, warn: Warn, progress: Progress | None
) -> Iterator[RawEntry]:
    """Yield each individual and entity of the consolidated list as an entry."""
    from xml.parsers import expat

    limits = layout.limits
    records = _Records(path.name, limits.max_depth, limits.max_item_bytes)
    parser = expat.ParserCreate()
    parser.StartElementHandler = records.start
    parser.EndElementHandler = records.end
    parser.CharacterDataHandler = records.data
    parser.StartDoctypeDeclHandler = records.refuse_dtd
    parser.EntityDeclHandler = records.refuse_dtd
    records.where = lambda: parser.CurrentLineNumber
    total = path.stat().st_size
    done = 0
    with path.open("rb") as handle:
        while True:
            block = handle.read(BLOCK)
            done += len(block)
            try:
                parser.Parse(block, not block)
            except expat.ExpatError as error:
                if total == 0:
                    found = "an empty file"
                else:
                    found = "XML that does not parse" if records.root else "text that is not XML"
                    found += f" ({expat.errors.messages[error.code]}, line {error.lineno})"
                raise InvalidInputError(
                    f"{path.name}: expected {EXPECTED}; found {found}"
                ) from None
            for line, element in records.done:
                yield _entry(element, line)
            records.done.clear()
            if progress is not None:
                progress(done, total)
            if not block:
                break
    if records.root is None:
        raise InvalidInputError(f"{path.name}: expected {EXPECTED}; found an empty file")


def _text(element: Element, path: str) -> str:
    return " ".join((element.findtext(path) or "").split())


def _entry(element: Element, line: int) -> RawEntry:
    kind = RECORDS[element.tag]
    reference = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    name = " ".join(part for part in (_text(element, tag) for tag in NAME_PARTS) if part)
    aliases = [_text(element, "NAME_ORIGINAL_SCRIPT")]
    weak = 0
    for alias in element.findall(f"{element.tag}_ALIAS"):
        if _text(alias, "QUALITY").casefold() not in STRONG_ALIASES:
            weak += 1
            continue
        aliases.extend(part.strip() for part in _text(alias, "ALIAS_NAME").split(";"))
    if kind is VendorKind.PERSON:
        countries = [_text(value, ".") for value in element.findall("NATIONALITY/VALUE")]
    else:
        countries = [_text(address, "COUNTRY") for address in element.findall("ENTITY_ADDRESS")]
    codes = {code for text in countries if text and (code := country_code(text))}
    listed = _text(element, "LISTED_ON")
    values: dict[str, Any] = {
        "id": reference,
        "name": name,
        "aliases": [alias for alias in aliases if alias],
        "weak_aliases": weak,
        "program": _text(element, "UN_LIST_TYPE"),
        "start": listed or None,
        "listed": listed or None,
        "country": "UN",
        "authority": "United Nations Security Council",
        "kind": MeasureKind.BAN.value,
        "list": "un-sc",
        "id_scheme": "UN-SC",
        "vendor_kind": kind.value,
        "vendor_country": codes.pop() if len(codes) == 1 else None,
        "quote": None,
    }
    return RawEntry(locator=f"{element.tag.casefold()} {reference}, line {line}", values=values)


def adapt(entry: RawEntry, warn: Warn) -> RawEntry | None:
    """Count the weak aliases left out; the reader fills in every other field."""
    for _ in range(entry.values.pop("weak_aliases", 0)):
        warn("low-quality aliases (the list's QUALITY Low) not used as names")
    return entry


PRESET = Preset(
    name="un-sc",
    description="UN Security Council Consolidated List, XML",
    layout=TableLayout(mapping={}, header=False),
    adapt=adapt,
    publisher="United Nations Security Council",
    url="https://scsanctions.un.org/resources/xml/en/consolidated.xml",
    reader=read,
)
