"""Names as words: transliteration, legal forms, honorifics, numbers and embedded aliases.

`name_words` turns a vendor name into the words that identify it and the legal forms it
carries; the name key (resolve.name_key) is those words joined, and the duplicates score
(matching.py) compares them. Everything here is rules a reviewer can read: no learnt weights.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class FormKind(StrEnum):
    """What sort of entity a legal form makes: two forms of different kinds are two entities.

    The value is how a name key says it ("deutsche bank #stock").
    """

    # Shares that can be offered or traded: AG, S.A., PLC, JSC, N.V., S.p.A., K.K.
    STOCK = "stock"
    # Private limited liability: GmbH, Ltd, LLC, OOO, S.R.L., B.V., Sp. z o.o., Lda.
    LIMITED = "limited"
    PARTNERSHIP = "partnership"
    NONPROFIT = "nonprofit"
    COOPERATIVE = "coop"
    SOLE_TRADER = "sole"
    # "Company", "Corp.", "Inc.": says it is a company, not which kind.
    ANY = ""


@dataclass(frozen=True)
class LegalForm:
    """A legal form as a short name (its usual abbreviation) and the kind of entity it makes."""

    short: str
    kind: FormKind


# Legal forms by language or country (after the names of ISO 20275's Entity Legal Forms
# list), each with the spellings met in registers and sanctions lists, written as they read
# after transliteration to lower-case ASCII without punctuation ("S.A. de C.V." reads
# "sa de cv"). Spellings of several words are phrases; a misspelt word of five letters or
# more in a phrase still counts ("joynt stock company", transliterated "tovaristvo").
_FORMS: dict[FormKind, dict[str, list[str]]] = {
    FormKind.STOCK: {
        # German, Austrian, Swiss
        "AG": ["ag", "aktiengesellschaft"],
        "KGaA": ["kgaa", "kommanditgesellschaft auf aktien"],
        "SE": ["se", "societas europaea"],
        # French, Belgian, Spanish, Portuguese, Polish, Romanian, Latin American
        "SA": [
            "sa",
            "societe anonyme",
            "sociedad anonima",
            "sociedade anonima",
            "spolka akcyjna",
            "societate pe actiuni",
            "societe par actions",
        ],
        "SA de CV": ["sa de cv", "sociedad anonima de capital variable", "sab de cv", "sapi de cv"],
        "SAB": ["sab"],
        "SAC": ["sac", "sociedad anonima cerrada"],
        "SAA": ["saa", "sociedad anonima abierta"],
        "SACI": ["saci", "saic", "saica", "sacif"],
        "SAU": ["sau"],
        # Italian
        "SpA": ["spa", "societa per azioni"],
        "SApA": ["sapa", "societa in accomandita per azioni"],
        # Dutch, Belgian
        "NV": ["nv", "naamloze vennootschap"],
        # Nordic
        "AB": ["ab", "aktiebolag", "ab publ", "publ"],
        "ASA": ["asa", "allmennaksjeselskap"],
        "Oyj": ["oyj", "julkinen osakeyhtio"],
        "A/S": ["a s", "aktieselskab"],
        # English-speaking countries
        "PLC": ["plc", "public limited company", "public company limited", "pcl"],
        # Russian, Ukrainian, Kazakh and others of the former USSR
        "JSC": [
            "jsc",
            "joint stock company",
            "jointstock company",
            "joint stock co",
            "ao",
            "aktsionernoe obshchestvo",
            "aktsionerne tovaristvo",
            "aktsionerne tovarystvo",
            "at",
        ],
        "OJSC": [
            "ojsc",
            "oao",
            "open joint stock company",
            "otkrytoe aktsionernoe obshchestvo",
            "vat",
            "vidkrite aktsionerne tovaristvo",
        ],
        "CJSC": [
            "cjsc",
            "zao",
            "closed joint stock company",
            "zakrytoe aktsionernoe obshchestvo",
            "zat",
            "zakrite aktsionerne tovaristvo",
        ],
        "PJSC": [
            "pjsc",
            "pao",
            "public joint stock company",
            "publichnoe aktsionernoe obshchestvo",
            "pat",
            "publichne aktsionerne tovaristvo",
        ],
        "PrJSC": [
            "prjsc",
            "prat",
            "private joint stock company",
            "privatne aktsionerne tovaristvo",
        ],
        "NAO": ["nao", "nepublichnoe aktsionernoe obshchestvo"],
        # Hungarian, Bulgarian, Balkan, Greek, Turkish
        "Zrt": ["zrt", "nyrt", "rt"],
        "AD": ["ad", "ead", "dd"],
        "AE": ["ae", "anonymi etaireia"],
        "AS (TR)": ["anonim sirketi", "as anonim sirketi"],
        # Asian
        "KK": ["kk", "kabushiki kaisha", "kabushikigaisha"],
        "Tbk": ["tbk", "persero tbk"],
        "Gufen": ["gu fen you xian gong si"],
        # Gulf
        "PJSC (Gulf)": ["psc", "qsc", "bsc", "saog", "saoc", "qpsc"],
    },
    FormKind.LIMITED: {
        "GmbH": ["gmbh", "gesellschaft mit beschrankter haftung", "gesmbh", "ggmbh"],
        "UG": ["ug", "unternehmergesellschaft", "ug haftungsbeschrankt"],
        "Ltd": ["ltd", "limited", "private limited", "private limited company", "co ltd"],
        "Pty Ltd": ["pty", "pty ltd", "proprietary limited"],
        "Pvt Ltd": ["pvt", "pvt ltd", "private ltd"],
        "Pte Ltd": ["pte", "pte ltd"],
        "LLC": [
            "llc",
            "l l c",
            "limited liability company",
            "pllc",
            "wll",
            "fz llc",
            "fzco",
            "fze",
            "fzc",
        ],
        "SARL": ["sarl", "societe a responsabilite limitee", "eurl", "sprl"],
        "SRL": [
            "srl",
            "sl",
            "slu",
            "sociedad de responsabilidad limitada",
            "sociedad limitada",
            "societa a responsabilita limitata",
            "societatea cu raspundere limitata",
            "scrl",
            "scarl",
        ],
        "S de RL": ["s de rl", "s de rl de cv"],
        "Lda": [
            "lda",
            "ltda",
            "limitada",
            "sociedade limitada",
            "sociedade por quotas",
            "eireli",
            "unipessoal lda",
        ],
        "BV": ["bv", "besloten vennootschap", "bvba"],
        "Oy": ["oy", "osakeyhtio"],
        "ApS": ["aps", "anpartsselskab"],
        "sro": ["sro", "spol s r o", "s r o", "spol sro"],
        "Kft": ["kft", "korlatolt felelossegu tarsasag"],
        "Sp z oo": [
            "sp z oo",
            "spzoo",
            "sp zoo",
            "zoo",
            "spolka z ograniczona odpowiedzialnoscia",
        ],
        "OOO": [
            "ooo",
            "llc",
            "obshchestvo s ogranichennoy otvetstvennostyu",
            "obshchestvo s ogranichennoi otvetstvennostiu",
        ],
        "TOV": [
            "tov",
            "too",
            "tovaristvo z obmezhenoyu vidpovidalnistyu",
            "tovarystvo z obmezhenoiu vidpovidalnistiu",
            "tovarishchestvo s ogranichennoy otvetstvennostyu",
        ],
        "DOO": ["doo", "d o o", "ood", "eood"],
        "EPE": ["epe", "ike"],
        "Ltd Sti": ["ltd sti", "limited sirketi"],
        "PT": ["pt", "perseroan terbatas"],
        "Sdn Bhd": ["sdn bhd", "sdn", "bhd", "berhad", "sendirian berhad"],
        "YK": ["yk", "yugen kaisha", "gk", "godo kaisha"],
        "Youxian": ["you xian gong si", "you xian ze ren gong si"],
        "LLC (CN)": ["co ltd"],
    },
    FormKind.PARTNERSHIP: {
        "KG": ["kg", "kommanditgesellschaft"],
        "OHG": ["ohg", "offene handelsgesellschaft"],
        "GbR": ["gbr"],
        "LP": ["lp", "limited partnership"],
        "LLP": ["llp", "limited liability partnership", "lllp"],
        "SNC": ["snc", "societe en nom collectif"],
        "VOF": ["vof", "vennootschap onder firma"],
        "Ky": ["ky", "kommandiittiyhtio"],
        "Bt": ["bt", "kkt"],
        "Sp k": ["sp k", "sp j"],
    },
    FormKind.NONPROFIT: {
        "ANO": ["ano", "avtonomnaya nekommercheskaya organizatsiya"],
        "NKO": ["nko"],
        "eV": ["ev", "eingetragener verein"],
    },
    FormKind.COOPERATIVE: {
        "eG": ["eg", "eingetragene genossenschaft"],
    },
    FormKind.SOLE_TRADER: {
        "IP": ["individualnyy predprinimatel"],
        "FOP": ["fop"],
        "e.K.": ["ek", "eingetragener kaufmann"],
    },
    FormKind.ANY: {
        "Co": ["co", "company", "cie", "cia", "compania", "compagnie", "companhia"],
        "Corp": ["corp", "corporation", "incorporated", "inc"],
        "Gongsi": ["gong si"],
        # Norwegian and Estonian "AS" are limited companies, Czech and Slovak "a.s." stock ones.
        "AS": ["as"],
    },
}
# Two-letter forms are also words ("As Salam", "Sa Pa", "At Home"): they count only at the
# end of a name, or chained to it through other forms; at its start only those that lead
# names (Russian "AO", Ukrainian "AT", Indonesian "PT").
_SHORT = 2
_LEADING = frozenset({"ao", "at", "pt"})
# How alike (0-1) a misspelt word must be to count as a legal form's: a word of a phrase
# ("joynt" for "joint"), or a form of one long word ("Aktiengeselschaft").
_FUZZY_WORD = 0.78
_FUZZY_FORM = 0.88
_FUZZY_LENGTH = 5
_FUZZY_SINGLE = 9


def _form_table() -> dict[tuple[str, ...], LegalForm]:
    table: dict[tuple[str, ...], LegalForm] = {}
    for kind, forms in _FORMS.items():
        for short, spellings in forms.items():
            for spelling in spellings:
                table.setdefault(tuple(spelling.split()), LegalForm(short, kind))
    return table


LEGAL_FORMS = _form_table()
# Longest first, so that "open joint stock company" wins over "joint stock company".
_PHRASES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(LEGAL_FORMS, key=len, reverse=True):
    _PHRASES_BY_FIRST.setdefault(_phrase[0], []).append(_phrase)
# First words a misspelt form may be matched against.
_FUZZY_FIRST = [word for word in _PHRASES_BY_FIRST if len(word) >= 5]

# A leading title is never part of a name's key ("MR. YANG LIN" is Yang Lin).
_HONORIFICS_TEXT = """
    mr mrs ms miss mx dr prof sir dame lord lady herr frau mme mlle monsieur madame sr sra srta
    sheikh shaikh hon rev
"""
HONORIFICS = frozenset(_HONORIFICS_TEXT.split())
# "&", "and" and their equivalents join words; they identify nothing.
_CONNECTORS_TEXT = """
    and und et y e og och ve
"""
CONNECTORS = frozenset(_CONNECTORS_TEXT.split())
# Abbreviations written out, so that "First Bank Int'l" reads "first bank international".
ABBREVIATIONS = {
    "intl": "international",
    "natl": "national",
    "mfg": "manufacturing",
    "bros": "brothers",
    "assn": "association",
    "assoc": "association",
    "dept": "department",
    "govt": "government",
    "univ": "university",
    "ind": "industries",
    "inds": "industries",
    "svcs": "services",
    "tech": "technology",
}
_UNITS = {
    word: value
    for value, words in enumerate(
        [
            "zero",
            "one first",
            "two second",
            "three third",
            "four fourth",
            "five fifth",
            "six sixth",
            "seven seventh",
            "eight eighth",
            "nine ninth",
            "ten tenth",
            "eleven eleventh",
            "twelve twelfth",
            "thirteen thirteenth",
            "fourteen fourteenth",
            "fifteen fifteenth",
            "sixteen sixteenth",
            "seventeen seventeenth",
            "eighteen eighteenth",
            "nineteen nineteenth",
        ]
    )
    for word in words.split()
}
_TENS = {
    word: 10 * value
    for value, words in enumerate(
        [
            "",
            "",
            "twenty twentieth",
            "thirty thirtieth",
            "forty fourty fortieth",
            "fifty fiftieth",
            "sixty sixtieth",
            "seventy seventieth",
            "eighty eightieth",
            "ninety ninetieth",
        ]
    )
    for word in words.split()
}
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
# Where a name says it is also known by another: "X a.k.a. Y", "X (formerly Y)", "X f/k/a Y".
ALIAS_MARKER = re.compile(
    r"[\s,;(]+(?:a\.k\.a\.?|a/k/a|aka|f\.k\.a\.?|f/k/a|fka|d\.b\.a\.?|d/b/a|dba|t/a"
    r"|also known as|formerly known as|formerly|trading as"
    # The EBRD writes "X may also be doing business as Y".
    r"|(?:may also be |also )?doing business (?:as|under))[\s:,]+"
    # Only with a name after it: "Trading AS" ending a name is a Norwegian company.
    r"(?=\S)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_NOT_WORD = re.compile(r"[^\w]+")
_APOSTROPHES = re.compile(r"['\u2019\u02bc`]")
_DOTTED = re.compile(r"\b(\w)\.(?=\w\b)")


# Between a key's words and the kind of entity its legal form makes.
KIND_MARK = " #"


@dataclass(frozen=True)
class NameWords:
    """A name read as words: those that identify it, and the legal forms it carries."""

    words: tuple[str, ...]
    forms: tuple[LegalForm, ...]

    @property
    def kind(self) -> FormKind | None:
        """Return the kind of entity the name's last legal form of a known kind makes."""
        kinds = [form.kind for form in self.forms if form.kind is not FormKind.ANY]
        # "X GmbH & Co. KG" is a partnership (whose partner is a GmbH): the last form wins.
        return kinds[-1] if kinds else None

    @property
    def key(self) -> str:
        """Return the words, then the kind of entity when the name says it.

        "Deutsche Bank AG" and "Deutsche Bank GmbH" are two entities and have two keys
        ("deutsche bank #stock", "deutsche bank #limited"); "Deutsche Bank" says no kind and
        is looked up as either (resolve.key_matches).
        """
        words = " ".join(self.words)
        kind = self.kind
        return words if kind is None else f"{words}{KIND_MARK}{kind.value}"


@functools.lru_cache(maxsize=65_536)
def name_words(name: str) -> NameWords:
    """Read a name as words: transliterated, no case, punctuation, titles or legal forms."""
    plain = to_ascii(name.casefold()).replace("&", " and ")
    # "S.A." and "A.B.C." lose their dots first so their letters join into one word.
    plain = _DOTTED.sub(r"\1", plain.replace("z o.o.", "zoo"))
    # Transliterated soft signs become apostrophes ("otvetstvennost'yu"): they join the word.
    raw = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", plain)).replace("_", " ").split()
    words = _numbers([ABBREVIATIONS.get(word, word) for word in raw])
    while len(words) > 1 and (words[0] in HONORIFICS or words[0] == "the"):
        words = words[1:]
    # Connectors go first, so that "GmbH & Co. KG" is three forms in a row.
    words = _without_connectors(words)
    kept, forms = _without_forms(words)
    kept = _join_letters(kept)
    if not kept:
        # A name that is all legal form ("Limited", "Management Company" is not): keep it.
        return NameWords(tuple(words) or tuple(raw), ())
    return NameWords(tuple(kept), tuple(forms))


def name_aliases(name: str) -> list[tuple[str, str]]:
    """Return the other names a name holds, each with how it was found.

    "X a.k.a. Y" and "X (formerly Y)" hold Y; "Deutsche Bank (Schweiz) AG" holds
    "Deutsche Bank AG", the name without its bracketed part; "Al-Qa'ida/Islamic Army" holds
    both halves.
    """
    found: list[tuple[str, str]] = []
    parts = ALIAS_MARKER.split(f" {name.strip()} ")
    for part in parts[1:]:
        alias = part.strip(" ,;()")
        if alias:
            found.append((alias, "also known as"))
    main = parts[0].strip(" ,;")
    if main.count("(") > main.count(")"):
        main = main[: main.rindex("(")].rstrip(" ,;")
    if len(parts) > 1 and main:
        found.append((main, "name before 'also known as'"))
    if _BRACKETED.search(main):
        outside = " ".join(_BRACKETED.sub(" ", main).split())
        if outside:
            found.append((outside, "without the bracketed part"))
        for match in _BRACKETED.finditer(main):
            inside = (match.group(1) or match.group(2) or "").strip()
            if len(name_words(inside).words) > 1 or len(inside) > 5:
                found.append((inside, "bracketed part"))
    if "/" in main and not re.search(r"\b\w/\w\b", main):
        found.extend((half.strip(), "part of a name with '/'") for half in main.split("/"))
    seen = {name}
    unique = []
    for alias, how in found:
        if alias and alias not in seen:
            seen.add(alias)
            unique.append((alias, how))
    return unique


def to_ascii(text: str) -> str:
    """Transliterate to ASCII: accents dropped, other scripts spelt out, ideographs as syllables."""
    if text.isascii():
        # Most names; the transliteration tables need not even be imported for them.
        return text
    from anyascii import anyascii

    decomposed = unicodedata.normalize("NFKD", text)
    chars: list[str] = []
    for char in decomposed:
        if char.isascii():
            chars.append(char)
        elif unicodedata.combining(char):
            continue
        elif unicodedata.name(char, "").startswith("CJK "):
            # Ideographs carry no spaces; one syllable per character keeps words comparable.
            chars.append(f" {anyascii(char).lower()} ")
        else:
            chars.append(anyascii(char).lower())
    return "".join(chars)


def _without_connectors(words: list[str]) -> list[str]:
    """Drop "and" and its equivalents between two words ("Vitamin E" keeps its "e")."""
    last = len(words) - 1
    return [w for i, w in enumerate(words) if not (w in CONNECTORS and 0 < i < last)]


def _join_letters(words: list[str]) -> list[str]:
    """Join single letters into one word: "A & C International" is "AC International"."""
    joined: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if word:
            joined.append(word)
    return joined


def _numbers(words: list[str]) -> list[str]:
    """Write numbers in digits: "Forty-Four", "forty 4" and "44" are one word "44"; "1st" is 1."""
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        ordinal = _ORDINAL.match(word)
        if ordinal:
            out.append(str(int(ordinal.group(1))))
        elif word in _TENS:
            value = _TENS[word]
            following = words[index + 1] if index + 1 < len(words) else ""
            unit = _UNITS.get(following)
            if unit is None and following.isdigit() and len(following) == 1:
                unit = int(following)
            if unit is not None and 0 < unit < 10:
                value += unit
                index += 1
            out.append(str(value))
        elif word in _UNITS:
            out.append(str(_UNITS[word]))
        else:
            out.append(word)
        index += 1
    return out


def _without_forms(words: list[str]) -> tuple[list[str], list[LegalForm]]:
    """Take legal forms out of `words`; two-letter ones only at an end or beside another form."""
    spans: list[tuple[int, int, LegalForm]] = []
    index = 0
    while index < len(words):
        found = _form_at(words, index)
        if found is None:
            index += 1
            continue
        length, form = found
        spans.append((index, index + length, form))
        index += length
    # A two-letter form stands only where forms chain to an end of the name.
    kept_spans: list[tuple[int, int, LegalForm]] = []
    leading, trailing = _chained_to_ends(spans, len(words))
    for number, (start, end, form) in enumerate(spans):
        short = end - start == 1 and len(words[start]) <= _SHORT
        if short and not (number in trailing or (number in leading and words[start] in _LEADING)):
            continue
        kept_spans.append((start, end, form))
    removed = {i for start, end, _ in kept_spans for i in range(start, end)}
    kept = [word for i, word in enumerate(words) if i not in removed]
    return kept, [form for _, _, form in kept_spans]


def _chained_to_ends(
    spans: list[tuple[int, int, LegalForm]], length: int
) -> tuple[set[int], set[int]]:
    """Return the spans reaching the start of the name through other forms, and the end."""
    leading: set[int] = set()
    position = 0
    for number, (start, end, _) in enumerate(spans):
        if start != position:
            break
        leading.add(number)
        position = end
    trailing: set[int] = set()
    position = length
    for number in range(len(spans) - 1, -1, -1):
        start, end, _ = spans[number]
        if end != position:
            break
        trailing.add(number)
        position = start
    return leading, trailing


def _form_at(words: list[str], index: int) -> tuple[int, LegalForm] | None:
    for phrase in _PHRASES_BY_FIRST.get(words[index], ()):
        if tuple(words[index : index + len(phrase)]) == phrase:
            return len(phrase), LEGAL_FORMS[phrase]
    word = words[index]
    if len(word) < _FUZZY_LENGTH:
        return None
    from rapidfuzz.distance import Levenshtein

    for first in _alike_first_words(word):
        for phrase in _PHRASES_BY_FIRST[first]:
            window = words[index : index + len(phrase)]
            if len(phrase) == 1:
                if len(word) >= _FUZZY_SINGLE and (
                    Levenshtein.normalized_similarity(word, first) >= _FUZZY_FORM
                ):
                    return 1, LEGAL_FORMS[phrase]
            elif len(window) == len(phrase) and all(
                _alike_form_word(got, want) for got, want in zip(window, phrase, strict=True)
            ):
                return len(phrase), LEGAL_FORMS[phrase]
    return None


@functools.lru_cache(maxsize=65_536)
def _alike_first_words(word: str) -> tuple[str, ...]:
    """Return the first words of forms that `word` may be a misspelling of."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    # Misspelt or cut short: only words of five letters or more, and phrases then need
    # every word alike ("joynt stock company", "tovaristvo z obmezhenoiu").
    alike = process.extract(
        word,
        _FUZZY_FIRST,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=_FUZZY_WORD,
        limit=None,
    )
    return tuple(first for first, _, _ in alike)


def _alike_form_word(got: str, want: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    if got == want:
        return True
    if len(want) < _FUZZY_LENGTH or len(got) < _FUZZY_LENGTH:
        return False
    # A word cut short ("JOINT STOCK COMPAN") is the form too.
    return want.startswith(got) or Levenshtein.normalized_similarity(got, want) >= _FUZZY_WORD
