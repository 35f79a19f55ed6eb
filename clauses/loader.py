"""Reading and checking one clause file (format: docs/clauses.md).

:func:`load_clause_file` parses a TOML file and validates every field; any defect raises
:class:`ClauseFileError` naming the file, the field and, for TOML syntax errors, the line.
Pure module: no Flask, no database.
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from clauses.parameters import (
    LANGUAGES,
    Parameter,
    ParameterError,
    parse_parameter,
    tidy_text,
)

CATEGORIES = (
    "reservation", "selection", "award_criterion", "performance_condition",
    "technical_specification", "subcontracting", "training", "reporting", "penalty",
)
REGIONS = ("brussels", "wallonia", "flanders")
NATURES = ("works", "supplies", "services")
# Hints for the OCDS / eForms export; values from the code lists in shared/data.
OCDS_STRATEGIES = frozenset({
    "awardCriteria", "contractPerformanceConditions", "reservedParticipation",
    "selectionCriteria", "technicalSpecifications",
})
OCDS_RESERVED = frozenset({"shelteredWorkshop", "publicServiceMissionOrganization"})
EFORMS_CODES = {
    "BT-06": frozenset({"soc-obj", "env-imp", "inn-pur", "none"}),
    "BT-775": frozenset({"acc-all", "et-eq", "gen-eq", "hum-right", "opp", "other", "work-cond"}),
    "BT-71": frozenset({"res-ws", "res-pub-ser", "none"}),
    "BT-539": frozenset({"price", "cost", "quality"}),
}
_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
PLACEHOLDER_RE = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_TOP_KEYS = {
    "id", "version", "category", "legal_basis", "unverified", "regions", "applies_to",
    "title", "explanation", "text", "parameters", "ocds", "eforms", "change_note",
}


class ClauseFileError(ValueError):
    """A clause file is unreadable or invalid; names the file, the field and the line."""

    def __init__(self, path: Path | str, field: str | None, message: str, line: int | None = None):
        self.path, self.field, self.message, self.line = str(path), field, message, line
        where = self.path + (f", line {line}" if line else "")
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class UnknownClauseError(KeyError):
    """No clause (or no such version of a clause) in the library."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown clause"


@dataclass(frozen=True, eq=False)
class Clause:
    """One version of one clause, as read from its file (texts already reflowed)."""

    id: str
    version: int
    category: str
    legal_basis: tuple[str, ...]
    unverified: tuple[str, ...]
    regions: tuple[str, ...]
    applies_to: tuple[str, ...]
    title: Mapping[str, str]
    explanation: Mapping[str, str]
    text: Mapping[str, str]
    parameters: tuple[Parameter, ...]
    ocds: Mapping[str, Any]
    eforms: Mapping[str, Any]
    change_note: str | None
    content_hash: str
    path: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        raise KeyError(name)

    def placeholders(self, lang: str) -> list[str]:
        return PLACEHOLDER_RE.findall(self.text[lang])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Clause):
            return NotImplemented
        return (self.key, self.content_hash) == (other.key, other.content_hash)

    def __hash__(self) -> int:
        return hash((self.key, self.content_hash))

    def __repr__(self) -> str:
        return f"<Clause {self.id} v{self.version} {self.category}>"


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the parsed file in canonical JSON: stable across whitespace and key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                           default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_clause_file(path: Path | str, expected_id: str,
                     expected_version: int | None = None) -> Clause:
    """Parse and validate one clause file; raise :class:`ClauseFileError` on any defect."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ClauseFileError(path, None, f"not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ClauseFileError(path, "toml", f"invalid TOML: {exc}",
                              line=int(found.group(1)) if found else None) from None
    check = _Checker(path)
    for key in data:
        if key not in _TOP_KEYS:
            check.fail(key, f"unknown field (allowed: {', '.join(sorted(_TOP_KEYS))})")
    clause_id = check.value(data, "id", str)
    if not _ID_RE.fullmatch(clause_id):
        check.fail("id", f"{clause_id!r} must be lowercase words joined by hyphens")
    if clause_id != expected_id:
        check.fail("id", f"{clause_id!r} does not match the file name ({expected_id!r})")
    version = check.value(data, "version", int)
    if version < 1:
        check.fail("version", f"must be an integer >= 1, got {version}")
    if expected_version is not None and version != expected_version:
        check.fail("version", f"{version} does not match the file name (v{expected_version})")
    category = check.value(data, "category", str)
    if category not in CATEGORIES:
        check.fail("category", f"unknown category {category!r} (expected one of "
                   f"{', '.join(CATEGORIES)})")
    legal_basis = check.strings(data, "legal_basis")
    unverified = check.strings(data, "unverified", required=False)
    for item in unverified:
        if item not in legal_basis:
            check.fail("unverified", f"{item!r} is not one of the legal_basis entries")
    regions = check.strings(data, "regions", allowed=REGIONS)
    applies_to = check.strings(data, "applies_to", allowed=NATURES)
    title, explanation, text = (check.languages(data, key) for key in ("title", "explanation", "text"))
    for lang, value in title.items():
        if "\n" in value:
            check.fail(f"title.{lang}", "a title is a single line")
    raw_params = data.get("parameters", [])
    if not isinstance(raw_params, list):
        check.fail("parameters", "must be an array of tables ([[parameters]])")
    parameters = []
    for index, raw in enumerate(raw_params):
        try:
            parameters.append(parse_parameter(raw, index))
        except ParameterError as exc:
            check.fail(exc.field, exc.message)
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        check.fail("parameters", f"duplicate parameter name in {names}")
    _check_placeholders(check, text, parameters)
    change_note = data.get("change_note")
    if change_note is not None and not isinstance(change_note, str):
        check.fail("change_note", "must be a string")
    return Clause(
        id=clause_id, version=version, category=category, legal_basis=legal_basis,
        unverified=unverified, regions=regions, applies_to=applies_to,
        title=MappingProxyType(title), explanation=MappingProxyType(explanation),
        text=MappingProxyType(text), parameters=tuple(parameters),
        ocds=MappingProxyType(_check_ocds(check, data.get("ocds", {}))),
        eforms=MappingProxyType(_check_eforms(check, data.get("eforms", {}))),
        change_note=change_note, content_hash=content_hash(data), path=str(path),
    )


def _check_placeholders(check: _Checker, text: dict[str, str], parameters: list[Parameter]) -> None:
    declared = {p.name for p in parameters}
    for lang, body in text.items():
        used = set(PLACEHOLDER_RE.findall(body))
        for name in sorted(used - declared):
            check.fail(f"text.{lang}", f"placeholder {{{name}}} is not a declared parameter")
        leftover = PLACEHOLDER_RE.sub("", body)
        if "{" in leftover or "}" in leftover:
            check.fail(f"text.{lang}", "stray brace: placeholders look like {name} "
                       "(lowercase letters, digits, underscores)")
        for param in parameters:
            if param.textual and param.name not in used:
                check.fail(f"text.{lang}", f"parameter {param.name!r} is not used in this text "
                           "(use it, or declare textual = false)")


def _check_ocds(check: _Checker, ocds: Any) -> dict[str, Any]:
    if not isinstance(ocds, dict):
        check.fail("ocds", "must be a table")
    for key, value in ocds.items():
        if key == "strategies":
            check.strings(ocds, key, allowed=tuple(sorted(OCDS_STRATEGIES)), where="ocds.")
        elif key == "goals":
            goals = check.strings(ocds, key, where="ocds.")
            for goal in goals:
                if not re.fullmatch(r"(social|environmental|economic)(\.[a-zA-Z]+)?", goal):
                    check.fail("ocds.goals", f"{goal!r} is not an OCDS sustainability goal code")
        elif key == "reserved_participation":
            if value not in OCDS_RESERVED:
                check.fail("ocds.reserved_participation",
                           f"{value!r} not in {', '.join(sorted(OCDS_RESERVED))}")
        else:
            check.fail(f"ocds.{key}", "unknown OCDS hint (strategies, goals, reserved_participation)")
    return dict(ocds)


def _check_eforms(check: _Checker, eforms: Any) -> dict[str, Any]:
    if not isinstance(eforms, dict):
        check.fail("eforms", "must be a table")
    for key, value in eforms.items():
        if key not in EFORMS_CODES:
            check.fail(f"eforms.{key}", f"unknown business term (known: {', '.join(EFORMS_CODES)})")
        for code in value if isinstance(value, list) else [value]:
            if code not in EFORMS_CODES[key]:
                check.fail(f"eforms.{key}", f"{code!r} is not a code of {key}")
    return dict(eforms)


class _Checker:
    """Small helpers that raise ClauseFileError for one file."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, field: str | None, message: str):
        raise ClauseFileError(self.path, field, message)

    def value(self, data: Mapping[str, Any], key: str, kind: type) -> Any:
        if key not in data:
            self.fail(key, "missing")
        value = data[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(key, f"must be of type {kind.__name__}, got {type(value).__name__}")
        if kind is str and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def strings(self, data: Mapping[str, Any], key: str, *, required: bool = True,
                allowed: tuple[str, ...] | None = None, where: str = "") -> tuple[str, ...]:
        if key not in data:
            if required:
                self.fail(where + key, "missing")
            return ()
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(where + key, "must be a list of non-empty strings")
        if required and not value:
            self.fail(where + key, "must not be empty")
        for item in value:
            if allowed is not None and item not in allowed:
                self.fail(where + key, f"unknown value {item!r} (expected: {', '.join(allowed)})")
        if len(set(value)) != len(value):
            self.fail(where + key, "contains duplicates")
        return tuple(value)

    def languages(self, data: Mapping[str, Any], key: str) -> dict[str, str]:
        table = data.get(key)
        if not isinstance(table, dict):
            self.fail(key, f"missing table [{key}] with fr, nl and en")
        for lang in table:
            if lang not in LANGUAGES:
                self.fail(f"{key}.{lang}", f"unknown language (expected {', '.join(LANGUAGES)})")
        result = {}
        for lang in LANGUAGES:
            value = table.get(lang)
            if not isinstance(value, str) or not value.strip():
                self.fail(f"{key}.{lang}", "missing language" if value is None else "must be text")
            result[lang] = tidy_text(value, lang)
        return result
