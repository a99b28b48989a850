"""How alike two vendor names are (0-100), why, and which pairs of many names to compare.

A score is the weighted share of words two names have in common (names.name_words: legal
forms, titles, "the", "&" and number spellings already out), where distinctive words weigh
more than the words many firms share ("construction", "group", a branch number). Then
qualifiers lower it: legal forms of different kinds (AG vs GmbH), a different country
named in each ("Government of Estonia" vs "of Ethiopia"), different numbers, different home
countries, different identifiers. Every score comes with the reasons that made it.

Comparing every pair of many names is quadratic; `candidate_pairs` lists only the pairs
sharing a rare word, a word with one letter left out (a typo), the name written as one word
or its initials, as nomenklatura's xref blocks on rare tokens.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from procwatch.names import name_aliases, name_words

# Pairs scoring at least this are listed as likely duplicates.
DEFAULT_MIN_SCORE = 85.0

# Word weights: a distinctive word 1; one that many organisations' names share less, as
# both names having "construction" or "group" says little that they are one. An extra
# common word still tells two apart ("Deutsche Bank Trust" is not "Deutsche Bank").
DISTINCTIVE = 1.0
COMMON = 0.5
UNSHARED_COMMON = 0.8
# A country or region named beside the name ("Faberlic Europe", "Deutsche Bank (Schweiz)")
# says which branch, not which firm; two different ones are a qualifier below.
PLACE = 0.3
NUMBER = 0.5
# "of", "de", "der": almost nothing.
FUNCTION = 0.1
# Words found in many organisations' names (English and the main European languages).
_COMMON_WORDS_TEXT = """
    academy administration company advisory agency agri agro air airlines airways alliance america
    american asia asian associates association authority automotive aviation bank banca banco
    banque bau bureau branch brothers building builders business capital center centre chemical
    chemicals city civil club college commercial committee communications community construction
    construcciones constructora consulting consultants contracting contractors corporate council
    credit customs defence defense department design development distribution division eastern
    electric electrical electronics energy engineering enterprise enterprises equipment estate
    europe european exchange export factory farm federal finance financial fund foundation gas
    general global government group holding holdings hospital house import industrial industries
    industry institute insurance international investment investments joint logistics machinery
    management manufacturing marine maritime media medical metal metals mining ministry mission
    national network northern office oil organisation organization overseas partners petroleum
    pharma pharmaceutical pharmaceuticals plant power products project projects property public
    railway railways real republic research resources road roads school security service
    services shipping society solutions southern stock supply supplies systems technical
    technologies technology telecom trade trading transport travel trust union university
    ventures western works world
    grupo gruppo gruppe groupe empresa empresas ingenieria engenharia servicios servicos
    industrias industrie comercial internacional nacional transportes logistica
"""
COMMON_WORDS = frozenset(_COMMON_WORDS_TEXT.split())
_FUNCTION_WORDS_TEXT = """
    of the for in on at to by a an de del della di da do dos das du des la le les el los der die
    das den van von zu im am
    """
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
# Penalties (points off 100) of the qualifiers.
DIFFERENT_FORM = 20.0
DIFFERENT_PLACE = 30.0
DIFFERENT_NUMBER = 20.0
DIFFERENT_COUNTRY = 10.0
DIFFERENT_IDENTIFIER = 40.0
# A person and a company of one name ("John Smith" and "John Smith Ltd." lose the legal form
# in the key) are two parties; as a differing identifier, it takes the pair below any threshold.
DIFFERENT_KIND = 40.0
# A match found through a name's embedded alias (a bracketed part, "a.k.a.") weighs less.
VIA_ALIAS = 3.0
# Words this alike (0-1) count as one misspelt word ("Cristalord" ~ "Crystalord"), in
# proportion to how alike they are; shorter words must be equal.
ALIKE_WORD = 0.75
ALIKE_LENGTH = 4
# An acronym ("PLA") stands for the initials of as many words ("People's Liberation Army").
ACRONYM = 0.95
ACRONYM_LENGTH = 6
# Shorter acronyms need a shared word beside them; blocking keys are only the longer ones.
MIN_ACRONYM = 3
# Names written as one word count when this alike (0-1): "SiemensAG", "Good Will".
JOINED = 0.9


@dataclass(frozen=True)
class VendorNames:
    """A vendor as matching sees it: its names (name first, then aliases), home country, ids."""

    names: tuple[str, ...]
    country: str | None = None
    identifiers: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    # VendorKind's value; "unknown" says nothing and lowers no score.
    kind: str = "unknown"


@dataclass(frozen=True)
class Score:
    """How alike two names are (0-100), which two were compared, and why it is that score."""

    score: float
    first: str
    second: str
    why: str


@functools.cache
def _places() -> frozenset[str]:
    """Return the one-word names of countries (ISO 3166 short, common and official names)."""
    import pycountry

    words: set[str] = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                found = name_words(value).words
                if len(found) == 1:
                    words.add(found[0])
    # Common spellings, and the ones in the country's own language the lists use.
    words |= {"uk", "usa", "schweiz", "suisse", "svizzera", "deutschland", "espana", "italia"}
    words |= {"russia", "rossii", "ukraina", "polska", "turkiye", "hellas", "nippon", "zhongguo"}
    words |= {"europe", "asia", "africa", "america", "americas", "arabia", "latam", "emea"}
    return frozenset(words)


def weight(word: str, *, shared: bool = True) -> float:
    """Return how much a word says about which organisation a name is (0-1)."""
    if word.isdigit():
        return NUMBER
    if word in FUNCTION_WORDS:
        return FUNCTION
    if word in _places():
        return PLACE
    if word in COMMON_WORDS:
        return COMMON if shared else UNSHARED_COMMON
    return DISTINCTIVE


@dataclass
class _Alignment:
    """Words of two names paired off: (first word, second word, how alike), and the rest."""

    pairs: list[tuple[str, str, float]]
    first_left: list[str]
    second_left: list[str]


def _align(first: Sequence[str], second: Sequence[str]) -> _Alignment:
    from rapidfuzz.distance import Levenshtein

    left_a, left_b = list(first), list(second)
    pairs: list[tuple[str, str, float]] = []
    for word in list(left_a):
        if word in left_b:
            left_a.remove(word)
            left_b.remove(word)
            pairs.append((word, word, 1.0))
    # Acronyms: "PLA" for "People's Liberation Army", "IBM" for "International Business ...".
    for source, target, flip in ((left_a, left_b, False), (left_b, left_a, True)):
        for word in list(source):
            # Two letters are often a word ("Al", "As") or chance initials: they count as
            # an acronym ("U.S." for "United States") only beside words the names share.
            if len(word) < MIN_ACRONYM and not pairs:
                continue
            run = _initials_run(word, target)
            if run is not None:
                source.remove(word)
                expanded = " ".join(target[run[0] : run[1]])
                del target[run[0] : run[1]]
                pairs.append((expanded, word, ACRONYM) if flip else (word, expanded, ACRONYM))
    # Misspelt words: the most alike pairs first.
    candidates = sorted(
        (
            (Levenshtein.normalized_similarity(a, b), a, b)
            for a in set(left_a)
            for b in set(left_b)
            if min(len(a), len(b)) >= ALIKE_LENGTH and not (a.isdigit() or b.isdigit())
        ),
        reverse=True,
    )
    for similarity, a, b in candidates:
        if similarity < ALIKE_WORD:
            break
        if a in left_a and b in left_b:
            left_a.remove(a)
            left_b.remove(b)
            pairs.append((a, b, similarity))
    return _Alignment(pairs, left_a, left_b)


def _initials_run(word: str, words: list[str]) -> tuple[int, int] | None:
    """Return where in `words` a run of words has `word`'s letters as initials, if any."""
    if not (2 <= len(word) <= ACRONYM_LENGTH and word.isalpha()) or len(words) < len(word):
        return None
    for start in range(len(words) - len(word) + 1):
        run = words[start : start + len(word)]
        if "".join(w[0] for w in run) == word and all(w.isalpha() and len(w) > 1 for w in run):
            return start, start + len(word)
    return None


def _share(alignment: _Alignment) -> float:
    """Return the weighted share (0-1) of both names' words that pair off."""
    matched = total = 0.0
    for a, b, similarity in alignment.pairs:
        pair_weight = _phrase_weight(a) + _phrase_weight(b)
        matched += similarity * pair_weight
        total += pair_weight
    for word in (*alignment.first_left, *alignment.second_left):
        total += weight(word, shared=False)
    return matched / total if total else 0.0


def _phrase_weight(words: str) -> float:
    # An acronym's words weigh what they would written out.
    return sum(weight(word) for word in words.split())


def _joined(first: Sequence[str], second: Sequence[str]) -> float:
    """Return how alike two names are written as one word ("SiemensAG", "Good Will")."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.normalized_similarity("".join(first), "".join(second))


def _compare_words(first: str, second: str) -> tuple[float, list[str]]:
    """Score two single names (no aliases) and give the reasons."""
    a, b = name_words(first), name_words(second)
    why: list[str] = []
    if a.words == b.words:
        score, why_words = 100.0, ["same name key" if a.key == b.key else "same words"]
        alignment = _Alignment([(w, w, 1.0) for w in a.words], [], [])
    else:
        alignment = _align(a.words, b.words)
        score = round(100 * _share(alignment), 1)
        why_words = [_describe(alignment, score)]
        if len(a.words) + len(a.forms) != len(b.words) + len(b.forms):
            # Words run together or split apart: "SiemensAG" ~ "Siemens AG", "Good Will".
            with_forms = _joined(
                [*a.words, *(f.short.casefold() for f in a.forms)],
                [*b.words, *(f.short.casefold() for f in b.forms)],
            )
            joined = max(_joined(a.words, b.words), with_forms)
            if joined >= JOINED and 100 * joined > score:
                score = round(100 * joined, 1)
                why_words = [f"alike letter by letter, spaces aside {score:g}"]
    why += why_words
    if a.kind and b.kind and a.kind is not b.kind:
        score -= DIFFERENT_FORM
        forms = f"{'/'.join(f.short for f in a.forms)} vs {'/'.join(f.short for f in b.forms)}"
        why.append(f"different legal forms ({forms}) -{DIFFERENT_FORM:g}")
    places = _places()
    place_a = {w for w in alignment.first_left if w in places}
    place_b = {w for w in alignment.second_left if w in places}
    if place_a and place_b:
        score -= DIFFERENT_PLACE
        why.append(
            f"different places named ({', '.join(sorted(place_a))} vs"
            f" {', '.join(sorted(place_b))}) -{DIFFERENT_PLACE:g}"
        )
    numbers_a = {w for w in alignment.first_left if w.isdigit()}
    numbers_b = {w for w in alignment.second_left if w.isdigit()}
    if numbers_a and numbers_b:
        score -= DIFFERENT_NUMBER
        why.append(
            f"different numbers ({', '.join(sorted(numbers_a))} vs"
            f" {', '.join(sorted(numbers_b))}) -{DIFFERENT_NUMBER:g}"
        )
    return max(score, 0.0), why


def _describe(alignment: _Alignment, score: float) -> str:
    shared = [a if a == b else f"{a}~{b}" for a, b, _ in alignment.pairs]
    parts = [f"words {score:g}"]
    parts.append(f"shared: {' '.join(shared)}" if shared else "no word shared")
    only = alignment.first_left + alignment.second_left
    if only:
        parts.append(f"not shared: {' '.join(only)}")
    return ", ".join(parts)


@functools.lru_cache(maxsize=65_536)
def _variants(name: str) -> tuple[tuple[str, str], ...]:
    return ((name, ""), *name_aliases(name))


def compare_names(first: str, second: str) -> Score:
    """Score two names, each with the aliases it holds ("X a.k.a. Y", bracketed parts)."""
    best: Score | None = None
    for one, how_one in _variants(first):
        for other, how_other in _variants(second):
            score, why = _compare_words(one, other)
            if how_one or how_other:
                score -= VIA_ALIAS
                hows = " and ".join(
                    f"{which} {how}"
                    for which, how in (("first", how_one), ("second", how_other))
                    if how
                )
                why = [*why, f"through the {hows} -{VIA_ALIAS:g}"]
            if best is None or score > best.score:
                best = Score(round(score, 1), one, other, "; ".join(why))
    assert best is not None
    return best


def name_score(first: str, second: str) -> float:
    """Return how alike two names are, 0-100."""
    return compare_names(first, second).score


def compare_vendors(
    first: VendorNames, second: VendorNames, name_pairs: Iterable[tuple[int, int]]
) -> Score:
    """Score two vendors by their most alike names, then by country and identifiers."""
    best: Score | None = None
    for i, j in name_pairs:
        found = compare_names(first.names[i], second.names[j])
        if best is None or found.score > best.score:
            best = found
    assert best is not None
    score, why = best.score, [best.why]
    if first.country and second.country and first.country != second.country:
        score -= DIFFERENT_COUNTRY
        why.append(
            f"different countries ({first.country} vs {second.country}) -{DIFFERENT_COUNTRY:g}"
        )
    schemes = {scheme for scheme, _ in first.identifiers} & {s for s, _ in second.identifiers}
    differing = sorted(
        scheme
        for scheme in schemes
        if {i for s, i in first.identifiers if s == scheme}.isdisjoint(
            {i for s, i in second.identifiers if s == scheme}
        )
    )
    if differing:
        score -= DIFFERENT_IDENTIFIER
        why.append(f"different identifiers ({', '.join(differing)}) -{DIFFERENT_IDENTIFIER:g}")
    if "unknown" not in (first.kind, second.kind) and first.kind != second.kind:
        score -= DIFFERENT_KIND
        why.append(f"a {first.kind} and a {second.kind} -{DIFFERENT_KIND:g}")
    return Score(round(max(score, 0.0), 1), best.first, best.second, "; ".join(why))


# A blocking key shared by more vendors than this says too little to compare them all
# ("china", "alpha" written one letter short): those names meet by their other keys, such
# as the whole name run together, which alike names share however common their words.
MAX_BLOCK = 50
# A short word as an acronym ("^ibm"), and a name's initials ("^^ibm"): the initials meet
# the word, never other names' initials (two names of the same two initials are no reason
# to compare them).
ACRONYM_KEY = "^"
INITIALS_KEY = "^^"
# Names written as one word up to this long also give each of their one-letter-short forms.
MAX_JOINED = 24


def blocking_keys(name: str) -> set[str]:
    """Return the keys under which a name meets the names it may be alike.

    Its distinctive words and each of them with one letter left out (one typo apart share
    one), the whole name written as one word, and its initials (an acronym); a name of only
    common words gives those words.
    """
    keys: set[str] = set()
    for variant, _ in _variants(name):
        words = name_words(variant)
        distinctive = [w for w in words.words if weight(w) == DISTINCTIVE]
        for word in distinctive:
            keys.add(word)
            if len(word) >= ALIKE_LENGTH + 1:
                keys.update(word[:i] + word[i + 1 :] for i in range(len(word)))
        if not distinctive:
            # Only common words: each with the name's number, if it has one, since names
            # of common words and different numbers ("Management Company 23" and "5") are
            # different organisations, and there are many of them.
            plain = [w for w in words.words if not w.isdigit() and weight(w) > FUNCTION]
            numbers = [w for w in words.words if w.isdigit()]
            if numbers:
                keys.update(f"{w} {n}" for w in plain for n in numbers)
            else:
                keys.update(plain)
        if len(words.words) > 1:
            joined = "".join(words.words)
            keys.add(joined)
            if len(joined) <= MAX_JOINED:
                # "Andrang Heta" ~ "'Ndrangheta": run together and one letter apart.
                keys.update(joined[:i] + joined[i + 1 :] for i in range(len(joined)))
            initials = "".join(word[0] for word in words.words if word.isalpha())
            if MIN_ACRONYM <= len(initials) <= ACRONYM_LENGTH:
                keys.add(INITIALS_KEY + initials)
        for word in words.words:
            if MIN_ACRONYM <= len(word) <= ACRONYM_LENGTH and word.isalpha():
                keys.add(ACRONYM_KEY + word)
        keys.add("".join([*words.words, *(form.short.casefold() for form in words.forms)]))
    return keys


def candidate_pairs(
    vendors: Mapping[int, VendorNames],
) -> dict[tuple[int, int], set[tuple[int, int]]]:
    """Return the pairs of vendors worth scoring, each with the pairs of names that met.

    Pairs of vendors are (smaller id, larger id); pairs of names are indexes into each
    vendor's names.
    """
    from array import array

    import numpy as np

    # Every (key, name) as two flat integer arrays, sorted by key: 50,000 vendors give a
    # few million of them, which as a dict of lists of strings would take hundreds of MB.
    # Keys are hashed; two keys with one hash only add a pair to score.
    owners: list[tuple[int, int]] = []
    hashes, members = array("q"), array("q")
    for vendor_id in sorted(vendors):
        for index, name in enumerate(vendors[vendor_id].names):
            number = len(owners)
            owners.append((vendor_id, index))
            for key in blocking_keys(name):
                # The initials' side of an acronym block has its own bit (see INITIALS_KEY).
                initials = key.startswith(INITIALS_KEY)
                hashes.append(hash(key[1:] if initials else key))
                members.append(2 * number + initials)
    key_hashes = np.frombuffer(hashes, dtype=np.int64)
    order = np.argsort(key_hashes, kind="stable")
    sorted_hashes = key_hashes[order]
    sorted_members = np.frombuffer(members, dtype=np.int64)[order]
    bounds = np.flatnonzero(np.diff(sorted_hashes)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(sorted_hashes)]))
    pairs: dict[tuple[int, int], set[tuple[int, int]]] = defaultdict(set)
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        if end - start < 2:
            continue
        block = sorted(set(sorted_members[start:end].tolist()))
        if len({owners[m >> 1][0] for m in block}) > MAX_BLOCK:
            continue
        for position, one in enumerate(block):
            first, first_name = owners[one >> 1]
            for other in block[position + 1 :]:
                if one & other & 1:
                    continue
                second, second_name = owners[other >> 1]
                if first != second:
                    pairs[first, second].add((first_name, second_name))
    return pairs


def find_duplicates(
    vendors: Mapping[int, VendorNames], min_score: float = DEFAULT_MIN_SCORE
) -> list[tuple[int, int, Score]]:
    """Return pairs of vendors scoring at least `min_score`, most alike first."""
    found = []
    for (first, second), name_pairs in candidate_pairs(vendors).items():
        score = compare_vendors(vendors[first], vendors[second], sorted(name_pairs))
        if score.score >= min_score:
            found.append((first, second, score))
    found.sort(key=lambda item: (-item[2].score, item[0], item[1]))
    return found


class NameIndex:
    """The blocking keys of many vendors' names, to look up the few alike a new name.

    `candidate_pairs` compares a set of vendors with itself; screening compares names that
    are not vendors (a supplier list) with every vendor, so the keys are held once, as two
    sorted integer arrays, and each looked-up name costs a binary search per key.
    """

    def __init__(self, vendors: Mapping[int, VendorNames]) -> None:
        from array import array

        import numpy as np

        self.owners: list[tuple[int, int]] = []
        hashes, members = array("q"), array("q")
        for vendor_id in sorted(vendors):
            for index, name in enumerate(vendors[vendor_id].names):
                number = len(self.owners)
                self.owners.append((vendor_id, index))
                for key in blocking_keys(name):
                    initials = key.startswith(INITIALS_KEY)
                    hashes.append(hash(key[1:] if initials else key))
                    members.append(2 * number + initials)
        key_hashes = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(key_hashes, kind="stable")
        self._hashes = key_hashes[order]
        self._members = np.frombuffer(members, dtype=np.int64)[order]
        del key_hashes, order, hashes, members  # 100 MB at 100,000 vendors, before the next
        # Keys shared by more than MAX_BLOCK vendors, found once here: counting a block's
        # vendors at each lookup took most of a screen's matching time. Only blocks of more
        # than MAX_BLOCK names can be, a few thousand of millions: the rest stay in numpy
        # (as Python ints, the bounds of every block took 200 MB).
        owner_vendor = np.fromiter(
            (vendor_id for vendor_id, _ in self.owners), dtype=np.int64, count=len(self.owners)
        )
        bounds = np.flatnonzero(np.diff(self._hashes)) + 1
        starts = np.concatenate(([0], bounds))
        ends = np.concatenate((bounds, [len(self._hashes)]))
        big = np.flatnonzero(ends - starts > MAX_BLOCK)
        self._crowded = {
            int(self._hashes[start])
            for start, end in zip(starts[big].tolist(), ends[big].tolist(), strict=True)
            if len(np.unique(owner_vendor[self._members[start:end] >> 1])) > MAX_BLOCK
        }

    def candidates(self, names: Sequence[str]) -> dict[int, set[tuple[int, int]]]:
        """Return the vendors worth scoring against `names`, each with the pairs of names met.

        Pairs are (index into `names`, index into the vendor's names). A key shared by more
        than MAX_BLOCK vendors says too little, as in `candidate_pairs`.
        """
        import numpy as np

        found: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for position, name in enumerate(names):
            for key in blocking_keys(name):
                initials = key.startswith(INITIALS_KEY)
                wanted = hash(key[1:] if initials else key)
                if wanted in self._crowded:
                    continue
                start = int(np.searchsorted(self._hashes, wanted, side="left"))
                end = int(np.searchsorted(self._hashes, wanted, side="right"))
                for member in self._members[start:end].tolist():
                    # Initials meet words, never other initials (see INITIALS_KEY).
                    if initials and member & 1:
                        continue
                    vendor_id, index = self.owners[member >> 1]
                    found[vendor_id].add((position, index))
        return found
