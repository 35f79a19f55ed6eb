"""The click commands the app registers: insertion-hours and the clause group."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from procurement.clause_cli import clause_group, insertion_hours_command

NBSP = "\u00a0"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(command, *args):
        return runner.invoke(command, list(args))
    return invoke


def test_insertion_hours(run):
    result = run(insertion_hours_command, "--amount", "1000000", "--labour-share", "0.5",
                 "--rate", "5%", "--hourly-cost", "30")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("833 insertion hours")
    assert "1000000 × 0.5 × 0.05 ÷ 30" in result.output


def test_insertion_hours_json(run):
    result = run(insertion_hours_command, "--amount", "1000000", "--labour-share", "50%",
                 "--rate", "0.05", "--hourly-cost", "30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hours"] == 833 and data["labour_share"] == "0.5"


@pytest.mark.parametrize("args, option", [
    (["--amount", "0"], "--amount"),
    (["--amount", "abc"], "--amount"),
    (["--labour-share", "50"], "--labour-share"),
    (["--rate", "120%"], "--rate"),
    (["--hourly-cost", "-3"], "--hourly-cost"),
])
def test_insertion_hours_bad_input_exits_2_naming_the_option(run, args, option):
    base = {"--amount": "1000000", "--labour-share": "0.5", "--rate": "0.05", "--hourly-cost": "30"}
    base.update(dict(zip(args[::2], args[1::2])))
    result = run(insertion_hours_command, *[x for pair in base.items() for x in pair])
    assert result.exit_code == 2
    assert f"'{option}'" in result.output


def test_missing_option_exits_2(run):
    result = run(insertion_hours_command, "--amount", "1000000")
    assert result.exit_code == 2 and "--labour-share" in result.output


def test_penalty(run):
    result = run(clause_group, "penalty", "--amount", "1000000", "--committed", "1000",
                 "--delivered", "899")
    assert result.exit_code == 0, result.output
    assert "Penalty: 1515.00 EUR (partial)" in result.output
    assert "101 ÷ 1,000" in result.output


def test_penalty_json_and_options(run):
    result = run(clause_group, "penalty", "--amount", "1000000", "--committed", "1000",
                 "--delivered", "0", "--total-rate", "3", "--json")
    data = json.loads(result.output)
    assert (data["case"], data["amount"]) == ("total_non_execution", "30000.00")
    result = run(clause_group, "penalty", "--amount", "1000000", "--committed", "1000",
                 "--delivered", "950", "--tolerance", "0%", "--lang", "fr")
    assert "Penalty: 750.00 EUR (partial)" in result.output
    assert "inexécution partielle" in result.output


@pytest.mark.parametrize("args, option", [
    (["--committed", "0"], "--committed"),
    (["--delivered", "-1"], "--delivered"),
    (["--tolerance", "1"], "--tolerance"),
    (["--partial-rate", "x"], "--partial-rate"),
])
def test_penalty_bad_input(run, args, option):
    base = {"--amount": "1000", "--committed": "10", "--delivered": "5"}
    base.update(dict(zip(args[::2], args[1::2])))
    result = run(clause_group, "penalty", *[x for pair in base.items() for x in pair])
    assert result.exit_code == 2
    assert f"'{option}'" in result.output


def test_list(run):
    result = run(clause_group, "list", "--lang", "nl", "--category", "reservation")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("reserved-contract-art20")
    assert "Voorbehouden opdracht" in lines[0]
    data = json.loads(run(clause_group, "list", "--json").output)
    assert len(data) >= 15 and {"id", "version", "title", "hash"} <= set(data[0])


def test_list_rejects_unknown_category(run):
    result = run(clause_group, "list", "--category", "charity")
    assert result.exit_code == 2 and "--category" in result.output


def test_show_renders_with_parameters(run):
    result = run(clause_group, "show", "brussels-training-clause", "--lang", "fr",
                 "--param", "training_hours=1200", "--param", "training_type=tutorat")
    assert result.exit_code == 0, result.output
    assert f"1{NBSP}200 heures" in result.output and "tutorat" in result.output
    assert "UNVERIFIED" in result.output              # art. 87 is flagged


def test_show_old_version(run):
    result = run(clause_group, "show", "reserved-contract-art20", "--version", "1", "--lang", "en")
    assert result.exit_code == 0
    assert "v1" in result.output and "accreditation" not in result.output


@pytest.mark.parametrize("args, hint", [
    (["no-such-clause"], "'ID'"),
    (["reserved-contract-art20", "--version", "9"], "'--version'"),
    (["brussels-training-clause", "--param", "training_hours"], "'--param'"),
    (["brussels-training-clause", "--param", "training_hours=0"], "'--param training_hours'"),
    (["brussels-training-clause", "--param", "colour=blue"], "'--param colour'"),
])
def test_show_bad_input(run, args, hint):
    result = run(clause_group, "show", *args)
    assert result.exit_code == 2
    assert hint in result.output


def test_broken_library_is_reported(run, tmp_path):
    (tmp_path / "x.toml").write_text('id = "x"\n', encoding="utf-8")
    result = run(clause_group, "--clauses-dir", str(tmp_path), "list")
    assert result.exit_code == 1 and "x.toml" in result.output
