"""`loopin users ...`: make the first admin, change roles, (de)activate and delete accounts. Passwords
are prompted for (twice, hidden), never taken as arguments; every change is audited (actor: none)."""

import click
from flask import current_app
from pydantic import ValidationError
from sqlalchemy import func, select

from ..admin.services import change_user
from ..auth.addresses import canonical_email
from ..auth.admins import LastActiveAdmin
from ..auth.models import ADMIN, ROLES, User
from ..auth.schemas import Registration
from ..auth.users import EmailAlreadyRegistered, create_user
from ..core.database import transaction
from ..core.extensions import db
from .blueprint import bp
from .deletion import delete_account


def user_by_email(email):
    user = db.session.scalar(select(User).where(func.lower(User.email) == canonical_email(email)))
    if user is None:
        raise click.ClickException(f"No account with the email {email}")
    return user


def change_account(email, done, **change):
    """Change the account's role or standing as nobody (audited with no actor), then say what was done."""
    with transaction():
        change_user(None, user_by_email(email), **change)
    click.echo(f"{email} {done}.")


@bp.cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email, role):
    """Give the account EMAIL the role ROLE (student, faculty or admin)."""
    change_account(email, f"is now {role}", role=role)


@bp.cli.command("create-admin")
@click.argument("email")
def create_admin_command(email):
    """Create an admin account for EMAIL; the password is asked for twice."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        registration = Registration(email=email, password=password)
    except ValidationError as error:
        raise click.ClickException("; ".join(e["msg"] for e in error.errors())) from None
    try:
        with transaction():
            user = create_user(registration.email, password, role=ADMIN)
    except EmailAlreadyRegistered:
        raise click.ClickException(f"{email} already has an account: use `users set-role {email} admin`") from None
    click.echo(f"Created the admin {user.email} (username {user.username}).")


@bp.cli.command("deactivate")
@click.argument("email")
def deactivate_command(email):
    """Deactivate EMAIL: every session ends at once, and it can no longer sign in."""
    change_account(email, "is deactivated; its sessions have ended", is_active=False)


@bp.cli.command("activate")
@click.argument("email")
def activate_command(email):
    """Let EMAIL sign in again."""
    change_account(email, "is active", is_active=True)


@bp.cli.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(email, yes):
    """Delete the account EMAIL as if its owner had (ACCOUNT_DELETION_CONTENT decides its content)."""
    user = user_by_email(email)
    content = current_app.config["ACCOUNT_DELETION_CONTENT"]
    if not yes:
        click.confirm(f"Delete {email} and {'anonymize' if content == 'anonymize' else 'delete'} its posts and "
                      "comments?", abort=True)
    try:
        with transaction():
            delete_account(user, content)
    except LastActiveAdmin:
        raise click.ClickException(f"{email} is the last active admin: make another admin first") from None
    click.echo(f"Deleted {email}.")
