"""Duplicate detection for enterprise profiles.

Records are mappings or objects with ``id``, ``name`` and optionally
``postal_code`` and ``enterprise_number``.

Rules, strongest first:

* Same valid enterprise number (BCE/KBO, ``registry.identifiers``): a
  **certain** duplicate, whatever the names say.
* Otherwise names are compared by ``name_similarity``: rapidfuzz ratio of the
  order-insensitive normalised keys (``registry.normalise.normalise_name``:
  accents, case, punctuation, legal forms such as ASBL/VZW/SRL/SARL/SCOP and
  the ``ASSOC`` prefix are ignored). Comparisons are *blocked*: two records
  are compared only when they share a postal code (or, with
  ``area_threshold``, the first two characters of it: the French department,
  a Belgian postal area) or, when one has no postal code, a name word. A
  pair at or above ``threshold`` is a **probable** duplicate.

``likely_duplicates`` checks one new name against an index while it is
typed; ``link_records`` matches the rows of a second source to a first one.

Measured on the real French SIAE list (tests/test_dedup_real_data.py,
BENCHMARKS.md "Duplicate detection"): blocking on the postal code with
threshold 90 finds every pair of rows that share a SIRET (precision 0.86).
Rows of one legal entity (same SIREN) in other towns are branches with their
own names and are mostly not found; a name-and-place detector should not
merge them.

Pure module: no Flask, no database.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from .identifiers import (InvalidEnterpriseNumber, format_enterprise_number,
                          normalise_enterprise_number)
from .normalise import name_tokens, normalise_name
from .search import SearchIndex

__all__ = ["DuplicatePair", "DuplicateCandidate", "name_similarity", "find_duplicates",
           "duplicate_clusters", "likely_duplicates", "containment_similarity",
           "link_records"]

CERTAIN, PROBABLE, POSSIBLE = "certain", "probable", "possible"
_MAX_BLOCK_WORD = 200  # name words more frequent than this are not used for blocking


@dataclass(frozen=True)
class DuplicatePair:
    a: Hashable
    b: Hashable
    score: float
    certainty: str  # "certain" (same enterprise number) or "probable"
    reason: str


@dataclass(frozen=True)
class DuplicateCandidate:
    id: Hashable
    score: float
    certainty: str  # "certain", "probable" or "possible"
    reason: str


@dataclass(frozen=True)
class _Rec:
    id: Hashable
    name: str
    key: str
    postal_code: str
    number: str | None


def _field(record, name: str):
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


def _number(value) -> str | None:
    if not value:
        return None
    try:
        return normalise_enterprise_number(str(value))
    except InvalidEnterpriseNumber:
        return None  # an invalid number proves nothing; names still count


def _prepare(records: Iterable) -> list[_Rec]:
    out = []
    for r in records:
        name = str(_field(r, "name") or "")
        postal = str(_field(r, "postal_code") or "").replace(" ", "").upper()
        out.append(_Rec(_field(r, "id"), name, normalise_name(name), postal,
                        _number(_field(r, "enterprise_number"))))
    return out


def name_similarity(a: str, b: str) -> float:
    """0-100: ratio of the order-insensitive normalised names.

    ``name_similarity("Les Petits Riens ASBL", "asbl Petits Riens (Les)") == 100``.
    """
    return _key_similarity(normalise_name(a), normalise_name(b))


def _key_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b)


def _pair_reason(x: _Rec, y: _Rec, score: float) -> str:
    place = (f"same postal code {x.postal_code}" if x.postal_code and x.postal_code == y.postal_code
             else f"same postal area {x.postal_code[:2]}" if x.postal_code and y.postal_code
             else "postal code unknown")
    return f"similar names {x.name!r} / {y.name!r} (score {round(score)}), {place}"


def find_duplicates(records: Iterable, threshold: float = 90.0, *,
                    area_threshold: float | None = None) -> list[DuplicatePair]:
    """Pairs of records that are probably the same enterprise.

    ``threshold`` applies to records with the same postal code (or without
    one); ``area_threshold`` (e.g. 97), when given, also compares records of
    the same postal area (first two characters) at that stricter level.
    Result: certain pairs first, then by decreasing score.
    """
    recs = _prepare(records)
    found: dict[tuple[int, int], DuplicatePair] = {}

    by_number: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if r.number:
            by_number[r.number].append(i)
    for number, members in by_number.items():
        for i, j in itertools.combinations(members, 2):
            found[(i, j)] = DuplicatePair(recs[i].id, recs[j].id, 100.0, CERTAIN,
                                          f"same enterprise number {format_enterprise_number(number)}")

    def compare(members: list[int], limit: float) -> None:
        for i, j in itertools.combinations(sorted(members), 2):
            if (i, j) in found:
                continue
            score = _key_similarity(recs[i].key, recs[j].key)
            if score >= limit:
                found[(i, j)] = DuplicatePair(recs[i].id, recs[j].id, round(score, 1), PROBABLE,
                                              _pair_reason(recs[i], recs[j], score))

    blocks: dict[str, list[int]] = defaultdict(list)
    areas: dict[str, list[int]] = defaultdict(list)
    words: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if r.postal_code:
            blocks[r.postal_code].append(i)
            areas[r.postal_code[:2]].append(i)
        for word in set(r.key.split()):
            words[word].append(i)
    for members in blocks.values():
        compare(members, threshold)
    if area_threshold is not None:
        for members in areas.values():
            compare(members, area_threshold)
    for i, r in enumerate(recs):  # no postal code: compare with records sharing a name word
        if not r.postal_code:
            near = {j for w in set(r.key.split()) if len(words[w]) <= _MAX_BLOCK_WORD
                    for j in words[w] if j != i}
            for j in near:
                compare([i, j], threshold)
    return sorted(found.values(), key=lambda p: (p.certainty != CERTAIN, -p.score, str(p.a), str(p.b)))


def duplicate_clusters(pairs: Iterable[DuplicatePair]) -> list[set[Hashable]]:
    """Group pairs into clusters (connected components), largest first."""
    parent: dict[Hashable, Hashable] = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        parent[root(p.a)] = root(p.b)
    groups: dict[Hashable, set] = defaultdict(set)
    for x in list(parent):
        groups[root(x)].add(x)
    return sorted(groups.values(), key=lambda g: (-len(g), sorted(map(str, g))))


def likely_duplicates(index_or_records: SearchIndex | Iterable, name: str,
                      enterprise_number: str | None = None, postal_code: str | None = None,
                      limit: int = 5, threshold: float = 80.0) -> list[DuplicateCandidate]:
    """Existing profiles that a new registration may duplicate ("while typing").

    Same enterprise number: certain. Otherwise the fuzzy search score of the
    typed name (``SearchIndex.search``, which also tolerates a name still
    being typed); a score of 90 or more with the same postal code is probable,
    any other score at or above ``threshold`` is possible. With a list of
    records, a temporary index is built: pass a SearchIndex for a large registry.
    """
    index = index_or_records
    if not isinstance(index, SearchIndex):
        index = SearchIndex()
        for r in _prepare(index_or_records):
            index.add(r.id, r.name, postal_code=r.postal_code, enterprise_number=r.number)
    postal = (postal_code or "").replace(" ", "").upper()
    out: dict[Hashable, DuplicateCandidate] = {}
    number = _number(enterprise_number)
    if number:
        for i in index.ids_for_number(number):
            out[i] = DuplicateCandidate(i, 100.0, CERTAIN, f"same enterprise number "
                                        f"{format_enterprise_number(number)}")
    if name and name.strip():
        for m in index.search(name, limit=limit * 3):
            if m.id in out or m.score < threshold:
                continue
            entry = index.get(m.id)
            same_place = bool(postal) and str(entry.postal_code or "").replace(" ", "").upper() == postal
            certainty = PROBABLE if same_place and m.score >= 90 else POSSIBLE
            reason = m.why + (f", same postal code {postal}" if same_place else "")
            out[m.id] = DuplicateCandidate(m.id, m.score, certainty, reason)
    order = {CERTAIN: 0, PROBABLE: 1, POSSIBLE: 2}
    return sorted(out.values(), key=lambda c: (order[c.certainty], -c.score, str(c.id)))[:limit]


def containment_similarity(a: str, b: str) -> float:
    """0-100, tolerant of extra words on either side (two sources' names).

    Token alignment as in the search (``registry.search._alignment``) taken in
    the better direction: "HUMANIS - logistique" and "HUMANIS" score high. A
    token spelling the initials of words of the other name counts as those
    words ("les JMV" / "Les Jardins de la Montagne Verte").
    Too lenient for duplicates inside one source ("TREMPLIN" vs "TREMPLIN
    SERVICES" are often two firms): ``find_duplicates`` uses ``name_similarity``.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return 0.0
    ta, tb = _expand_acronyms(ta, tb), _expand_acronyms(tb, ta)
    sims = {(x, y): fuzz.ratio(x, y) for x in set(ta) for y in set(tb)}

    def cover(xs, ys, flip):
        return sum(len(x) * max(sims[(y, x) if flip else (x, y)] for y in ys)
                   for x in xs) / sum(map(len, xs))

    forward = 0.75 * cover(ta, tb, False) + 0.25 * cover(tb, ta, True)
    backward = 0.75 * cover(tb, ta, True) + 0.25 * cover(ta, tb, False)
    return max(forward, backward, fuzz.ratio(" ".join(ta), " ".join(tb)))


def _expand_acronyms(tokens: list[str], other: list[str]) -> list[str]:
    """Replace a token that spells the initials of 2+ consecutive ``other``
    tokens by those tokens: 'JMV' / 'Jardins de la Montagne Verte'."""
    runs = {"".join(t[0] for t in other[i:j]): other[i:j]
            for i in range(len(other)) for j in range(i + 2, len(other) + 1)}
    out: list[str] = []
    for t in tokens:
        out.extend(runs.get(t, [t]) if len(t) >= 2 and t not in other else [t])
    return out


def link_records(left: Iterable, right: Iterable, threshold: float = 85.0
                 ) -> list[tuple[Hashable, Hashable, float, str]]:
    """Match each ``left`` record to its best ``right`` record (two sources).

    Same valid enterprise number wins. Otherwise the best
    ``containment_similarity`` among right records of the same postal area
    (all of them if the postal code is unknown), ties going to the same
    postal code; a link needs ``threshold``. Cost: one comparison per pair of
    records in the same postal area.
    Returns (left id, right id, score, reason), at most one per left record.
    """
    rrecs = _prepare(right)
    by_number = {r.number: r for r in rrecs if r.number}
    by_area: dict[str, list[_Rec]] = defaultdict(list)
    for r in rrecs:
        by_area[r.postal_code[:2]].append(r)
    links = []
    for x in _prepare(left):
        if x.number and x.number in by_number:
            links.append((x.id, by_number[x.number].id, 100.0,
                          f"same enterprise number {format_enterprise_number(x.number)}"))
            continue
        pool = by_area.get(x.postal_code[:2], []) if x.postal_code else rrecs
        scored = [(containment_similarity(x.name, y.name), y.postal_code == x.postal_code, y)
                  for y in pool]
        score, _, y = max(scored, key=lambda t: (t[0], t[1]), default=(0.0, False, None))
        if y is not None and score >= threshold:
            links.append((x.id, y.id, round(score, 1), _pair_reason(x, y, score)))
    return links
