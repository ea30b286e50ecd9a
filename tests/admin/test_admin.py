"""Administration: the `flask users` commands, /admin/users, PATCH /admin/users/{id}, /admin/audit;
roles enforced by the declaration; every change audited in its own transaction. Both databases."""

import pytest
from helpers import AuthActions, statements_for
from sqlalchemy import func, select

from loopin.admin import services
from loopin.core.extensions import db
from loopin.models import AuditLog, User

ADMIN_EMAIL, ADMIN_PASSWORD = "dean@test.edu", "a long admin passphrase"


def cli(app, *args, prompt=None):
    return app.test_cli_runner().invoke(args=["users", *args], input=prompt)


@pytest.fixture
def admin(app, client):
    """The first admin, made the README's way, signed in: its bearer headers."""
    result = cli(app, "create-admin", ADMIN_EMAIL, prompt=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return AuthActions(client, email=ADMIN_EMAIL, password=ADMIN_PASSWORD).headers()


def user_id(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def audit_actions(app):
    with app.app_context():
        return [row.action for row in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_create_admin_prompts_twice_and_never_echoes(app, client):
    result = cli(app, "create-admin", ADMIN_EMAIL, prompt=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0 and ADMIN_PASSWORD not in result.output
    me = client.get("/auth/me", headers=AuthActions(client, ADMIN_EMAIL, ADMIN_PASSWORD).headers()).get_json()
    assert me["role"] == "admin"
    again = cli(app, "create-admin", ADMIN_EMAIL, prompt=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert again.exit_code != 0 and "already has an account" in again.output


def test_create_admin_refuses_a_weak_or_mistyped_password(app):
    weak = cli(app, "create-admin", "weak@test.edu", prompt="password\npassword\n")
    assert weak.exit_code != 0 and "too common" in weak.output
    mistyped = cli(app, "create-admin", "typo@test.edu", prompt="one long passphrase\nanother passphrase\n" * 3)
    assert mistyped.exit_code != 0
    assert user_id(app, "weak@test.edu") is None and user_id(app, "typo@test.edu") is None


def test_set_role_deactivate_activate_commands(app, client, auth):
    tokens = auth.sign_in()
    assert cli(app, "set-role", auth.EMAIL, "faculty").exit_code == 0
    assert auth.me(tokens["access_token"])[1]["role"] == "faculty"
    assert cli(app, "deactivate", auth.EMAIL).exit_code == 0
    assert auth.me(tokens["access_token"])[0] == 401  # at once
    assert auth.login().get_json() == {"detail": "Inactive user"}
    assert cli(app, "activate", auth.EMAIL).exit_code == 0
    assert auth.login().status_code == 200
    assert audit_actions(app) == ["SET_ROLE", "DEACTIVATE_USER", "ACTIVATE_USER"]
    assert cli(app, "set-role", "nobody@test.edu", "admin").exit_code != 0
    assert cli(app, "set-role", auth.EMAIL, "emperor").exit_code != 0


@pytest.mark.parametrize("method, path", [("GET", "/admin/users"), ("PATCH", "/admin/users/1"),
                                          ("GET", "/admin/audit")])
def test_admin_endpoints_refuse_students_and_anonymous_callers(client, auth, method, path):
    student = client.open(path, method=method, json={"role": "admin"}, headers=auth.headers())
    assert (student.status_code, student.get_json()) == (403, {"detail": "Requires the role admin"})
    anonymous = client.open(path, method=method, json={"role": "admin"})
    assert (anonymous.status_code, anonymous.get_json()) == (401, {"detail": "Not authenticated"})


def test_list_users_filters_and_pages(client, admin):
    for n in range(5):
        AuthActions(client, email=f"student{n}@test.edu").register()
    everyone = client.get("/admin/users?limit=100", headers=admin).get_json()
    assert len(everyone) == 6 and everyone[0]["email"] == "student4@test.edu"  # newest first
    assert [u["email"] for u in client.get("/admin/users?role=admin", headers=admin).get_json()] == [ADMIN_EMAIL]
    assert len(client.get("/admin/users?q=STUDENT", headers=admin).get_json()) == 5
    assert client.get("/admin/users?q=100%25_", headers=admin).get_json() == []  # LIKE wildcards are literal
    assert len(client.get("/admin/users?skip=2&limit=2", headers=admin).get_json()) == 2
    for bad in ("limit=0", "limit=101", "skip=-1", "skip=100001", "role=emperor", "q=" + "x" * 101):
        assert client.get(f"/admin/users?{bad}", headers=admin).status_code == 422, bad


@pytest.mark.parametrize("listing", ["/admin/users", "/admin/audit"])
def test_admin_lists_make_the_same_statements_for_any_page_size(app, client, admin, listing):
    for n in range(12):
        AuthActions(client, email=f"s{n}@test.edu").register()
        assert cli(app, "set-role", f"s{n}@test.edu", "faculty").exit_code == 0  # an audit row each
    counts = []
    for limit in (2, 12):
        count, body = statements_for(app, client, f"{listing}?limit={limit}", admin)
        assert len(body) == limit
        counts.append(count)
    assert counts[0] == counts[1] <= 2  # the caller's session, then one page query


def test_role_change_and_deactivation_are_audited_and_immediate(app, client, admin, auth):
    tokens = auth.sign_in()
    target = user_id(app, auth.EMAIL)
    changed = client.patch(f"/admin/users/{target}", json={"role": "faculty"}, headers=admin)
    assert changed.status_code == 200 and changed.get_json()["role"] == "faculty"
    assert client.patch(f"/admin/users/{target}", json={"is_active": False}, headers=admin).status_code == 200
    assert auth.me(tokens["access_token"])[0] == 401
    assert auth.refresh(tokens["refresh_token"]).status_code == 401
    audit = client.get("/admin/audit", headers=admin).get_json()
    assert [entry["action"] for entry in audit] == ["DEACTIVATE_USER", "SET_ROLE"]  # newest first
    assert audit[1]["details"] == {"old": "student", "new": "faculty"} and audit[1]["target_id"] == str(target)
    assert client.get("/admin/audit?limit=1", headers=admin).get_json()[0]["action"] == "DEACTIVATE_USER"


def test_the_last_admin_cannot_remove_themselves(app, client, admin, auth):
    me = user_id(app, ADMIN_EMAIL)
    for change in ({"role": "student"}, {"is_active": False}):
        response = client.patch(f"/admin/users/{me}", json=change, headers=admin)
        assert response.status_code == 409, change
    auth.register()
    assert cli(app, "set-role", auth.EMAIL, "admin").exit_code == 0
    assert client.patch(f"/admin/users/{me}", json={"role": "faculty"}, headers=admin).status_code == 200


def test_bad_admin_input_is_422_or_404(client, admin):
    assert client.patch("/admin/users/999", json={"role": "faculty"}, headers=admin).get_json() == \
        {"detail": "User not found"}
    for path, body in (("/admin/users/abc", {"role": "faculty"}), ("/admin/users/1", {"role": "emperor"}),
                       ("/admin/users/1", {"email": "x@test.edu"}), ("/admin/users/1", {"is_active": "maybe"})):
        assert client.patch(path, json=body, headers=admin).status_code == 422, (path, body)


def test_a_failed_change_leaves_neither_the_change_nor_its_audit_row(app, client, admin, auth, monkeypatch):
    tokens = auth.sign_in()
    target = user_id(app, auth.EMAIL)
    monkeypatch.setattr(services, "end_sessions", lambda *args: 1 / 0)
    assert client.patch(f"/admin/users/{target}", json={"role": "faculty", "is_active": False},
                        headers=admin).status_code == 500
    monkeypatch.undo()
    assert auth.me(tokens["access_token"])[1]["role"] == "student"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0
