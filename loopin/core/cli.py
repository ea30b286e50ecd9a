"""`flask check`, the pre-flight, and the refusal of every other command while settings are bad.
Features add their own commands through their blueprints; Flask-Migrate adds `db`."""

import json
import re
import sys
from datetime import timedelta

import click
from flask.cli import pass_script_info

from .preflight import as_json, run_checks
from .settings import SettingsError

MARKS = {"ok": "[ ok ]", "warn": "[warn]", "fail": "[FAIL]"}  # ASCII: Windows consoles print it too


class Days(click.ParamType):
    """A number of days: `90d` or `90`, at least 1."""

    name = "days"

    def convert(self, value, param, ctx):
        if isinstance(value, timedelta):
            return value
        found = re.fullmatch(r"\s*(\d{1,5})\s*d?\s*", str(value))
        if not found or int(found.group(1)) < 1:
            self.fail(f"{value!r} is not a number of days such as 90d", param, ctx)
        return timedelta(days=int(found.group(1)))


def echo(text):
    """Print what the console can show: a character its encoding lacks (a cp1252 Windows pipe, a
    folder named in another script) becomes an escape instead of a crash."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    click.echo(text.encode(encoding, "backslashreplace").decode(encoding))


@click.command("check")
@click.option("--json", "as_json_output", is_flag=True, help="Print one JSON object instead of lines.")
@pass_script_info
def check_command(script_info, as_json_output):
    """Pre-flight: packages, settings, .env, SECRET_KEY, Redis, database, schema, pool. Exit 1 on any failure."""
    app = script_info.load_app()
    problems = app.config.get("SETTINGS_PROBLEMS", [])
    if problems:
        checks = run_checks(app, problems)  # touches nothing a bad setting names
    else:
        with app.app_context():
            checks = run_checks(app)
    report = as_json(checks)
    if as_json_output:
        echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for check in checks:
            echo(f"{MARKS[check.status]} {check.name}: {check.detail}")
            if check.fix:
                echo(f"       fix: {check.fix}")
        echo("All checks passed." if report["ok"] else "Some checks failed; fix them and run again.")
    raise SystemExit(0 if report["ok"] else 1)


def refusal(problems):
    def refuse(_ctx):
        raise SettingsError(problems)
    return refuse


def register_cli(app, problems):
    app.cli.add_command(check_command)
    if problems:
        # Only while the command line loads the app to list or find commands (every other way of
        # building the app stops at the bad settings). `--help` lists the commands and `check`
        # reports the settings; any other of the app's commands (users, sessions) stops before
        # it does anything: exit status 2, every bad setting listed.
        app.config["SETTINGS_PROBLEMS"] = problems
        for name, command in app.cli.commands.items():
            if name != check_command.name:
                command.invoke = refusal(problems)
