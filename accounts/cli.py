"""``flask --app app users create``: create accounts from the command line (first admin)."""
import click
from flask.cli import AppGroup

from accounts import services
from accounts.models import Role
from common.db import get_session

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="")
@click.option("--authority-id", type=int, default=None, help="Contracting authority of a buyer.")
@click.password_option()
def create_command(email, role, name, authority_id, password):
    """Create a user with the given role."""
    session = get_session()
    try:
        services.check_password_strength(password)
        user = services.create_user(session, email, password, role, name=name, authority_id=authority_id)
    except services.AccountError as exc:
        raise click.UsageError(f"{exc.field}: {exc.message}") from exc
    session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")
