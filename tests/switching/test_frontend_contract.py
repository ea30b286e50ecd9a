"""What the original's web frontend reads (issue 23): every author object in every post, comment and
notification answer names its author (a non-empty `username`; a sender, a non-empty `name`), for
accounts made every way: registration, Firebase sign-in, the command line and adoption of an original
database. One author without a username once blanked the whole feed page for everyone."""

import flask_migrate
from firebase_keys import id_token
from helpers import AuthActions, bearer, both_databases, make_app
from original_era import ORIGINAL_USERS, build_original_database

PASSWORD = "an admin's long passphrase"


def make_admin(app, email):
    result = app.test_cli_runner().invoke(args=["users", "create-admin", email], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    return AuthActions(app.test_client(), email=email, password=PASSWORD).headers()


def authors_in(client, headers):
    """(author objects, notification senders) of every list the frontend shows."""
    posts = client.get("/posts/?limit=100", headers=headers).get_json()
    posts += client.get("/posts/popular?timeframe=all&limit=100", headers=headers).get_json()
    authors = [post["author"] for post in posts]
    for post in posts:
        authors.append(client.get(f"/posts/{post['id']}", headers=headers).get_json()["author"])
        authors += [comment["author"] for comment in client.get(f"/posts/{post['id']}/comments/",
                                                                  headers=headers).get_json()]
    senders = [note["sender"] for note in client.get("/notifications/?limit=100", headers=headers).get_json()]
    return authors, senders


def test_every_author_has_a_name_whoever_made_the_account(firebase_app, firebase_signing_key):
    app = firebase_app()
    client = app.test_client()
    registered = AuthActions(client, email="reg@test.edu").headers()
    from_firebase = bearer(id_token(firebase_signing_key, uid="uid-fb", email="fire.base@test.edu", name=None))
    from_cli = make_admin(app, "cli.admin@test.edu")
    everyone = [registered, from_firebase, from_cli]
    post = client.post("/posts/", json={"title": "Hi all", "department": "CSE"}, headers=registered).get_json()
    for headers in everyone:
        client.post("/posts/", json={"title": "Me too", "department": "CSE"}, headers=headers)
        client.post(f"/posts/{post['id']}/comments/", json={"content": "Hello"}, headers=headers)
        client.post("/votes/", json={"post_id": post["id"], "vote_type": 1}, headers=headers)
    authors, senders = authors_in(client, registered)
    assert len(authors) >= 3 * 4 and len(senders) >= 4
    assert all(author and author["username"] for author in authors), authors
    assert all(sender and sender["name"] for sender in senders), senders
    assert {author["username"] for author in authors} == {"reg", "firebase", "cliadmin"}


@both_databases
def test_adopted_accounts_are_named_by_the_upgrade(empty_database_url, tmp_path):
    build_original_database(empty_database_url)
    app = make_app(empty_database_url, tmp_path)
    assert app.test_cli_runner().invoke(args=["db", "stamp", "0001_original_users"]).exit_code == 0
    with app.app_context():
        flask_migrate.upgrade()
    client = app.test_client()
    email, password, _active = ORIGINAL_USERS[1]  # Bob.Smith@college.edu
    headers = bearer(AuthActions(client).login(email=email, password=password).get_json()["access_token"])
    me = client.get("/auth/me", headers=headers).get_json()
    assert (me["username"], me["full_name"]) == ("BobSmith", "BobSmith")
    client.post("/posts/", json={"title": "Adopted", "department": "CSE"}, headers=headers)
    authors, _senders = authors_in(client, headers)
    assert [author["username"] for author in authors] == ["BobSmith"] * len(authors) and authors
