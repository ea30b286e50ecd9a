"""Who may read /metrics: the connecting peer's address in METRICS_ALLOW. The peer as the socket
saw it, before ProxyFix read X-Forwarded-For (a client could write that header itself)."""

import ipaddress
from functools import cache

from flask import current_app, request


@cache
def allowed_networks(setting):
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def socket_peer():
    before_proxy_fix = request.environ.get("werkzeug.proxy_fix.orig", {})
    return before_proxy_fix.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR", "")


def may_read_metrics():
    try:
        peer = ipaddress.ip_address(socket_peer())
    except ValueError:
        return False
    return any(peer in network for network in allowed_networks(current_app.config["METRICS_ALLOW"]))
