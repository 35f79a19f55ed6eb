"""Loading of configuration: defaults, then config.toml, then PROCURE_* environment variables.

The order follows Flask's recommended layering (``from_file`` then ``from_prefixed_env``) so that
secrets and deployment settings never have to be written in the repository.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

DEFAULT_SECRET_KEY = "dev-insecure-change-me"


class ConfigError(RuntimeError):
    """The configuration is unsafe or inconsistent; the message says which key to change."""


def load_config(app, test_config: dict | None = None) -> None:
    """Fill ``app.config`` in order: config.toml, PROCURE_* variables, then ``test_config``."""
    root = Path(app.root_path)
    app.config.from_file(str(root / "config.toml"), load=tomllib.load, text=False)
    app.config.from_prefixed_env("PROCURE")
    if test_config:
        app.config.update(test_config)
    if not app.config.get("DATABASE_URL"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'procure.sqlite'}"
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(Path(app.instance_path) / "uploads")
    check_production(app.config)


def is_production(config) -> bool:
    return str(config.get("ENV", "development")).lower() == "production"


def check_production(config) -> None:
    """Refuse to run a production instance with settings that are only safe on a laptop."""
    if not is_production(config):
        return
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise ConfigError(
            "Refusing to start in production with the default SECRET_KEY: "
            "set PROCURE_SECRET_KEY to a long random value."
        )
    config["SESSION_COOKIE_SECURE"] = True
