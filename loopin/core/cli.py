"""`flask check`, the pre-flight. Features add their own commands through their blueprints; Flask-Migrate adds `db`."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from .preflight import as_json, run_checks

MARKS = {"ok": "[ ok ]", "warn": "[warn]", "fail": "[FAIL]"}  # ASCII: Windows consoles print it too


@click.command("check")
@click.option("--json", "as_json_output", is_flag=True, help="Print one JSON object instead of lines.")
@with_appcontext
def check_command(as_json_output):
    """Pre-flight: packages, .env, SECRET_KEY, database, schema, pool. Exit 1 on any failure."""
    checks = run_checks(current_app)
    report = as_json(checks)
    if as_json_output:
        click.echo(json.dumps(report, indent=2))
    else:
        for check in checks:
            click.echo(f"{MARKS[check.status]} {check.name}: {check.detail}")
            if check.fix:
                click.echo(f"       fix: {check.fix}")
        click.echo("All checks passed." if report["ok"] else "Some checks failed; fix them and run again.")
    raise SystemExit(0 if report["ok"] else 1)


def register_cli(app):
    app.cli.add_command(check_command)
