"""How alike two vendor names are: the score `vendors duplicates` lists pairs by (0-100)."""

from __future__ import annotations

from procwatch.resolve import name_key

# Pairs scoring at least this are listed as likely duplicates.
DEFAULT_MIN_SCORE = 85.0


def key_score(first_key: str, second_key: str) -> float:
    """Return how alike two name keys are, 0-100: their words compared in sorted order."""
    from rapidfuzz import fuzz

    return float(fuzz.token_sort_ratio(first_key, second_key))


def name_score(first: str, second: str) -> float:
    """Return how alike two names are, 0-100, compared by their name keys."""
    return key_score(name_key(first), name_key(second))
