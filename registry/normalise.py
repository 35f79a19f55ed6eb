"""Name normalisation for enterprise search and duplicate detection.

A registry name such as ``"Les Petits Riens ASBL"`` and a write-up such as
``"asbl Petits Riens (Les)"`` name the same organisation. ``normalise_name``
turns both into the same order-insensitive key ``"petits riens"``:

1. Unicode NFKD, accents dropped, case-folded (``Café`` -> ``cafe``,
   ``Straße`` -> ``strasse``).
2. Punctuation becomes a space (``AINTERIM'AIR`` -> ``ainterim air``);
   ``&`` and ``+`` are dropped (``ADEF+`` -> ``adef``).
3. Runs of single letters are joined, so dotted acronyms survive
   (``A.S.B.L.`` -> ``asbl``, ``E.B.S`` -> ``ebs``).
4. Legal-form words and phrases are dropped: Belgian forms (Code of companies
   and associations 2019: SRL/BV, SC/CV, SA/NV, ASBL/VZW, AISBL/IVZW, SNC/VOF,
   SCS/CommV and the pre-2019 SPRL/BVBA, SCRL/CVBA ...) and the French forms seen
   in the SIAE export's NATURE_JURIDIQUE and name columns (SARL, EURL, SAS,
   SASU, SCOP, SCIC, "association declaree", "societe cooperative ouvriere de
   production" ...). ``ASSOC``/``ASS``/``ASSOCIATION`` prefixes are noise too.
5. Articles and short prepositions (le, la, les, de, du, des, het, van, the...)
   are dropped, and a few abbreviations expanded (``st`` -> ``saint``).
6. Tokens are sorted (``normalise_name``) or kept in order (``name_tokens``).

``TokenVocabulary`` finds indexed tokens close to a (mistyped) query token;
``registry.search.SearchIndex`` uses it to expand query tokens.

If dropping words would leave nothing (a firm literally called "SA"), the
words are kept. Pure module: no Flask, no database.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["fold", "name_tokens", "normalise_name", "TokenVocabulary", "LEGAL_FORMS", "STOPWORDS"]

# Single-token legal forms (after folding and acronym joining).
LEGAL_FORMS = frozenset("""
    asbl vzw aisbl ivzw scrl scrlfs fs scri cvba cvoa sprl sprlu bvba ebvba srl bv
    sa nv cv sc scs snc vof sca commv commva gcv gie eesv eeig sce se
    sarl eurl sas sasu scop scic sci sca earl gaec selarl sem spl
    gmbh ag ltd llc plc inc bvi vog
    assoc association ass
""".split())

# Multi-word legal forms / noise phrases, matched on folded text (longest first).
_PHRASES = sorted("""
association sans but lucratif
association internationale sans but lucratif
vereniging zonder winstoogmerk
internationale vereniging zonder winstoogmerk
association declaree
association de droit local
association intermediaire
reconnue d utilite publique
societe cooperative ouvriere de production
cooperative ouvriere de production
ouvriere de production
societe cooperative a responsabilite limitee
societe cooperative
cooperatieve vennootschap met beperkte aansprakelijkheid
cooperatieve vennootschap
societe a responsabilite limitee
societe privee a responsabilite limitee
besloten vennootschap met beperkte aansprakelijkheid
besloten vennootschap
societe anonyme
naamloze vennootschap
societe par actions simplifiee
societe en nom collectif
societe en commandite simple
vennootschap onder firma
commanditaire vennootschap
comm v
comm va
a conseil d administration
sans autre indication
""".strip().splitlines(), key=len, reverse=True)
_PHRASE_RE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")

STOPWORDS = frozenset("""
    le la les l de du des d un une et en au aux a
    het een van der den t ter ten op
    the of and
    die das dem
""".split())

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ctre": "centre", "cie": "compagnie"}

_LETTERS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d",
                          "þ": "th", "ı": "i"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Accent-free, case-folded text with punctuation turned into spaces."""
    text = (text or "").casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTERS)
    return " ".join(_NON_WORD.sub(" ", text).split())


def _join_single_letters(tokens: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for tok in tokens + [""]:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if tok:
            out.append(tok)
    return out


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[str, ...]:
    folded = fold(text)
    tokens = _join_single_letters(folded.split())
    if not tokens:
        return ()
    joined = " ".join(tokens)
    without_phrases = _PHRASE_RE.sub(" ", joined).split()
    kept = [
        _ABBREVIATIONS.get(t, t)
        for t in without_phrases
        if t not in LEGAL_FORMS and t not in STOPWORDS
    ]
    if kept:
        return tuple(kept)
    # Nothing left: keep legal-form words rather than returning nothing.
    kept = [t for t in without_phrases if t not in STOPWORDS] or without_phrases
    return tuple(kept or tokens)


def name_tokens(text: str) -> list[str]:
    """Normalised tokens of a name, in their original order."""
    return list(_tokens(text or ""))


def normalise_name(text: str) -> str:
    """Order-insensitive normalised key of a name.

    >>> normalise_name("Les Petits Riens ASBL") == normalise_name("asbl Petits Riens (Les)")
    True
    >>> normalise_name("Repair Café Leuven vzw")
    'cafe leuven repair'
    """
    return " ".join(sorted(_tokens(text or "")))


def _deletes(token: str) -> set[str]:
    """The token and every string made by deleting one of its letters."""
    if len(token) < 3:
        return {token}
    return {token} | {token[:i] + token[i + 1:] for i in range(len(token))}


class TokenVocabulary:
    """A set of distinct tokens that can be looked up despite typos.

    ``similar(token)`` returns known tokens with a similarity weight: 1.0 equal;
    0.8 at optimal-string-alignment distance 1 (symmetric-delete dictionary:
    one wrong, missing or extra letter, or two swapped neighbours); 0.6 at
    distance 2 among tokens of length +-2 starting with the token's first or
    second letter (a bounded scan); 0.9 for the two known parts of a glued
    word ('coopagir' -> coop, agir) when nothing else is found; 0.85 for
    tokens that start with it when ``as_prefix`` (the word being typed).
    Not locked: the owner serialises.
    """

    def __init__(self) -> None:
        self._delete_index: dict[str, set[str]] = {}
        self._buckets: dict[tuple[int, str], dict[str, str]] = {}  # (length, 1st letter)
        self._sorted: list[str] = []

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and bool(token) and token in self._buckets.get(
            (len(token), token[0]), ())

    def add(self, token: str) -> None:
        if not token or token in self:
            return
        for key in _deletes(token):
            self._delete_index.setdefault(key, set()).add(token)
        self._buckets.setdefault((len(token), token[0]), {})[token] = token
        bisect.insort(self._sorted, token)

    def discard(self, token: str) -> None:
        if token not in self:
            return
        for key in _deletes(token):
            tokens = self._delete_index[key]
            tokens.discard(token)
            if not tokens:
                del self._delete_index[key]
        del self._buckets[(len(token), token[0])][token]
        del self._sorted[bisect.bisect_left(self._sorted, token)]

    def similar(self, token: str, as_prefix: bool = False) -> dict[str, float]:
        found: dict[str, float] = {}
        if token in self:
            found[token] = 1.0
        elif len(token) >= 3:
            for key in _deletes(token):
                for cand in self._delete_index.get(key, ()):
                    if cand not in found and OSA.distance(token, cand, score_cutoff=1) <= 1:
                        found[cand] = 0.8
            if len(token) >= 5:  # two typos in one word: scan a few small buckets
                for length in range(len(token) - 2, len(token) + 3):
                    for first in {token[0], token[1]}:
                        bucket = self._buckets.get((length, first))
                        for cand, _, _ in process.extract(
                                token, bucket or {}, scorer=OSA.distance, score_cutoff=2, limit=10):
                            found.setdefault(cand, 0.6)
        if not found and len(token) >= 6:  # glued words: 'coopagir', 'veloatelier'
            for cut in range(3, len(token) - 2):
                if token[:cut] in self and token[cut:] in self:
                    found[token[:cut]] = found[token[cut:]] = 0.9
        if as_prefix and len(token) >= 3:
            start = bisect.bisect_left(self._sorted, token)
            for cand in self._sorted[start:start + 50]:
                if not cand.startswith(token):
                    break
                found.setdefault(cand, 0.85)
        return found
