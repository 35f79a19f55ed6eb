"""The clause library: every bundled file is valid, and broken files are reported precisely."""
from __future__ import annotations

import csv
import datetime as dt
import re
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clauses.library import (
    CATEGORIES,
    DEFAULT_DIRECTORY,
    LANGUAGES,
    PLACEHOLDER_RE,
    ClauseFileError,
    ParameterError,
    UnknownClauseError,
    collect_parameter_errors,
    format_number,
    format_percent,
    load_library,
    render,
    validate_parameters,
)

NBSP = "\u00a0"
SHARED = Path("/work/shared/data")
# The clauses DOMAIN.md asks for, by the id they have in the library.
EXPECTED_IDS = {
    "reserved-contract-art20", "reserved-lot-art20", "reserved-services-art77",
    "brussels-insertion-actiris", "brussels-training-clause", "wallonia-flexible-social-clause",
    "flanders-special-performance-condition", "subcontracting-social-economy",
    "award-insertion-hours", "award-insertion-plan-quality", "social-clause-penalties",
    "reporting-monthly-hours", "reuse-second-hand-repair", "accessibility-design-for-all",
    "decent-work-ilo", "labels-or-equivalent", "selection-insertion-capacity",
}


@pytest.fixture(scope="module")
def library():
    return load_library()


def all_versions(library):
    return [library.get(c.id, v) for c in library.all() for v in library.versions(c.id)]


# --- the bundled library ---------------------------------------------------------------

def test_every_clause_file_loads_and_matches_its_file(library):
    stems = {p.stem for p in DEFAULT_DIRECTORY.glob("*.toml")}
    assert {c.id for c in library.all()} == stems
    assert len(library) >= 15
    assert EXPECTED_IDS <= stems


def test_every_category_is_represented(library):
    groups = library.by_category()
    assert list(groups) == list(CATEGORIES)
    assert all(groups[cat] for cat in CATEGORIES), {k: len(v) for k, v in groups.items()}


def test_every_version_has_three_languages(library):
    for clause in all_versions(library):
        for field in ("title", "explanation", "text"):
            texts = getattr(clause, field)
            assert set(texts) == set(LANGUAGES), (clause.id, field)
            assert all(len(texts[lang]) > 10 for lang in LANGUAGES), (clause.id, field)
            assert len(set(texts.values())) == 3, f"{clause.id} {field}: languages not translated"
        for param in clause.parameters:
            assert all(param.label[lang].strip() for lang in LANGUAGES), (clause.id, param.name)


def test_placeholders_are_declared_and_textual_parameters_used(library):
    for clause in all_versions(library):
        declared = {p.name for p in clause.parameters}
        textual = {p.name for p in clause.parameters if p.textual}
        for lang in LANGUAGES:
            used = set(PLACEHOLDER_RE.findall(clause.text[lang]))
            assert used <= declared, (clause.id, lang, used - declared)
            assert textual <= used, (clause.id, lang, textual - used)


def test_rendering_with_defaults_works_in_every_language(library):
    for clause in all_versions(library):
        for lang in LANGUAGES:
            text = render(clause, lang)
            assert "{" not in text and "}" not in text, (clause.id, lang)
            assert len(text) > 200, (clause.id, lang)


def test_every_choice_renders_its_own_wording(library):
    for clause in library.all():
        for param in (p for p in clause.parameters if p.type == "choice"):
            for lang in LANGUAGES:
                rendered = {render(clause, lang, {param.name: c}) for c in param.choices}
                assert len(rendered) == len(param.choices), (clause.id, param.name, lang)


def test_legal_basis_and_unverified_references(library):
    for clause in all_versions(library):
        assert clause.legal_basis
        assert set(clause.unverified) <= set(clause.legal_basis)
    art77 = library.get("reserved-services-art77")
    assert "Directive 2014/24/EU art. 77" in art77.legal_basis
    assert any("check" in ref for ref in art77.unverified)
    assert "Loi du 17 juin 2016 / Wet van 17 juni 2016 art. 15" in \
        library.get("reserved-contract-art20").legal_basis


def test_rendered_text_uses_the_right_terms(library):
    clause = library.get("reserved-lot-art20")
    assert "perceel 3" in render(clause, "nl", {"lot_number": 3})
    assert "lot 3" in render(clause, "fr", {"lot_number": "3"})
    penalties = library.get("social-clause-penalties")
    assert f"2,5{NBSP}%" in render(penalties, "fr")
    assert "2,5%" in render(penalties, "nl") and "bijzondere straffen" in render(penalties, "nl")
    assert "2.5%" in render(penalties, "en")
    assert "1.200 uur" in render(library.get("brussels-training-clause"), "nl",
                                 {"training_hours": 1200})
    assert f"1{NBSP}200 heures" in render(library.get("brussels-training-clause"), "fr",
                                        {"training_hours": "1200"})


def test_ocds_and_eforms_hints_use_real_codes(library):
    goals_file = SHARED / "ocds/extensions/ocds_sustainability_extension/codelists/sustainabilityGoal.csv"
    if not goals_file.exists():
        pytest.skip("shared OCDS code lists not available")
    with goals_file.open(encoding="utf-8") as handle:
        goals = {row["Code"] for row in csv.DictReader(handle)}
    for clause in all_versions(library):
        assert set(clause.ocds.get("goals", [])) <= goals, clause.id
    assert library.get("reserved-contract-art20").eforms["BT-71"] == "res-ws"
    assert library.get("reserved-services-art77").ocds["reserved_participation"] == \
        "publicServiceMissionOrganization"


# --- library API and versioning --------------------------------------------------------

def test_versioned_clause_returns_the_old_text(library):
    assert library.versions("reserved-contract-art20") == [1, 2]
    current, old = library.get("reserved-contract-art20"), library.get("reserved-contract-art20", 1)
    assert current.version == 2 and old.version == 1
    assert "accreditation" not in {p.name for p in old.parameters}
    assert "Conacee" not in " ".join(old.legal_basis)
    assert "agrément" not in render(old, "fr") and "agrément" in render(current, "fr")
    assert old.content_hash != current.content_hash
    assert library.get("reserved-contract-art20", 2) is current


def test_content_hash_is_stable(library):
    again = load_library()
    for clause in library.all():
        assert again.get(clause.id).content_hash == clause.content_hash
        assert re.fullmatch(r"[0-9a-f]{64}", clause.content_hash)


def test_get_unknown_clause_or_version(library):
    with pytest.raises(UnknownClauseError, match="no-such-clause"):
        library.get("no-such-clause")
    with pytest.raises(KeyError, match="no version 9"):
        library.get("reserved-contract-art20", 9)


def test_region_and_nature_filters(library):
    brussels = {c.id for c in library.for_region("brussels")}
    assert "brussels-insertion-actiris" in brussels
    assert "wallonia-flexible-social-clause" not in brussels
    assert "flanders-special-performance-condition" in {c.id for c in library.for_region("flanders")}
    assert all("supplies" in c.applies_to for c in library.find(nature="supplies"))
    assert [c.id for c in library.find(category="penalty")] == ["social-clause-penalties"]
    with pytest.raises(ValueError, match="region"):
        library.for_region("paris")


# --- parameters ------------------------------------------------------------------------

def test_out_of_bounds_value_names_the_parameter_and_the_bound(library):
    clause = library.get("reserved-contract-art20")
    with pytest.raises(ParameterError) as info:
        validate_parameters(clause, {"disadvantaged_share": 20})
    assert info.value.field == "disadvantaged_share"
    assert info.value.code == "below_min" and info.value.bound == 30
    assert "disadvantaged_share" in str(info.value) and "30" in str(info.value)
    with pytest.raises(ParameterError) as info:
        validate_parameters(library.get("reserved-services-art77"), {"max_duration_years": 4})
    assert info.value.field == "max_duration_years" and "at most 3" in str(info.value)


def test_parameter_coercion_and_defaults(library):
    values = validate_parameters(library.get("social-clause-penalties"),
                                 {"total_rate": "3,5", "partial_rate": "2%"})
    assert values == {"total_rate": Decimal("3.5"), "partial_rate": Decimal("2"),
                      "tolerance": Decimal("10")}
    training = library.get("brussels-training-clause")
    assert validate_parameters(training, {"training_hours": " 1200 ", "training_type": ""}) == \
        {"training_hours": 1200, "training_type": "jeune"}


@pytest.mark.parametrize("values, field, code", [
    ({"training_hours": "12.5"}, "training_hours", "not_an_integer"),
    ({"training_hours": "many"}, "training_hours", "not_a_number"),
    ({"training_hours": True}, "training_hours", "not_a_number"),
    ({"training_type": "apprentice"}, "training_type", "not_in_choices"),
    ({"colour": "blue"}, "colour", "unknown"),
])
def test_invalid_values_are_rejected(library, values, field, code):
    with pytest.raises(ParameterError) as info:
        validate_parameters(library.get("brussels-training-clause"), values)
    assert (info.value.field, info.value.code) == (field, code)
    assert field in str(info.value)


def test_collect_errors_reports_every_field(library):
    errors = collect_parameter_errors(library.get("brussels-training-clause"),
                                      {"training_hours": 0, "training_type": "x", "extra": 1})
    assert set(errors) == {"training_hours", "training_type", "extra"}


def test_render_rejects_unknown_language(library):
    with pytest.raises(ValueError, match="lang"):
        render(library.get("labels-or-equivalent"), "de")


def test_number_formats_per_language():
    assert format_number(Decimal("1234.5"), "fr") == f"1{NBSP}234,5"
    assert format_number(Decimal("1234.5"), "nl") == "1.234,5"
    assert format_number(Decimal("1234.5"), "en") == "1,234.5"
    assert format_number(Decimal("1000000"), "nl") == "1.000.000"
    assert format_number(Decimal("-2.50"), "en") == "-2.5"
    assert format_number(Decimal("999"), "fr") == "999"
    assert format_number(Decimal("1515"), "fr", 2) == f"1{NBSP}515,00"
    assert format_percent(5, "fr") == f"5{NBSP}%"
    assert format_percent(Decimal("2.5"), "nl") == "2,5%"
    assert format_percent(5, "en") == "5%"


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_dutch_number_format_reads_back(value):
    text = format_number(value, "nl")
    assert Decimal(text.replace(".", "").replace(",", ".")) == value


# --- broken files ----------------------------------------------------------------------

VALID = textwrap.dedent('''\
    id = "demo"
    version = 1
    category = "training"
    legal_basis = ["Directive 2014/24/EU art. 70"]
    regions = ["brussels"]
    applies_to = ["works"]

    [title]
    fr = "Clause de démonstration"
    nl = "Demonstratieclausule"
    en = "Demonstration clause"

    [explanation]
    fr = "Pour les tests."
    nl = "Voor de tests."
    en = "For the tests."

    [text]
    fr = "L'adjudicataire forme pendant {hours} heures à partir du {start}."
    nl = "De opdrachtnemer leidt {hours} uur op vanaf {start}."
    en = "The contractor shall train for {hours} hours from {start}."

    [[parameters]]
    name = "hours"
    type = "int"
    label = { fr = "Heures", nl = "Uren", en = "Hours" }
    default = 100
    min = 1
    max = 1000
    unit = "hours"

    [[parameters]]
    name = "start"
    type = "date"
    label = { fr = "Début", nl = "Begin", en = "Start" }
    default = 2025-03-01
    ''')


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def broken(tmp_path: Path, text: str, name: str = "demo.toml") -> ClauseFileError:
    write(tmp_path, name, text)
    with pytest.raises(ClauseFileError) as info:
        load_library(tmp_path)
    assert info.value.path.endswith(name)
    assert name in str(info.value)
    return info.value


def test_valid_demo_clause_loads_and_renders_dates(tmp_path):
    write(tmp_path, "demo.toml", VALID)
    clause = load_library(tmp_path).get("demo")
    assert render(clause, "fr") == "L'adjudicataire forme pendant 100 heures à partir du 1er mars 2025."
    assert render(clause, "en", {"start": "2026-12-31"}).endswith("from 31 December 2026.")
    assert render(clause, "nl", {"start": dt.date(2025, 5, 2)}).endswith("vanaf 2 mei 2025.")
    with pytest.raises(ParameterError) as info:
        render(clause, "en", {"start": "31/12/2026"})
    assert info.value.field == "start"


def test_missing_language(tmp_path):
    error = broken(tmp_path, VALID.replace('nl = "Demonstratieclausule"\n', ""))
    assert error.field == "title.nl" and "missing language" in str(error)


def test_undeclared_placeholder(tmp_path):
    error = broken(tmp_path, VALID.replace("{hours} hours", "{hours} hours at {site}"))
    assert error.field == "text.en" and "{site}" in str(error)


def test_declared_parameter_not_used_in_a_language(tmp_path):
    error = broken(tmp_path, VALID.replace(" vanaf {start}", ""))
    assert error.field == "text.nl" and "'start'" in str(error)
    fixed = VALID.replace(" vanaf {start}", "").replace(
        'default = 2025-03-01', 'default = 2025-03-01\ntextual = false')
    write(tmp_path, "demo.toml", fixed.replace("{start}", "the start"))
    assert load_library(tmp_path).get("demo").parameter("start").textual is False


def test_default_out_of_bounds(tmp_path):
    error = broken(tmp_path, VALID.replace("default = 100", "default = 5000"))
    assert error.field == "parameters[hours].default"
    assert "at most 1000" in str(error)


def test_bad_toml_reports_the_line(tmp_path):
    error = broken(tmp_path, VALID.replace('category = "training"', 'category = "training'))
    assert error.field == "toml" and error.line == 3
    assert "line 3" in str(error)


def test_unknown_category(tmp_path):
    error = broken(tmp_path, VALID.replace('"training"', '"charity"'))
    assert error.field == "category" and "charity" in str(error)


def test_id_must_match_file_name(tmp_path):
    error = broken(tmp_path, VALID, name="other.toml")
    assert error.field == "id" and "other" in str(error)


def test_unknown_field_and_bad_region(tmp_path):
    assert broken(tmp_path, VALID.replace("version = 1", "version = 1\ncolour = 1")).field == "colour"
    assert broken(tmp_path, VALID.replace('["brussels"]', '["paris"]')).field == "regions"


def test_unverified_must_be_a_legal_basis_entry(tmp_path):
    error = broken(tmp_path, VALID.replace("version = 1", 'version = 1\nunverified = ["art. 99"]'))
    assert error.field == "unverified"


def test_stray_brace(tmp_path):
    error = broken(tmp_path, VALID.replace("{hours} heures", "{hours} heures {"))
    assert error.field == "text.fr" and "brace" in str(error)


def test_choice_without_text_for_every_language(tmp_path):
    text = VALID.replace('type = "int"', 'type = "choice"\nchoices = ["a", "b"]').replace(
        "default = 100\nmin = 1\nmax = 1000\n", 'default = "a"\n[parameters.choice_text.a]\n'
        'fr = "A"\nnl = "A"\nen = "A"\n[parameters.choice_text.b]\nfr = "B"\nen = "B"\n')
    error = broken(tmp_path, text)
    assert error.field == "parameters[hours].choice_text.b.nl"


def test_archived_versions(tmp_path):
    write(tmp_path, "demo.toml", VALID.replace("version = 1", "version = 2").replace(
        "{hours} hours", "at least {hours} hours"))
    write(tmp_path, "archive/demo.v1.toml", VALID)
    library = load_library(tmp_path)
    assert library.versions("demo") == [1, 2]
    assert "at least" not in render(library.get("demo", 1), "en")
    assert "at least" in render(library.get("demo"), "en")


def test_duplicate_version_in_archive(tmp_path):
    write(tmp_path, "demo.toml", VALID)
    error = broken(tmp_path, VALID, name="archive/demo.v1.toml")
    assert error.field == "version" and "duplicate" in str(error)


def test_archive_name_must_match_version(tmp_path):
    write(tmp_path, "demo.toml", VALID.replace("version = 1", "version = 3"))
    error = broken(tmp_path, VALID, name="archive/demo.v2.toml")
    assert error.field == "version"


def test_documentation_lists_every_clause(library):
    doc = (DEFAULT_DIRECTORY.parent / "docs" / "clauses.md").read_text(encoding="utf-8")
    for clause in library.all():
        assert f"| `{clause.id}` | {clause.version} | {clause.category} |" in doc, clause.id
