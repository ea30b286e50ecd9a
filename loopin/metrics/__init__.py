"""`GET /metrics` in Prometheus' text format, when METRICS_ENABLED: what an operator watches, per server
process (docs/operations.md, "Metrics"). Off by default: nothing is counted, no route exists."""

from .collect import register_metrics


def init_app(app):
    if app.config["METRICS_ENABLED"]:
        register_metrics(app)
