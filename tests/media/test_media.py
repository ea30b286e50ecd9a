"""Uploads (issue 23): GET /media/signature signs exactly what the original's frontend sends Cloudinary,
checked against the cloudinary package's own signing; without Cloudinary, the original's mock answer;
posts take media from the configured cloud and folder only."""

import cloudinary.utils
import pytest
from helpers import AuthActions, bearer
from platform_helpers import POST

from loopin import create_app
from loopin.core.settings import SettingsError

CLOUD = {"CLOUDINARY_URL": "cloudinary://123456789012345:s3cr3t-Api_Secret@campus-cloud",
         "CLOUDINARY_FOLDER": "loopin/posts"}
UPLOADED = "https://res.cloudinary.com/campus-cloud/image/upload/v1733000000/loopin/posts/abc123.png"


@pytest.fixture
def cloud_app(app, database_url, tmp_path):
    from conftest import app_builder

    yield from app_builder(database_url, tmp_path, "cloud", **CLOUD)


def test_without_cloudinary_the_signature_is_the_originals_mock(client, auth):
    assert client.get("/media/signature").status_code == 401
    answer = client.get("/media/signature", headers=auth.headers())
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    assert answer.get_json() == {"mock": True,
                                 "message": "Cloudinary credentials missing. Running in local simulation mode."}


def test_the_signature_is_cloudinarys_own_over_what_the_frontend_sends(cloud_app):
    client = cloud_app().test_client()
    body = client.get("/media/signature", headers=AuthActions(client).headers()).get_json()
    assert set(body) == {"mock", "signature", "timestamp", "api_key", "cloud_name", "folder"}
    assert (body["mock"], body["api_key"], body["cloud_name"], body["folder"]) == \
        (False, "123456789012345", "campus-cloud", "loopin/posts")
    # The frontend posts file, api_key, timestamp, signature and folder: Cloudinary signs all but the
    # file, api_key (and signature) itself, so the signature must cover exactly folder and timestamp.
    sent = {"folder": body["folder"], "timestamp": body["timestamp"]}
    assert body["signature"] == cloudinary.utils.api_sign_request(sent, "s3cr3t-Api_Secret")
    assert "s3cr3t" not in str(body)


@pytest.mark.parametrize("media, field", [
    ({"media_url": "https://cdn.example.edu/a.png"}, "media_url"),
    ({"media_url": "blob:http://localhost:3000/5f1c"}, "media_url"),
    ({"media_url": "http://res.cloudinary.com/campus-cloud/image/upload/loopin/posts/a.png"}, "media_url"),
    ({"media_url": "https://res.cloudinary.com/other-cloud/image/upload/loopin/posts/a.png"}, "media_url"),
    ({"media_url": "https://res.cloudinary.com/campus-cloud/image/upload/v1/elsewhere/a.png"}, "media_url"),
    ({"media_url": "https://res.cloudinary.com/campus-cloud/raw/upload/loopin/posts/a.png"}, "media_url"),
    ({"media_public_id": "mock_1733000000"}, "media_public_id"),
    ({"media_public_id": "loopin/posts/../../x"}, "media_public_id"),
])
def test_posts_take_media_from_the_configured_folder_only(cloud_app, media, field):
    client = cloud_app().test_client()
    refused = client.post("/posts/", json={**POST, **media}, headers=AuthActions(client).headers())
    assert refused.status_code == 422
    [error] = refused.get_json()["detail"]
    assert error["loc"] == ["body", field] and "Cloudinary" in error["msg"]


def test_an_upload_to_the_folder_is_posted(cloud_app):
    client = cloud_app().test_client()
    post = client.post("/posts/", json={**POST, "media_url": UPLOADED, "media_public_id": "loopin/posts/abc123",
                                        "media_type": "image"}, headers=AuthActions(client).headers())
    assert post.status_code == 201
    assert (post.get_json()["media_url"], post.get_json()["media_public_id"]) == (UPLOADED, "loopin/posts/abc123")


def test_without_cloudinary_no_media_is_taken(client, auth):
    headers = bearer(auth.sign_in()["access_token"])
    refused = client.post("/posts/", json={**POST, "media_url": UPLOADED}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["detail"][0]["msg"] == "media uploads are not configured on this server (CLOUDINARY_URL)"


def test_a_bad_cloudinary_url_is_reported_without_its_secret(tmp_path):
    with pytest.raises(SettingsError) as refused:
        create_app({"CLOUDINARY_URL": "https://key:hunter2@campus-cloud", "INSTANCE_PATH": str(tmp_path)})
    assert "CLOUDINARY_URL=<hidden>" in str(refused.value) and "hunter2" not in str(refused.value)
