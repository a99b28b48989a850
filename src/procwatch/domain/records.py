"""Records that writers and readers pass around: plain dataclasses, no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Called with what is being done, how much of it is done, and the total (bytes, rows...).
Progress = Callable[[str, int, int], None]
# Called with a warning about the input, which the caller counts.
Warn = Callable[[str], None]


@dataclass(frozen=True)
class Jurisdiction:
    """A country (ISO 3166-1 alpha-2 code) or a supranational body such as the EU."""

    id: int
    code: str
    name: str
    kind: str
