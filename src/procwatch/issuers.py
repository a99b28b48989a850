"""The international organisations that issue measures: their codes, names and other names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issuer:
    """An international issuer as data/seed/jurisdictions.csv and migration 0008 hold it."""

    code: str
    name: str
    # Other names a list or a user writes for it; only names that denote it alone.
    aliases: tuple[str, ...]


INTERNATIONAL_ISSUERS = (
    Issuer("WBG", "World Bank Group", ("World Bank", "The World Bank", "WBG")),
    Issuer(
        "EBRD",
        "European Bank for Reconstruction and Development",
        ("EBRD", "The European Bank for Reconstruction and Development"),
    ),
    Issuer("ADB", "Asian Development Bank", ("ADB", "The Asian Development Bank")),
    Issuer(
        "AFDB",
        "African Development Bank Group",
        ("AfDB", "African Development Bank", "AfDB Group", "The African Development Bank"),
    ),
    Issuer(
        "IDB",
        "Inter-American Development Bank Group",
        (
            "IDB",
            "IADB",
            "IDB Group",
            "Inter-American Development Bank",
            "Inter American Development Bank",
            "The Inter-American Development Bank",
        ),
    ),
    Issuer(
        "UN",
        "United Nations Security Council",
        ("UN Security Council", "UNSC", "United Nations", "UN"),
    ),
)
