"""Configuration: config.toml defaults, PROCURE_* overrides, production safety."""
import tomllib

import pytest

from app import create_app
from common.config import ConfigError
from tests.conftest import ROOT


def test_config_toml_keys_are_uppercase_and_commented():
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    assert all(key.isupper() for key in data), [k for k in data if not k.isupper()]
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            key = line.split("=")[0].strip()
            assert any(l.startswith("#") for l in lines[max(0, i - 4):i]), f"{key} has no comment above it"


def test_defaults_come_from_config_toml(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/a.sqlite"})
    assert app.config["THRESHOLD_EU_WORKS"] == 5404000
    assert app.config["RESERVED_MIN_DISADVANTAGED_PCT"] == 30
    assert app.config["LANGUAGES"] == ["fr", "nl", "en"]


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("PROCURE_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    monkeypatch.setenv("PROCURE_THRESHOLD_BE_LOW_VALUE", "25000")
    monkeypatch.setenv("PROCURE_SECRET_KEY", "from-env")
    app = create_app()
    assert app.config["DATABASE_URL"].endswith("env.sqlite")
    assert app.config["THRESHOLD_BE_LOW_VALUE"] == 25000
    assert app.config["SECRET_KEY"] == "from-env"


def test_default_database_is_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("PROCURE_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert app.config["DATABASE_URL"].endswith("instance/procure.sqlite")


def test_production_refuses_default_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("PROCURE_ENV", "production")
    monkeypatch.delenv("PROCURE_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite"})


def test_production_with_secret_forces_secure_cookie(monkeypatch, tmp_path):
    monkeypatch.setenv("PROCURE_ENV", "production")
    monkeypatch.setenv("PROCURE_SECRET_KEY", "a-long-random-value-for-production-use")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
