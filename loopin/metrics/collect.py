"""The metrics of one app, in a registry of its own (prometheus_client, the reference client: its text
format, histograms and collectors, no code of ours for them):

- requests by route template (never the path a client typed: `/posts/<post_id>`, one series for every
  post), method and status, and their latency;
- rate-limit refusals (the 429s) by route;
- the database pool: connections checked out, and how many the pool can hand out;
- the outbox: messages waiting and the oldest one's age (read at each scrape, one query);
- the background mail sender's failed passes.

Several waitress processes each answer their own: Prometheus scrapes each process's port, not nginx
(docs/operations.md, "Metrics")."""

import time

from flask import Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from sqlalchemy import func, select

from ..core.clock import as_utc, utcnow
from ..core.extensions import db
from ..mail import SENDER
from ..mail.models import OutboxMessage as Outbox
from .access import may_read_metrics

REGISTRY_KEY = "loopin.metrics"
UNMATCHED = "(no route)"
# Seconds: Loopin's reads take milliseconds, a login tens of milliseconds (the hash), a slow database seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class AppState:
    """What only the app knows at a scrape: its pool, its outbox, its sender."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        with self.app.app_context():
            pool = db.engine.pool
            checked_out = GaugeMetricFamily("loopin_db_pool_checked_out", "Connections in use")
            checked_out.add_metric([], pool.checkedout() if hasattr(pool, "checkedout") else 0)
            yield checked_out
            capacity = self.app.config["DB_POOL_SIZE"] + self.app.config["DB_MAX_OVERFLOW"]
            yield GaugeMetricFamily("loopin_db_pool_capacity", "Connections the pool can hand out", value=capacity)
            yield from outbox_metrics()
            db.session.remove()
            sender = self.app.extensions.get(SENDER)
            failures = CounterMetricFamily("loopin_mail_sender_failures", "Background delivery passes that failed")
            failures.add_metric([], sender.failures if sender is not None else 0)
            yield failures


def outbox_metrics():
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Outbox.created_at)).where(Outbox.sent_at.is_(None), Outbox.failed_at.is_(None))
    ).one()
    yield GaugeMetricFamily("loopin_outbox_queued", "Messages waiting to be sent", value=waiting)
    age = (utcnow() - as_utc(oldest)).total_seconds() if oldest is not None else 0
    yield GaugeMetricFamily("loopin_outbox_oldest_age_seconds", "Age of the oldest waiting message", value=age)


def register_metrics(app):
    registry = CollectorRegistry()
    requests = Counter("loopin_requests", "Requests answered", ["route", "method", "status"], registry=registry)
    latency = Histogram("loopin_request_duration_seconds", "Time to answer", ["route", "method"],
                        buckets=LATENCY_BUCKETS, registry=registry)
    refused = Counter("loopin_rate_limited", "Requests refused by a rate limit (429)", ["route"], registry=registry)
    registry.register(AppState(app))
    app.extensions[REGISTRY_KEY] = registry

    @app.before_request
    def start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response):
        route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
        requests.labels(route, request.method, str(response.status_code)).inc()
        started = g.get("metrics_started")
        if started is not None:
            latency.labels(route, request.method).observe(time.perf_counter() - started)
        if response.status_code == 429:
            refused.labels(route).inc()
        return response

    app.add_url_rule("/metrics", "metrics", metrics_view)


def metrics_view():
    if not may_read_metrics():
        # As if there were none: an address that may not read them learns nothing, not even that.
        return current_app.json.response({"detail": "Not Found"}), 404
    registry = current_app.extensions[REGISTRY_KEY]
    return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)
