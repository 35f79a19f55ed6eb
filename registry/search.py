"""In-memory fuzzy search over enterprise profiles.

``SearchIndex`` holds (id, name, trade names, extra text such as the
municipality, enterprise number, postal code), built once and kept current
with ``add`` / ``update`` / ``remove``: a query never rescans the registry.

1. Candidates come from an inverted index of normalised tokens
   (``registry.normalise``). A query token expands to indexed tokens that are
   equal, at edit distance 1 (symmetric-delete dictionary), at distance 2
   among tokens of similar length with the same first letter (or the query's
   second), or, for the last token while typing, that start with it. Tokens
   weigh by rarity (idf); very frequent tokens only re-weigh candidates found
   by rarer ones.
2. The best candidates are rescored per field (name, trade names, each with
   the extra text appended) by an order-insensitive token alignment on
   rapidfuzz ``fuzz.ratio`` (``_alignment``) or the plain ratio when higher.
   The best field gives the score (0-100) and the ``why``.

A query shaped like a BCE/KBO number is an exact number lookup.

Thread safety: mutations, searches and number lookups take one internal lock
(``len``, ``in`` and ``get`` are single dict reads); an index can be shared
by a threaded web server (searches are serialised, a few ms each).
Pure module: no Flask, no database.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from heapq import nlargest
from operator import itemgetter, mul

from rapidfuzz import fuzz, process

from .identifiers import (InvalidEnterpriseNumber, format_enterprise_number,
                          looks_like_enterprise_number, normalise_enterprise_number)
from .normalise import TokenVocabulary, name_tokens

__all__ = ["Match", "Entry", "SearchIndex"]

EXTRA_WEIGHT = 0.6  # in stage 1 a token of the extra text counts less than a name token
POOL_SIZE = 100  # candidates rescored per query
MIN_SCORE = 40.0  # weaker matches are noise, not results
GROW_MIN = 2000  # a token in more entries than this (and 2 %) only re-weighs candidates


@dataclass(frozen=True)
class Match:
    """One search hit: ``score`` 0-100, ``why`` says which field matched."""

    id: Hashable
    score: float
    why: str
    field: str


@dataclass(frozen=True)
class Entry:
    """An indexed profile, as given to ``SearchIndex.add``."""

    id: Hashable
    name: str
    trade_names: tuple[str, ...] = ()
    extra: str = ""
    extra_label: str = "details"
    enterprise_number: str | None = None
    postal_code: str | None = None

    def fields(self) -> list[tuple]:
        """(label, text, tokens, tokens + glued pairs, token length, normalised text)."""
        out = [("name", self.name, tuple(name_tokens(self.name)))]
        out += [("trade name", t, tuple(name_tokens(t))) for t in self.trade_names]
        if self.extra:
            extra = tuple(name_tokens(self.extra))
            out += [(f"{label} + {self.extra_label}", f"{text} {self.extra}", tokens + extra)
                    for label, text, tokens in out]
        fields = []
        for label, text, tokens in out:
            if tokens:
                probes = tokens + tuple(a + b for a, b in zip(tokens, tokens[1:]))
                fields.append((label, text, tokens, probes, sum(map(len, tokens)),
                               " ".join(tokens)))
        return fields

    def weighted_tokens(self) -> dict[str, float]:
        weights = dict.fromkeys(name_tokens(self.extra), EXTRA_WEIGHT)
        for text in (self.name, *self.trade_names):
            weights.update(dict.fromkeys(name_tokens(text), 1.0))
        return weights


class SearchIndex:
    """Incremental fuzzy index of enterprise profiles (see module docstring)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._entries: dict[Hashable, Entry] = {}
        self._fields: dict[Hashable, list[tuple]] = {}
        self._postings: dict[str, dict[Hashable, float]] = {}
        self._vocabulary = TokenVocabulary()
        self._numbers: dict[str, set[Hashable]] = {}

    # -- mutations -------------------------------------------------------
    def add(self, id: Hashable, name: str, trade_names: Iterable[str] = (),
            extra: str = "", *, extra_label: str = "details",
            enterprise_number: str | None = None, postal_code: str | None = None) -> None:
        """Index a profile. Raises ValueError if ``id`` is already indexed, and
        InvalidEnterpriseNumber if ``enterprise_number`` fails the mod-97 rule."""
        number = normalise_enterprise_number(enterprise_number) if enterprise_number else None
        entry = Entry(id, name or "", tuple(t for t in trade_names if t), extra or "",
                      extra_label, number, postal_code)
        with self._lock:
            if id in self._entries:
                raise ValueError(f"id {id!r} is already indexed; use update()")
            self._entries[id] = entry
            self._fields[id] = entry.fields()
            for token, weight in entry.weighted_tokens().items():
                posting = self._postings.get(token)
                if posting is None:
                    posting = self._postings[token] = {}
                    self._vocabulary.add(token)
                posting[id] = weight
            if number:
                self._numbers.setdefault(number, set()).add(id)

    def update(self, id: Hashable, name: str, trade_names: Iterable[str] = (),
               extra: str = "", **kwargs) -> None:
        """Replace the indexed profile ``id`` (KeyError if it is unknown)."""
        if kwargs.get("enterprise_number"):  # validate before dropping the old entry
            normalise_enterprise_number(kwargs["enterprise_number"])
        with self._lock:
            self.remove(id)
            self.add(id, name, trade_names, extra, **kwargs)

    def remove(self, id: Hashable) -> None:
        """Drop profile ``id`` from the index (KeyError if it is unknown)."""
        with self._lock:
            entry = self._entries.pop(id)
            del self._fields[id]
            for token in entry.weighted_tokens():
                posting = self._postings[token]
                del posting[id]
                if not posting:
                    del self._postings[token]
                    self._vocabulary.discard(token)
            if entry.enterprise_number:
                ids = self._numbers[entry.enterprise_number]
                ids.discard(id)
                if not ids:
                    del self._numbers[entry.enterprise_number]

    # -- reading ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, id: object) -> bool:
        return id in self._entries

    def get(self, id: Hashable) -> Entry | None:
        return self._entries.get(id)

    def ids_for_number(self, number: str) -> list[Hashable]:
        """Ids holding enterprise number ``number`` (any usual writing; raises
        InvalidEnterpriseNumber if it is not a valid number)."""
        with self._lock:
            return sorted(self._numbers.get(normalise_enterprise_number(number), ()), key=str)

    def search(self, query: str, limit: int = 20,
               candidates: Iterable[Hashable] | None = None) -> list[Match]:
        """Best matches for ``query``, best first; at most ``limit``.

        ``candidates`` restricts the search to these ids (e.g. profiles already
        filtered by region or CPV); a ``set`` or ``frozenset`` is used as given
        (not copied: do not change it during the search), any other iterable is
        copied into a set. A query shaped like an enterprise number
        returns the exact holders of that number (score 100) or nothing.
        Matches scoring under ``MIN_SCORE`` are left out.
        """
        query = query or ""
        if candidates is None or isinstance(candidates, (set, frozenset)):
            allowed = candidates
        else:
            allowed = set(candidates)
        with self._lock:
            if looks_like_enterprise_number(query):
                return self._number_search(query, allowed)[:limit]
            tokens = name_tokens(query)
            if not tokens:
                return []
            as_prefix = not query[-1:].isspace()
            if allowed is not None and len(allowed) <= 4 * POOL_SIZE:
                pool = [e for e in allowed if e in self._entries]
                evidence = dict.fromkeys(pool, 0.0)
            else:
                evidence = self._candidates(tokens, as_prefix, allowed)
                pool = nlargest(max(POOL_SIZE, 2 * limit), evidence, key=evidence.__getitem__)
            return self._rescore(tokens, pool, evidence, limit, as_prefix)

    def _number_search(self, query: str, allowed: set | None) -> list[Match]:
        try:
            number = normalise_enterprise_number(query)
        except InvalidEnterpriseNumber:
            return []
        why = f"enterprise number {format_enterprise_number(number)}"
        ids = sorted(self._numbers.get(number, ()), key=str)
        return [Match(i, 100.0, why, "enterprise number")
                for i in ids if allowed is None or i in allowed]

    def _candidates(self, tokens: list[str], as_prefix: bool,
                    allowed: set | None) -> dict[Hashable, float]:
        total = len(self._entries) or 1
        per_token = []
        for i, token in enumerate(tokens):
            expansions = self._vocabulary.similar(token, as_prefix and i == len(tokens) - 1)
            size = sum(len(self._postings[t]) for t in expansions)
            per_token.append((size, expansions))
        for a, b in zip(tokens, tokens[1:]):  # a word split in two: 'kring winkel'
            if a + b in self._vocabulary:
                per_token.append((len(self._postings[a + b]), {a + b: 1.0}))
        per_token.sort(key=itemgetter(0))
        cap = max(GROW_MIN, total // 50)
        acc: dict[Hashable, float] = {}
        for size, expansions in per_token:
            best: dict[Hashable, float] = {}
            grow = not acc or size <= cap
            for token, sim in expansions.items():
                posting = self._postings[token]
                weight = sim * math.log(1 + total / len(posting))
                if grow:
                    items = posting.items()
                else:
                    items = [(e, posting[e]) for e in acc.keys() & posting.keys()]
                get = best.get
                for entry_id, field_weight in items:
                    w = weight * field_weight
                    if w > get(entry_id, 0.0):
                        best[entry_id] = w
            for entry_id, w in best.items():
                acc[entry_id] = acc.get(entry_id, 0.0) + w
        if allowed is not None:
            acc = {e: w for e, w in acc.items() if e in allowed}
        return acc

    def _similarities(self, tokens: list[str], pool: list[Hashable],
                      as_prefix: bool) -> dict[str, tuple[float, ...]]:
        """fuzz.ratio of each pool token to each query token (prefix: 90-100)."""
        probes = list({tok: None for e in pool for f in self._fields[e] for tok in f[3]})
        columns = []
        for i, q in enumerate(tokens):
            column = [0.0] * len(probes)
            for _, score, j in process.extract(q, probes, scorer=fuzz.ratio, limit=None):
                column[j] = score
            if as_prefix and i == len(tokens) - 1 and len(q) >= 3:
                for j, tok in enumerate(probes):
                    if tok.startswith(q):  # below an exact token, above most typos
                        column[j] = max(column[j], 90.0 + 10.0 * len(q) / len(tok))
            columns.append(column)
        return dict(zip(probes, zip(*columns)))

    def _rescore(self, tokens: list[str], pool: list[Hashable],
                 evidence: dict[Hashable, float], limit: int, as_prefix: bool) -> list[Match]:
        sims = self._similarities(tokens, pool, as_prefix)
        best_sim = {tok: max(vec) for tok, vec in sims.items()}
        q_lens = [len(q) for q in tokens]
        q_total = sum(q_lens)
        query_text = " ".join(tokens)
        ranked = []
        for entry_id in pool:
            best = (-1.0, "", "")
            for label, text, field_tokens, probes, f_total, field_text in self._fields[entry_id]:
                score = _alignment(probes, field_tokens, sims, best_sim, q_lens, q_total, f_total)
                score = max(score, fuzz.ratio(query_text, field_text, score_cutoff=score))
                if score > best[0]:
                    best = (score, label, text)
            score, label, text = best
            ranked.append((score, evidence.get(entry_id, 0.0), str(entry_id), entry_id, label, text))
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
        return [Match(entry_id, round(score, 1),
                      f"{label} ≈ {text!r} (score {round(score)})", label)
                for score, _, _, entry_id, label, text in ranked[:limit] if score >= MIN_SCORE]


def _alignment(probes, field_tokens, sims, best_sim, q_lens, q_total, f_total) -> float:
    """Order-insensitive token alignment score 0-100 (Monge-Elkan style).

    Each query token is paired with its most similar field token (or glued
    pair of neighbouring field tokens: a query may write 'veloatelier'); each
    field token with its most similar query token. Both averages weigh tokens
    by length. Query coverage counts 3/4 and field coverage 1/4, so a short
    query ('petits riens') still scores high while an exact name scores 100.
    """
    per_query = map(max, zip(*[sims[t] for t in probes]))
    coverage = sum(map(mul, q_lens, per_query)) / q_total
    precision = sum(len(t) * best_sim[t] for t in field_tokens) / f_total
    return 0.75 * coverage + 0.25 * precision
