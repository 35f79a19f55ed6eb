"""Clause library: load, validate and render the social-clause files of ``clauses/``.

One TOML file per clause: ``clauses/<id>.toml`` holds the current version and
``clauses/archive/<id>.v<N>.toml`` keeps older published versions, so that a tender which
stored ``(id, version)`` gets exactly that text back (docs/clauses.md). :func:`load_library`
reads and checks every file at start-up (checks in ``clauses.loader``); parameter typing and
number formatting live in ``clauses.parameters``. Pure module: no Flask, no database.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

from clauses.loader import (  # noqa: F401  (re-exported for callers)
    CATEGORIES,
    NATURES,
    PLACEHOLDER_RE,
    REGIONS,
    Clause,
    ClauseFileError,
    UnknownClauseError,
    content_hash,
    load_clause_file,
)
from clauses.parameters import (  # noqa: F401  (re-exported for callers)
    LANGUAGES,
    Parameter,
    ParameterError,
    collect_parameter_errors,
    format_date,
    format_number,
    format_percent,
    format_value,
    validate_parameters,
)

DEFAULT_DIRECTORY = Path(__file__).resolve().parent
_ARCHIVE_RE = re.compile(r"(?P<id>.+)\.v(?P<version>[0-9]+)")


class Library:
    """All clause versions; ``get(id)`` is the current one, ``get(id, n)`` an exact version."""

    def __init__(self, clauses: Mapping[tuple[str, int], Clause], current: Mapping[str, int]):
        self._clauses = dict(clauses)
        self._current = dict(sorted(current.items()))

    def get(self, clause_id: str, version: int | None = None) -> Clause:
        if clause_id not in self._current:
            raise UnknownClauseError(f"unknown clause {clause_id!r}")
        key = (clause_id, self._current[clause_id] if version is None else int(version))
        if key not in self._clauses:
            raise UnknownClauseError(
                f"clause {clause_id!r} has no version {version} (known: {self.versions(clause_id)})")
        return self._clauses[key]

    def versions(self, clause_id: str) -> list[int]:
        return sorted(v for (cid, v) in self._clauses if cid == clause_id)

    def all(self) -> list[Clause]:
        """Current version of every clause, sorted by id."""
        return [self._clauses[(cid, v)] for cid, v in self._current.items()]

    def by_category(self) -> dict[str, list[Clause]]:
        """Current clauses grouped by category, in :data:`CATEGORIES` order (all keys present)."""
        groups: dict[str, list[Clause]] = {cat: [] for cat in CATEGORIES}
        for clause in self.all():
            groups[clause.category].append(clause)
        return groups

    def for_region(self, region: str) -> list[Clause]:
        if region not in REGIONS:
            raise ValueError(f"region must be one of {', '.join(REGIONS)}, got {region!r}")
        return [c for c in self.all() if region in c.regions]

    def find(self, *, category: str | None = None, region: str | None = None,
             nature: str | None = None) -> list[Clause]:
        """Current clauses filtered by category, region and nature (works/supplies/services)."""
        for name, value, allowed in (("category", category, CATEGORIES),
                                     ("region", region, REGIONS), ("nature", nature, NATURES)):
            if value is not None and value not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
        return [c for c in self.all()
                if (category is None or c.category == category)
                and (region is None or region in c.regions)
                and (nature is None or nature in c.applies_to)]

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._current

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.all())

    def __len__(self) -> int:
        return len(self._current)


def load_library(directory: Path | str = DEFAULT_DIRECTORY) -> Library:
    """Read and validate every clause file (current and archived); fail on the first defect."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ClauseFileError(directory, None, "clause directory not found")
    clauses: dict[tuple[str, int], Clause] = {}
    current: dict[str, int] = {}
    for path in sorted(directory.glob("*.toml")):
        clause = load_clause_file(path, expected_id=path.stem)
        _add(clauses, clause, path)
        current[clause.id] = clause.version
    archive = directory / "archive"
    for path in sorted(archive.glob("*.toml")) if archive.is_dir() else []:
        match = _ARCHIVE_RE.fullmatch(path.stem)
        if not match:
            raise ClauseFileError(path, "id", "archived files must be named <id>.v<version>.toml")
        clause = load_clause_file(path, expected_id=match["id"],
                                  expected_version=int(match["version"]))
        if clause.id not in current:
            raise ClauseFileError(path, "id", f"archived version of unknown clause {clause.id!r}")
        _add(clauses, clause, path)
        if clause.version > current[clause.id]:
            raise ClauseFileError(path, "version", f"archived version {clause.version} is newer "
                                  f"than the current version {current[clause.id]}")
    return Library(clauses, current)


@lru_cache(maxsize=1)
def default_library() -> Library:
    """The library of this package, loaded once per process."""
    return load_library()


def _add(clauses: dict[tuple[str, int], Clause], clause: Clause, path: Path) -> None:
    if clause.key in clauses:
        raise ClauseFileError(path, "version", f"duplicate clause {clause.id!r} version "
                              f"{clause.version} (also in {clauses[clause.key].path})")
    clauses[clause.key] = clause


def render(clause: Clause, lang: str, values: Mapping[str, Any] | None = None) -> str:
    """The clause text in ``lang`` with every placeholder filled (plain text, not HTML).

    ``values`` are checked by :func:`validate_parameters` (defaults filled in); numbers are
    formatted for the language. Raises ParameterError, or ValueError for an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    checked = validate_parameters(clause, values)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if checked[name] is None:
            raise ParameterError(name, f"{name} is required", "required")
        return format_value(clause.parameter(name), checked[name], lang)

    return PLACEHOLDER_RE.sub(fill, clause.text[lang])
