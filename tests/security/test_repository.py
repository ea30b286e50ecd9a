"""The repository itself: no secret in it, `.env` ignored, placeholders only (SECURITY 23)."""

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def tracked_files():
    return subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                          check=True).stdout.split()


def test_sec_23_env_and_instance_are_ignored_and_untracked():
    assert not [f for f in tracked_files() if f == ".env" or f.startswith("instance/")]
    for path in (".env", "instance/secret_key", "instance/loopin.db"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO)
        assert ignored.returncode == 0, f"{path} is not git-ignored"


def test_sec_23_env_example_holds_no_secret():
    example = (REPO / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^SECRET_KEY=$", example, flags=re.MULTILINE)
    assert re.search(r"^DATABASE_URL=$", example, flags=re.MULTILINE)


def test_sec_23_no_key_or_password_assigned_in_code():
    """Outside the tests' own throwaway values, no source file assigns a literal key or DSN password."""
    pattern = re.compile(r"""(SECRET_KEY|JWT_SECRET_KEY)\s*=\s*["'][^"']{8,}["']|postgres(ql)?://[^:/\s]+:[^@\s{]+@""")
    offenders = [f for f in tracked_files() if f.startswith(("loopin/", "migrations/", "wsgi.py", "bench/"))
                 and f.endswith(".py") and pattern.search((REPO / f).read_text(encoding="utf-8"))]
    assert offenders == []


PLUMBING = ("loopin/core/", "loopin/web/")


def plumbing_sources():
    return {f: (REPO / f).read_text(encoding="utf-8") for f in tracked_files()
            if f.startswith(PLUMBING) and f.endswith(".py")}


def test_plumbing_names_no_feature_endpoint_or_blueprint():
    """Limits, cache rules and the like are declared by the feature that owns them."""
    pattern = re.compile(r"""["'](auth|health)(\.|["'])""")
    assert {f for f, text in plumbing_sources().items() if pattern.search(text)} == set()


def test_every_documented_waitress_command_caps_the_body_size():
    """waitress buffers up to 1 GiB by default before the app's 413 can answer."""
    documents = [REPO / "README.md", *(REPO / "docs").glob("*.md")]
    lines = [line for document in documents for line in document.read_text(encoding="utf-8").splitlines()]
    commands = [line for line in lines
                if ("waitress-serve " in line or "loopin.core.server " in line) and "wsgi:app" in line]
    assert commands and all("--max-request-body-size=" in line for line in commands), commands
