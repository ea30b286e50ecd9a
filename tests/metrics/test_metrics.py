"""GET /metrics (issue 27): off by default; when on, Prometheus' text format for the allowed addresses
only (the socket's peer, never X-Forwarded-For), with requests by route template, latency, 429s, the
pool, the outbox's backlog and the sender's failures. On SQLite and PostgreSQL."""

import pytest
from helpers import AuthActions, make_app
from prometheus_client.parser import text_string_to_metric_families

from loopin.core.database import transaction
from loopin.core.extensions import db
from loopin.mail import queue_mail


@pytest.fixture
def metrics_app(app, database_url, tmp_path):
    built = []

    def build(**settings):
        built.append(make_app(database_url, tmp_path / f"metrics{len(built)}", METRICS_ENABLED=True, **settings))
        return built[-1]

    yield build
    for made in built:
        with made.app_context():
            db.engine.dispose()


def samples(response):
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def test_metrics_are_off_by_default(client):
    assert client.get("/metrics").status_code == 404


def test_requests_are_counted_by_route_template_with_their_latency(metrics_app):
    app = metrics_app()
    client = app.test_client()
    for post_id in (12345, 67890):
        assert client.get(f"/posts/{post_id}").status_code == 404
    AuthActions(client).register()
    found = samples(client.get("/metrics"))
    route = (("method", "GET"), ("route", "/posts/<post_id>"), ("status", "404"))
    assert found[("loopin_requests_total", route)] == 2  # one series for every post: no path in any label
    assert found[("loopin_requests_total", (("method", "POST"), ("route", "/auth/register"), ("status", "200")))] == 1
    buckets = (("le", "+Inf"), ("method", "GET"), ("route", "/posts/<post_id>"))
    assert found[("loopin_request_duration_seconds_bucket", buckets)] == 2
    assert not any("12345" in str(labels) for _name, labels in found)
    assert found[("loopin_db_pool_capacity", ())] == app.config["DB_POOL_SIZE"] + app.config["DB_MAX_OVERFLOW"]
    assert ("loopin_db_pool_checked_out", ()) in found and ("loopin_mail_sender_failures_total", ()) in found


def test_the_outbox_backlog_and_rate_limit_refusals_show(metrics_app):
    app = metrics_app(RATELIMIT_ENABLED=True, RATELIMIT_REGISTER_PER_IP="1 per minute")
    client = app.test_client()
    with app.app_context(), transaction():
        queue_mail("someone@test.edu", "Hello", "Body")
    assert AuthActions(client, email="a@test.edu").register().status_code == 200
    assert AuthActions(client, email="b@test.edu").register().status_code == 429
    found = samples(client.get("/metrics"))
    assert found[("loopin_outbox_queued", ())] == 1 and found[("loopin_outbox_oldest_age_seconds", ())] >= 0
    assert found[("loopin_rate_limited_total", (("route", "/auth/register"),))] == 1


def test_only_allowed_addresses_read_them_whatever_they_claim(metrics_app):
    app = metrics_app(METRICS_ALLOW="10.1.0.0/16", TRUSTED_PROXIES=1)
    client = app.test_client()
    assert client.get("/metrics").status_code == 404  # 127.0.0.1 is not in the list here
    spoofed = client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
    assert spoofed.status_code == 404 and spoofed.get_json() == {"detail": "Not Found"}
    allowed = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert allowed.status_code == 200 and b"loopin_requests_total" in allowed.data
