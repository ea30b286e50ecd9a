"""The endpoint declaration enforces what it documents: validated query, path and body handed to the
view with FastAPI's 422s, authentication before validation, roles, answers serialised through the
declared model, and an OpenAPI operation that lists exactly the statuses the endpoint can answer."""

import pytest
from flask import Blueprint
from helpers import bearer
from pydantic import BaseModel, Field
from sqlalchemy import update

from loopin.auth.models import User
from loopin.core.extensions import db
from loopin.web.api import endpoint
from loopin.web.errors import error_response


class Page(BaseModel):
    skip: int = Field(0, ge=0)
    limit: int = Field(20, ge=1, le=100)
    department: str | None = None


class ItemPath(BaseModel):
    item_id: int


class Note(BaseModel):
    text: str


class Echo(BaseModel):
    skip: int = 0
    limit: int = 0
    department: str | None = None
    item_id: int | None = None
    text: str | None = None


def add_probe_endpoints(app):
    """A blueprint of the kind a new feature adds: one model, one declaration, one view each."""
    probe = Blueprint("probe", __name__, url_prefix="/probe")

    @probe.get("/items")
    @endpoint(query=Page, ok=Echo, database=False)
    def list_items(query):
        """A paginated list."""
        return Echo(skip=query.skip, limit=query.limit, department=query.department)

    @probe.get("/items/<item_id>")
    @endpoint(path=ItemPath, ok=Echo, errors={404: "No such item"})
    def get_item(path):
        return Echo(item_id=path.item_id) if path.item_id < 100 else error_response(404, "No such item")

    @probe.post("/notes")
    @endpoint(body=Note, ok=Echo, status=201, roles=["admin"])
    def add_note(body, caller):
        return Echo(text=f"{body.text} by {caller.user.id}"), 201

    @probe.get("/drift")
    @endpoint(ok=Echo, database=False)
    def drift():
        return error_response(418, "I'm a teapot")  # a status the declaration does not list

    @probe.get("/wrong-model")
    @endpoint(ok=Echo, database=False)
    def wrong_model():
        return Note(text="not an Echo")

    app.register_blueprint(probe)
    return app.test_client()


@pytest.fixture
def probe(app):
    return add_probe_endpoints(app)


def test_query_is_validated_with_defaults_and_handed_to_the_view(probe):
    assert probe.get("/probe/items").get_json() == {"skip": 0, "limit": 20, "department": None, "item_id": None,
                                                    "text": None}
    assert probe.get("/probe/items?skip=5&limit=10&department=CSE&unknown=1").get_json()["limit"] == 10


def test_bad_query_is_fastapis_422(probe):
    response = probe.get("/probe/items?limit=abc&skip=-1")
    assert response.status_code == 422
    errors = {tuple(error["loc"]): error for error in response.get_json()["detail"]}
    assert errors[("query", "limit")]["type"] == "int_parsing"
    assert errors[("query", "limit")]["input"] == "abc"
    assert errors[("query", "skip")]["type"] == "greater_than_equal"
    assert probe.get("/probe/items?limit=101").status_code == 422


def test_path_is_validated_as_its_model(probe):
    assert probe.get("/probe/items/7").get_json()["item_id"] == 7
    response = probe.get("/probe/items/seven")
    assert response.status_code == 422
    [error] = response.get_json()["detail"]
    assert (error["loc"], error["type"], error["input"]) == (["path", "item_id"], "int_parsing", "seven")
    assert probe.get("/probe/items/100").get_json() == {"detail": "No such item"}


def test_authentication_comes_before_validation(probe):
    response = probe.post("/probe/notes", data="not json", content_type="text/plain")
    assert (response.status_code, response.get_json()) == (401, {"detail": "Not authenticated"})
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_role_is_required_before_the_body_is_read(probe, auth):
    headers = auth.headers()
    response = probe.post("/probe/notes", data="not json", content_type="text/plain", headers=headers)
    assert (response.status_code, response.get_json()) == (403, {"detail": "Requires the role admin"})


def test_the_role_lets_the_caller_through(app, probe, auth):
    headers = auth.headers()
    with app.app_context():
        db.session.execute(update(User).values(role="admin"))
        db.session.commit()
    response = probe.post("/probe/notes", json={"text": "hello"}, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["text"].startswith("hello by ")
    assert probe.post("/probe/notes", json={"text": 5}, headers=headers).status_code == 422


@pytest.mark.parametrize("path", ["/probe/drift", "/probe/wrong-model"])
def test_an_answer_the_declaration_does_not_list_is_a_bug_not_a_drift(probe, path, caplog):
    response = probe.get(path)
    assert (response.status_code, response.get_json()) == (500, {"detail": "Internal Server Error"})
    assert "does not declare" in caplog.text or "but declares" in caplog.text


def test_answers_are_serialised_through_the_declared_model(client, auth):
    """/auth/me's bytes are UserOut's fields in order, with the time in UTC and its offset."""
    body = client.get("/auth/me", headers=auth.headers()).get_data(as_text=True)
    assert body.startswith('{"id":1,"email":"test@test.edu","is_active":true,"created_at":"')
    assert '+00:00","username":"test","full_name":"test",' in body
    assert body.endswith(',"profile_photo_url":null,"email_verified":false}')


def spec_of(client):
    return client.get("/openapi.json").get_json()


def statuses(spec, path, method):
    return sorted(int(status) for status in spec["paths"][path][method]["responses"])


def test_each_operation_documents_only_what_it_can_answer(probe):
    spec = spec_of(probe)
    assert statuses(spec, "/health/live", "get") == [200]
    assert statuses(spec, "/health", "get") == [200, 503]
    assert spec["paths"]["/health"]["get"]["responses"]["503"]["content"]["application/json"]["schema"] == \
        {"$ref": "#/components/schemas/Health"}
    assert statuses(spec, "/auth/me", "get") == [200, 401, 429, 503]
    assert statuses(spec, "/auth/login", "post") == [200, 400, 401, 413, 415, 422, 429, 503]
    assert statuses(spec, "/auth/sessions/{sid}", "delete") == [200, 401, 404, 429, 503]
    assert statuses(spec, "/probe/items", "get") == [200, 422, 429]
    assert statuses(spec, "/probe/notes", "post") == [201, 401, 403, 413, 415, 422, 429, 503]


def test_optional_bodies_are_documented_as_optional(client):
    spec = spec_of(client)
    assert spec["paths"]["/auth/logout"]["post"]["requestBody"]["required"] is False
    assert spec["paths"]["/auth/refresh"]["post"]["requestBody"]["required"] is False
    assert spec["paths"]["/auth/login"]["post"]["requestBody"]["required"] is True


def test_operation_ids_are_readable_by_client_generators(client):
    spec = spec_of(client)
    ids = {operation["operationId"] for item in spec["paths"].values() for operation in item.values()}
    assert {"auth_login", "auth_register", "auth_me", "auth_refresh", "auth_logout", "auth_sessions",
            "auth_delete_session", "auth_password", "health_readiness", "health_readiness_alias", "health_liveness",
            "users_my_profile",
            "users_update_my_profile", "users_public_profile", "admin_list_users", "admin_update_user",
            "admin_audit_log", "posts_list_posts", "posts_popular_posts", "posts_new_post", "posts_get_post",
            "posts_remove_post", "posts_pin_post", "posts_unpin_post", "posts_share_post", "comments_list_comments",
            "comments_new_comment", "comments_delete_comment", "votes_vote", "reactions_react",
            "notifications_list_notifications", "notifications_count_unread", "notifications_read_one",
            "notifications_read_all", "notifications_send_announcement", "auth_request_verification",
            "auth_verify_email", "auth_forgot_password", "auth_reset_password", "users_export_my_account",
            "users_delete_my_account", "auth_firebase_sign_in", "media_upload_signature", "news_campus_news",
            "search_find", "posts_update_post", "posts_list_post_revisions", "comments_update_comment",
            "comments_list_comment_revisions", "reports_new_report", "moderation_list_reports",
            "moderation_resolve_reports", "muting_list_muted", "muting_mute_user", "muting_unmute_user"} == ids


def test_query_and_path_parameters_are_documented(probe):
    spec = spec_of(probe)
    parameters = {p["name"]: p for p in spec["paths"]["/probe/items"]["get"]["parameters"]}
    assert parameters["limit"] == {"name": "limit", "in": "query", "required": False, "schema": {
        "default": 20, "maximum": 100, "minimum": 1, "title": "Limit", "type": "integer"}}
    [item_id] = spec["paths"]["/probe/items/{item_id}"]["get"]["parameters"]
    assert (item_id["in"], item_id["required"], item_id["schema"]["type"]) == ("path", True, "integer")
    assert spec["paths"]["/probe/notes"]["post"]["security"] == [{"bearer": []}, {"oauth2": []}]


def test_a_new_endpoint_needs_no_other_edit(probe, auth):
    """The probe blueprint touched no shared module, yet it is validated, documented and rate limited."""
    spec = spec_of(probe)
    assert "/probe/items" in spec["paths"] and "429" in spec["paths"]["/probe/items"]["get"]["responses"]
    assert probe.get("/probe/items", headers=bearer("x")).status_code == 200  # no auth declared: none needed
