"""``flask --app app audit verify``."""
import click
from flask.cli import AppGroup

from audit.log import verify_chain
from common.db import get_session

audit_cli = AppGroup("audit", help="Audit log.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check the SHA-256 chain of the audit log; name the first broken entry."""
    result = verify_chain(get_session())
    if result.ok:
        click.echo(f"Audit log intact: {result.checked} entries verified.")
        return
    click.echo(f"BROKEN at entry {result.first_broken_id}: {result.reason}.", err=True)
    raise SystemExit(1)
