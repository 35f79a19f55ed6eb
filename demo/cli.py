"""``flask --app app demo load``."""
import click
from flask import current_app
from flask.cli import AppGroup

from common.config import is_production
from common.db import get_session

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command():
    """Load the demo data (idempotent: running it twice adds nothing)."""
    if is_production(current_app.config):
        raise click.UsageError("Demo data is refused in production mode.")
    from demo import DEMO_PASSWORD, load_all
    from demo.accounts import DEMO_ACCOUNTS

    for line in load_all(get_session()):
        click.echo(line)
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(a[0] for a in DEMO_ACCOUNTS))
