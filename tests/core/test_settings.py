"""Settings on the command line, as an operator meets them: every bad value reported at once with what
is allowed, exit status 2 and no traceback; `--help` and `check` still work; one-shot commands stay
quiet about the server lifecycle; one log format for Loopin's lines and Alembic's (text or JSON)."""

import json
import re
import subprocess
import sys

import pytest
from servers import REPO, server_environment

from loopin.core.settings import SettingsError, settings_from_env, validate

BAD = {"SECRET_KEY": "short", "LOG_LEVEL": "verbose", "RATELIMIT_ENABLED": "maybe", "RATELIMIT_PER_IP": "lots",
       "DB_POOL_SIZE": "0"}
MYSQL = "mysql://root:Hunter2Secret@db/loopin"  # not a database Loopin runs on
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) +[\w.-]+: ")


def flask(tmp_path, *args, database_url=None, python_flags=(), **settings):
    """`python -m flask --app loopin ARGS` in a directory of its own (no .env), settings as variables."""
    url = f"sqlite:///{tmp_path / 'loopin.db'}" if database_url is None else database_url
    env = server_environment(url, tmp_path / "instance", **settings)
    return subprocess.run([sys.executable, *python_flags, "-m", "flask", "--app", "loopin", *args], env=env,
                          cwd=tmp_path, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=120)


def test_every_bad_setting_is_reported_at_once_with_exit_2_and_no_traceback(tmp_path):
    done = flask(tmp_path, "db", "upgrade", database_url=MYSQL, **BAD)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "6 settings must be fixed" in done.stderr
    for name in [*BAD, "DATABASE_URL"]:
        assert len([line for line in done.stderr.splitlines() if line.strip().startswith(f"{name}=")]) == 1, name
    assert "LOG_LEVEL='verbose': allowed is one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in done.stderr
    assert "RATELIMIT_PER_IP='lots': allowed is limits like '600 per minute'" in done.stderr
    assert "RATELIMIT_ENABLED='maybe': allowed is true or false" in done.stderr
    assert "DB_POOL_SIZE='0': allowed is a whole number >= 1" in done.stderr
    # Neither the signing key nor a password in a URL is ever printed.
    assert "SECRET_KEY=<hidden>" in done.stderr and "short" not in done.stderr.replace("SECRET_KEY=<hidden>", "")
    assert "Hunter2Secret" not in done.stderr
    assert not (tmp_path / "loopin.db").exists()  # it stopped before doing anything


@pytest.mark.parametrize("args", [["run", "--port", "1"], ["users", "set-role", "a@b.edu", "admin"],
                                  ["purge-sessions"], ["routes"]])
def test_no_command_runs_with_a_bad_setting(tmp_path, args):
    done = flask(tmp_path, *args, RATELIMIT_PER_IP="lots")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "RATELIMIT_PER_IP='lots'" in done.stderr and "Traceback" not in done.stderr


def test_help_lists_every_command_and_check_reports_bad_settings(tmp_path):
    helped = flask(tmp_path, "--help", **BAD)
    assert helped.returncode == 0 and "Traceback" not in helped.stderr
    for command in ("check", "db", "sessions", "users", "run", "shell"):
        assert re.search(rf"^  {command} ", helped.stdout, re.M), command
    checked = flask(tmp_path, "check", **BAD)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert "[FAIL] setting LOG_LEVEL: LOG_LEVEL='verbose': allowed is one of" in checked.stdout
    assert "[FAIL] setting RATELIMIT_PER_IP:" in checked.stdout
    assert "[warn] database: not checked until the settings are fixed" in checked.stdout


def test_wsgi_entry_point_exits_2_with_the_list(tmp_path):
    env = server_environment("", tmp_path / "instance", LOG_LEVEL="chatty")
    done = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert done.returncode == 2 and "LOG_LEVEL='chatty'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name, raw", [("RATELIMIT_ENABLED", ""), ("DB_ECHO", " "), ("PUBLIC_READ", "treu")])
def test_an_empty_or_unknown_boolean_is_an_error_not_false(name, raw):
    with pytest.raises(SettingsError, match=f"{name}=.*allowed is true or false"):
        settings_from_env({name: raw})


@pytest.mark.parametrize("name, raw", [
    ("RATELIMIT_LOGIN_PER_ACCOUNT", "5 per fortnight"), ("RATELIMIT_STORAGE_URI", "memcache://x"),
    ("CORS_ORIGINS", "app.example.edu"), ("LOG_FORMAT", "xml"), ("ACCESS_TOKEN_EXPIRE_MINUTES", "-5"),
    ("PASSWORD_MIN_LENGTH", "4"), ("DATABASE_URL", "not a url"), ("SECRET_KEY", "changethis"),
    ("SEARCH_LANGUAGE", "klingon"), ("SEARCH_LANGUAGE", "english; DROP TABLE posts"),
    ("REPORT_HIDE_THRESHOLD", "0"), ("REPORT_HIDE_THRESHOLD", "three"), ("RATELIMIT_REPORTS_PER_USER", "lots"),
])
def test_each_rule_refuses_what_it_does_not_allow(name, raw):
    settings, problems = validate({name: raw})
    assert [problem.split("=", 1)[0] for problem in problems] == [name]
    assert settings[name] != raw  # the default stands in, so --help and check can still run


def test_good_values_pass_in_every_accepted_spelling():
    settings, problems = validate({"RATELIMIT_ENABLED": "Off", "DB_ECHO": "1", "LOG_LEVEL": "debug",
                                   "CORS_ORIGINS": "https://a.example.edu, http://localhost:3000",
                                   "RATELIMIT_STORAGE_URI": "redis://:pw@127.0.0.1:6379/0", "TRUSTED_PROXIES": " 1 ",
                                   "EMAIL_VERIFICATION": "Required", "ACCOUNT_DELETION_CONTENT": "DELETE"})
    assert problems == []
    assert settings["RATELIMIT_ENABLED"] is False and settings["DB_ECHO"] is True and settings["TRUSTED_PROXIES"] == 1
    # Words are kept in their default's case, so code compares them once.
    assert (settings["LOG_LEVEL"], settings["EMAIL_VERIFICATION"], settings["ACCOUNT_DELETION_CONTENT"]) == \
        ("DEBUG", "required", "delete")


def test_fresh_clone_upgrade_creates_the_instance_folder_whatever_is_set(tmp_path):
    """SECRET_KEY set, no DATABASE_URL, no instance folder yet: the embedded database's folder is made."""
    done = flask(tmp_path, "db", "upgrade", database_url="")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "instance" / "loopin.db").is_file()


def test_one_shot_commands_log_no_lifecycle_and_alembic_speaks_loopins_format(tmp_path):
    helped = flask(tmp_path, "--help")
    upgraded = flask(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    for done in (helped, upgraded):
        for line in ("Starting application", "Shutting down", "Database connections closed"):
            assert line not in done.stderr
    migration_lines = [line for line in upgraded.stderr.splitlines() if "Running upgrade" in line]
    assert migration_lines and all(TEXT_LINE.match(line) for line in migration_lines), upgraded.stderr
    assert all(TEXT_LINE.match(line) for line in upgraded.stderr.splitlines()), upgraded.stderr


def test_json_log_format_covers_loopin_and_alembic_lines(tmp_path):
    upgraded = flask(tmp_path, "db", "upgrade", LOG_FORMAT="json")
    assert upgraded.returncode == 0, upgraded.stderr
    lines = [json.loads(line) for line in upgraded.stderr.splitlines()]
    assert {"alembic.runtime.migration"} <= {line["logger"] for line in lines}
    assert all({"time", "level", "logger", "pid", "message"} <= set(line) for line in lines)
    assert all(line["time"].endswith("+00:00") for line in lines)


def test_check_prints_on_a_console_that_cannot_show_every_character(tmp_path):
    """A cp1252 Windows pipe and a folder named in Cyrillic: the path is escaped, the check runs."""
    folder = tmp_path / "проект"
    folder.mkdir()
    assert flask(folder, "db", "upgrade", database_url="").returncode == 0
    done = flask(folder, "check", database_url="", PYTHONIOENCODING="cp1252")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "UnicodeEncodeError" not in done.stderr
    assert "\\u043f\\u0440\\u043e" in done.stdout  # "про", as the console could print it
    assert "All checks passed." in done.stdout
