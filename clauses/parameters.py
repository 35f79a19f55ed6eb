"""Clause parameters: declaration, coercion of submitted values, and per-language formatting.

Types: int, decimal, percent (in percent units: 2.5 means 2.5 %), text, choice, date.
Numbers are written the Belgian way per language: FR ``1 234,5`` (no-break space),
NL ``1.234,5``, EN ``1,234.5``; percentages FR ``5 %``, NL/EN ``5%``. Pure module.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Iterable, Mapping

LANGUAGES = ("fr", "nl", "en")
PARAM_TYPES = ("int", "decimal", "percent", "text", "choice", "date")
NUMERIC_TYPES = ("int", "decimal", "percent")
NBSP = "\u00a0"
_SEPARATORS = {"fr": (NBSP, ","), "nl": (".", ","), "en": (",", ".")}
_MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
_SPACES = re.compile(r"[ \t\r\n]+")
_FR_BEFORE = re.compile(r" ([:;!?»])")
_PARAM_KEYS = {"name", "type", "label", "default", "min", "max", "choices", "choice_text",
               "unit", "required", "textual", "max_length"}


class ParameterError(ValueError):
    """A parameter value (or declaration) is invalid. ``field`` names the parameter.

    ``code`` is a stable machine code (required, unknown, not_an_integer, not_a_number,
    below_min, above_max, not_in_choices, not_a_date, not_text, too_long, invalid) and
    ``bound`` the limit that was crossed, so the web layer can translate the message.
    """

    def __init__(self, field: str, message: str, code: str = "invalid", bound: Any = None):
        self.field, self.message, self.code, self.bound = field, message, code, bound
        super().__init__(message)


@dataclass(frozen=True, eq=False)
class Parameter:
    """One declared parameter of a clause (``label`` per language; bounds for numbers)."""

    name: str
    type: str
    label: Mapping[str, str]
    default: Any = None
    minimum: Any = None
    maximum: Any = None
    choices: tuple[str, ...] = ()
    choice_text: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))
    unit: str | None = None
    required: bool = True
    textual: bool = True
    max_length: int = 500


def parse_parameter(raw: Any, index: int) -> Parameter:
    """Build a Parameter from one [[parameters]] table; errors name ``parameters[<name>].<key>``."""
    where = f"parameters[{index}]"
    if not isinstance(raw, dict):
        raise ParameterError(where, "must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not name.isidentifier() or name != name.lower():
        raise ParameterError(f"{where}.name", f"missing or invalid name {name!r} "
                             "(lowercase letters, digits, underscores)")
    where = f"parameters[{name}]"
    for key in raw:
        if key not in _PARAM_KEYS:
            raise ParameterError(f"{where}.{key}", "unknown parameter field")
    ptype = raw.get("type")
    if ptype not in PARAM_TYPES:
        raise ParameterError(f"{where}.type", f"unknown type {ptype!r} (expected one of "
                             f"{', '.join(PARAM_TYPES)})")
    label = raw.get("label")
    if not isinstance(label, dict):
        raise ParameterError(f"{where}.label", "missing label table with fr, nl and en")
    for lang in LANGUAGES:
        if not isinstance(label.get(lang), str) or not label[lang].strip():
            raise ParameterError(f"{where}.label.{lang}", "missing language")
    fields: dict[str, Any] = {"name": name, "type": ptype, "label": MappingProxyType(dict(label))}
    for key in ("required", "textual"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise ParameterError(f"{where}.{key}", "must be true or false")
            fields[key] = raw[key]
    if "unit" in raw:
        if not isinstance(raw["unit"], str):
            raise ParameterError(f"{where}.unit", "must be a string")
        fields["unit"] = raw["unit"]
    if "max_length" in raw:
        if ptype != "text" or not isinstance(raw["max_length"], int) or raw["max_length"] < 1:
            raise ParameterError(f"{where}.max_length", "only for text, a positive integer")
        fields["max_length"] = raw["max_length"]
    for key, attr in (("min", "minimum"), ("max", "maximum")):
        if key in raw:
            if ptype not in NUMERIC_TYPES:
                raise ParameterError(f"{where}.{key}", f"bounds are only for numbers, not {ptype}")
            probe = Parameter(name=name, type=ptype, label=fields["label"])
            try:
                fields[attr] = coerce_value(probe, raw[key])
            except ParameterError as exc:
                raise ParameterError(f"{where}.{key}", exc.message) from None
    if fields.get("minimum") is not None and fields.get("maximum") is not None \
            and fields["minimum"] > fields["maximum"]:
        raise ParameterError(f"{where}.min", "min is greater than max")
    _parse_choices(raw, ptype, where, fields)
    param = Parameter(**fields)
    if "default" in raw:
        try:
            param = Parameter(**{**fields, "default": coerce_value(param, raw["default"])})
        except ParameterError as exc:
            raise ParameterError(f"{where}.default", f"default {raw['default']!r} is invalid: "
                                 f"{exc.message}") from None
    elif param.textual and not param.required:
        raise ParameterError(f"{where}.default", "an optional parameter used in the text "
                             "needs a default")
    return param


def _parse_choices(raw: dict, ptype: str, where: str, fields: dict[str, Any]) -> None:
    if ptype != "choice":
        if "choices" in raw or "choice_text" in raw:
            raise ParameterError(f"{where}.choices", "choices are only for type choice")
        return
    choices = raw.get("choices")
    if not isinstance(choices, list) or not choices or \
            not all(isinstance(c, str) and c for c in choices) or len(set(choices)) != len(choices):
        raise ParameterError(f"{where}.choices", "a choice parameter needs a list of "
                             "distinct non-empty strings")
    fields["choices"] = tuple(choices)
    texts = raw.get("choice_text")
    if texts is None:
        return
    if not isinstance(texts, dict) or set(texts) != set(choices):
        raise ParameterError(f"{where}.choice_text", f"must have one table per choice {choices}")
    for choice, per_lang in texts.items():
        for lang in LANGUAGES:
            value = per_lang.get(lang) if isinstance(per_lang, dict) else None
            if not isinstance(value, str) or not value.strip():
                raise ParameterError(f"{where}.choice_text.{choice}.{lang}", "missing language")
    fields["choice_text"] = MappingProxyType(
        {c: MappingProxyType({lang: tidy_text(texts[c][lang], lang) for lang in LANGUAGES})
         for c in choices})


def tidy_text(text: str, lang: str) -> str:
    """Reflow a text (single line breaks fold into spaces, a blank line separates paragraphs).

    French gets its no-break spaces before : ; ! ? » and after «, as in print.
    """
    paragraphs = re.split(r"\n[ \t\r]*\n", text.strip())
    result = "\n\n".join(_SPACES.sub(" ", p).strip() for p in paragraphs if p.strip())
    if lang == "fr":
        result = _FR_BEFORE.sub(NBSP + r"\1", result).replace("« ", "«" + NBSP)
    return result


def _to_decimal(param: Parameter, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ParameterError(param.name, f"{param.name} must be a number", "not_a_number")
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(NBSP, "").replace(" ", "")
        if param.type == "percent":
            text = text.removesuffix("%")
        if "," in text and "." in text:
            raise ParameterError(param.name, f"{param.name}: write {value!r} without a thousands "
                                 "separator", "not_a_number")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ParameterError(param.name, f"{param.name} must be a number, got {value!r}",
                                 "not_a_number") from None
    else:
        raise ParameterError(param.name, f"{param.name} must be a number", "not_a_number")
    if not number.is_finite():
        raise ParameterError(param.name, f"{param.name} must be a finite number", "not_a_number")
    return number


def coerce_value(param: Parameter, value: Any) -> Any:
    """Convert one submitted value to the parameter's type and check bounds and choices."""
    name = param.name
    if param.type in NUMERIC_TYPES:
        number = _to_decimal(param, value)
        if param.type == "int":
            if number != number.to_integral_value():
                raise ParameterError(name, f"{name} must be a whole number, got {value!r}",
                                     "not_an_integer")
            number = int(number)
        low, high = param.minimum, param.maximum
        if param.type == "percent":
            low = Decimal(0) if low is None else low
            high = Decimal(100) if high is None else high
        unit = "%" if param.type == "percent" else (f" ({param.unit})" if param.unit else "")
        if low is not None and number < low:
            raise ParameterError(name, f"{name} must be at least {low}{unit}; got {number}",
                                 "below_min", low)
        if high is not None and number > high:
            raise ParameterError(name, f"{name} must be at most {high}{unit}; got {number}",
                                 "above_max", high)
        return number
    if param.type == "choice":
        if value not in param.choices:
            raise ParameterError(name, f"{name} must be one of {', '.join(param.choices)}, "
                                 f"got {value!r}", "not_in_choices", param.choices)
        return value
    if param.type == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ParameterError(name, f"{name} must be a date written YYYY-MM-DD, got {value!r}",
                                 "not_a_date") from None
    if not isinstance(value, str):
        raise ParameterError(name, f"{name} must be text", "not_text")
    text = _SPACES.sub(" ", value).strip()
    if len(text) > param.max_length:
        raise ParameterError(name, f"{name} is too long ({len(text)} characters, at most "
                             f"{param.max_length})", "too_long", param.max_length)
    return text


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_parameters(clause: Any, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Coerce and check ``values`` against ``clause.parameters``; fill defaults.

    Raises ParameterError for the first problem, in declaration order (unknown names first).
    """
    errors = collect_parameter_errors(clause, values)
    if errors:
        raise next(iter(errors.values()))
    return _coerce_all(clause.parameters, values or {})[0]


def collect_parameter_errors(clause: Any, values: Mapping[str, Any] | None) -> dict[str, ParameterError]:
    """Every problem at once, keyed by parameter name (for forms); empty when all is well."""
    values = values or {}
    declared = {p.name for p in clause.parameters}
    errors = {key: ParameterError(key, f"unknown parameter {key!r} (expected: "
                                  f"{', '.join(sorted(declared)) or 'none'})", "unknown")
              for key in values if key not in declared}
    errors.update(_coerce_all(clause.parameters, values)[1])
    return errors


def _coerce_all(params: Iterable[Parameter], values: Mapping[str, Any]):
    result: dict[str, Any] = {}
    errors: dict[str, ParameterError] = {}
    for param in params:
        raw = values.get(param.name)
        try:
            if _is_blank(raw):
                if param.default is None and param.required:
                    raise ParameterError(param.name, f"{param.name} is required", "required")
                result[param.name] = param.default
            else:
                result[param.name] = coerce_value(param, raw)
        except ParameterError as exc:
            errors[param.name] = exc
    return result, errors


def format_number(value: Any, lang: str, decimals: int | None = None) -> str:
    """Format a number for ``lang``: FR 1 234,5 / NL 1.234,5 / EN 1,234.5.

    Without ``decimals`` the value keeps its significant decimals (2.50 -> 2,5).
    """
    if lang not in _SEPARATORS:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        digits = f"{abs(number):f}"
    elif number == number.to_integral_value():
        digits = str(abs(int(number)))
    else:
        digits = f"{abs(number).normalize():f}"
    whole, _, frac = digits.partition(".")
    group, point = _SEPARATORS[lang]
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    text = group.join([whole, *groups]) + (point + frac if frac else "")
    return ("-" if number < 0 else "") + text


def format_percent(value: Any, lang: str) -> str:
    """A percentage in percent units: FR ``5 %`` (no-break space), NL and EN ``5%``."""
    return format_number(value, lang) + (NBSP + "%" if lang == "fr" else "%")


def format_date(value: dt.date, lang: str) -> str:
    month = _MONTHS[lang].split()[value.month - 1]
    day = "1er" if lang == "fr" and value.day == 1 else str(value.day)
    return f"{day} {month} {value.year}"


def format_value(param: Parameter, value: Any, lang: str) -> str:
    """Text to put in place of ``{name}``; plain text, the caller escapes for HTML."""
    if param.type == "percent":
        return format_percent(value, lang)
    if param.type in ("int", "decimal"):
        return format_number(value, lang, 2 if param.unit == "EUR" and value % 1 else None)
    if param.type == "date":
        return format_date(value, lang)
    if param.type == "choice" and param.choice_text:
        return param.choice_text[value][lang]
    return str(value)
