"""Social-clause library (data files in this directory; see docs/clauses.md)."""
from clauses.library import (
    CATEGORIES,
    LANGUAGES,
    NATURES,
    REGIONS,
    Clause,
    ClauseFileError,
    Library,
    Parameter,
    ParameterError,
    UnknownClauseError,
    collect_parameter_errors,
    default_library,
    format_number,
    format_percent,
    load_library,
    render,
    validate_parameters,
)

__all__ = [
    "CATEGORIES", "LANGUAGES", "NATURES", "REGIONS", "Clause", "ClauseFileError", "Library",
    "Parameter", "ParameterError", "UnknownClauseError", "collect_parameter_errors",
    "default_library", "format_number", "format_percent", "load_library", "render",
    "validate_parameters",
]
