"""Packaging: the wheel ships the migrations and the `loopin` command, and migrates a database from an
install with no checkout beside it; the locks pin every package with hashes; `loopin serve` gives
waitress WAITRESS_THREADS threads."""

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
from helpers import TEST_SECRET_KEY, free_port
from servers import REPO, request, running_server, server_environment

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
TEST_ONLY = {"pytest", "schemathesis", "selenium", "hypothesis", "ruff", "setuptools"}


def run(command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=300, **kwargs)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built offline from a copy of the sources (the build leaves files behind)."""
    source = tmp_path_factory.mktemp("source")
    for name in ("loopin", "migrations"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist),
         str(source)])
    return next(dist.glob("loopin-*.whl"))


def test_wheel_holds_the_migrations_the_command_and_the_python_floor(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for revision in (REPO / "migrations" / "versions").glob("*.py"):
        assert f"loopin/migrations/versions/{revision.name}" in names
    for support in ("env.py", "alembic.ini", "script.py.mako"):
        assert f"loopin/migrations/{support}" in names
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode()
    assert "Requires-Python: >=3.11" in metadata  # pip on 3.10 refuses it up front
    assert "Provides-Extra: test" in metadata
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "loopin = loopin.command:main" in entry_points


def test_installed_wheel_migrates_and_checks_with_no_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)])
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DATABASE_URL", "INSTANCE_PATH")}
    env.update(PYTHONPATH=str(site), SECRET_KEY=TEST_SECRET_KEY, INSTANCE_PATH=str(tmp_path / "instance"))
    loopin = [sys.executable, "-m", "loopin"]
    where = run([*loopin[:1], "-c", "import loopin; print(loopin.__file__)"], cwd=workdir, env=env).stdout
    assert where.startswith(str(site))  # the installed copy, not the repository's
    upgraded = run([*loopin, "db", "upgrade"], cwd=workdir, env=env)
    assert "Running upgrade 0004_email_case_insensitive, 0005_profiles_roles_audit -> 0006" in upgraded.stderr
    checked = run([*loopin, "check"], cwd=workdir, env=env)
    assert "[ ok ] schema: at head" in checked.stdout


def test_every_source_package_is_in_the_wheel_list():
    packaged = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {".".join(path.relative_to(REPO).parts[:-1]) for path in (REPO / "loopin").rglob("__init__.py")}
    assert found <= packaged, f"add {sorted(found - packaged)} to [tool.setuptools] packages in pyproject.toml"


def requirement_name(line):
    return line.split("==", 1)[0].strip().lower().replace("_", "-")


def locked(path):
    """{name: text of its entry} for a pip-compile/uv lock."""
    entries, current = {}, None
    for line in (REPO / path).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            current = requirement_name(line)
            entries[current] = line
        elif current and line.strip().startswith("--hash=sha256:"):
            entries[current] += line
    return entries


def declared_names(requirements):
    return {requirement_name(r.split(">")[0].split("<")[0].split("=")[0].split(";")[0].split("[")[0])
            for r in requirements}


def test_locks_pin_every_package_with_hashes_and_keep_test_tools_out_of_production():
    runtime, full = locked("requirements.txt"), locked("tests/requirements.txt")
    for entries in (runtime, full):
        for name, entry in entries.items():
            assert "==" in entry and "--hash=sha256:" in entry, name
    assert declared_names(PYPROJECT["project"]["dependencies"]) <= set(runtime)
    assert declared_names(PYPROJECT["project"]["optional-dependencies"]["test"]) <= set(full)
    assert not TEST_ONLY & set(runtime)
    for name, entry in runtime.items():  # production runs what the suite ran
        assert full[name].split(" ")[0] == entry.split(" ")[0], name
    assert any("sys_platform == 'win32'" in entry for entry in full.values())  # resolved for Windows too


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc (Linux)")
def test_loopin_serve_runs_waitress_with_waitress_threads_and_a_body_cap(tmp_path):
    def serving(count, check=None):
        port = free_port()
        env = server_environment(f"sqlite:///{tmp_path / 'serve.db'}", tmp_path / "instance", WAITRESS_THREADS=count)
        command = [sys.executable, "-m", "loopin", "serve", "--port", str(port)]
        with running_server(command, env, tmp_path / f"serve-{count}.log", port) as (base, process):
            if check:
                check(base)
            return len(os.listdir(f"/proc/{process.pid}/task"))

    def bodies(base):
        # Above MAX_BODY_BYTES: Loopin's own JSON 413. Far above: waitress refuses it before buffering.
        status, _, body = request(base, "POST", "/auth/register", raw=b"x" * (1024 * 1024 + 1))
        assert (status, body["detail"]) == (413, "Request body too large: the limit is 1048576 bytes")
        try:
            status = request(base, "POST", "/auth/register", raw=b"x" * (3 * 1024 * 1024))[0]
        except (OSError, ValueError):  # waitress may close the socket while the body is still sent
            status = 413
        assert status == 413

    assert serving(6) - serving(2, bodies) == 4
    log = (tmp_path / "serve-2.log").read_text(encoding="utf-8")
    assert "Starting application" in log and "Serving on http://127.0.0.1:" in log and "Traceback" not in log
