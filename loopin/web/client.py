"""Who is calling: the client's address, its user agent and its bearer token, each read one way only."""

from flask import request

BEARER = "loopin.bearer_token"  # the request's WSGI environ key of the token, once read
USER_AGENT_MAX = 256  # the sessions column's width; longer agents are cut, never refused


def client_ip():
    """The peer, or the client that X-Forwarded-For names when TRUSTED_PROXIES says proxies sit in front."""
    return request.remote_addr or "unknown"


def client_user_agent():
    """The User-Agent header cut to USER_AGENT_MAX characters, or None when absent."""
    agent = request.user_agent.string
    return agent[:USER_AGENT_MAX] if agent else None


def bearer_token():
    """The token of `Authorization: Bearer <token>` (the scheme in any letter case, RFC 9110); "" for the
    scheme with no token (refused as a bad token, as FastAPI does), None with no bearer header at all.
    Read once per request (the limits' keys, the PUBLIC_READ check and the authenticator all ask)."""
    environ = request.environ
    if BEARER not in environ:
        scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
        environ[BEARER] = token.strip() if scheme.lower() == "bearer" else None
    return environ[BEARER]
