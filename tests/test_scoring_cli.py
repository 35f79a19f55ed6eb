"""Tests of the ``score`` click command (procurement.scoring_cli)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from procurement.scoring_cli import score_command

from .test_scoring import SPEC_EXAMPLE, STAB


@pytest.fixture
def runner():
    return CliRunner()


def write(tmp_path: Path, content, name="bids.json") -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=2),
                    encoding="utf-8")
    return str(path)


def test_json_output(runner, tmp_path):
    result = runner.invoke(score_command, [write(tmp_path, SPEC_EXAMPLE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["format"] == "procure-scoring-result/1"
    assert data["winner"] == "B2" and data["bids"][0]["total"] == 79.89


def test_readable_report(runner, tmp_path):
    result = runner.invoke(score_command, [write(tmp_path, SPEC_EXAMPLE)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Tender 2026-017 / lot 1" in out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("Rank"))
    assert all(word in header for word in ("Bid", "Bidder", "price", "hours", "plan", "Total"))
    first = lines[lines.index(header) + 2]
    assert first.split()[:2] == ["1", "B2"] and "79.89" in first
    assert "abnormally low" in next(line for line in lines if " B4 " in line)
    assert "On price alone B4 would win" in out
    assert "42,500.00 EUR more" in out
    assert "hours: +800, 53.13 EUR per extra unit" in out
    assert "B2 stays first as long as the price weight" in out
    assert "[abnormally_low_price] The price of bid B4" in out


def test_report_shows_rank_reversal_and_stability(runner, tmp_path):
    result = runner.invoke(score_command, [write(tmp_path, STAB)])
    assert result.exit_code == 0
    assert "C stays first as long as the price weight stays at or below 58.14 %" in result.output


def test_invalid_json_names_line_and_column(runner, tmp_path):
    path = write(tmp_path, '{\n  "format": "procure-scoring/1",\n  "bids": [,]\n}')
    result = runner.invoke(score_command, [path])
    assert result.exit_code == 2
    assert "Error: invalid JSON" in result.output
    assert "line 3, column 12" in result.output


def test_nan_and_duplicate_keys_are_invalid_json(runner, tmp_path):
    result = runner.invoke(score_command, [write(tmp_path, '{"a": NaN}')])
    assert result.exit_code == 2 and "NaN is not a valid JSON number" in result.output
    result = runner.invoke(score_command, [write(tmp_path, '{"a": 1, "a": 2}')])
    assert result.exit_code == 2 and "duplicate key 'a'" in result.output


def test_scoring_error_exits_with_2(runner, tmp_path):
    bad = json.loads(json.dumps(SPEC_EXAMPLE))
    bad["bids"][0]["price"] = 0
    result = runner.invoke(score_command, [write(tmp_path, bad), "--json"])
    assert result.exit_code == 2
    assert "Error: bid 'B1': price must be greater than 0" in result.output


def test_missing_file_exits_with_2(runner, tmp_path):
    result = runner.invoke(score_command, [str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "Error: cannot read" in result.output


def test_tie_and_prozorro_reports(runner, tmp_path):
    tie = {"format": "procure-scoring/1",
           "criteria": [{"id": "price", "type": "price", "weight": 100}],
           "bids": [{"id": "A", "price": 5}, {"id": "B", "price": 5}]}
    result = runner.invoke(score_command, [write(tmp_path, tie)])
    assert result.exit_code == 0 and "winner: none (tie for first)" in result.output
    assert "[tie_for_first]" in result.output
    pz = {"format": "procure-scoring/1",
          "criteria": [{"id": "price", "type": "price", "formula": "prozorro"},
                       {"id": "f", "type": "feature", "max": 0.3}],
          "bids": [{"id": "A", "price": 130, "values": {"f": 0.3}},
                   {"id": "B", "price": 100, "values": {"f": 0}}]}
    result = runner.invoke(score_command, [write(tmp_path, pz, "pz.json")])
    assert result.exit_code == 0, result.output
    assert "Compared" in result.output and "91.00" in result.output  # 130 / (1 + 0.3/0.7)


def test_module_does_not_import_flask():
    code = ("import sys, procurement.scoring_cli, procurement.scoring; "
            "print(any(m == 'flask' or m.startswith('flask.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "False"
