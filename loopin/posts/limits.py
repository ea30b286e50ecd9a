"""The share limit: 5 a minute per user (per client IP when anonymous), counted in the same limiter
storage as every other limit, so processes sharing Redis share it too."""

from ..auth.limits import account_tag
from ..auth.tokens import verified_claims
from ..web.api import Limit
from ..web.client import bearer_token, client_ip

TOO_MANY_SHARES = "Too many shares. Please wait a minute before sharing again."
SHARES_PER_MINUTE = "5 per minute"


def sharer():
    """The signed-in user (from a verified token only), else the client IP. Never raises: a key
    function runs before the view."""
    try:
        return f"account:{account_tag(verified_claims(bearer_token())['sub'])}"
    except Exception:  # noqa: BLE001 (no token or an unverifiable one: the IP's bucket)
        return f"ip:{client_ip()}"


def counted_share(response):
    return response.status_code == 200


SHARE_LIMITS = [Limit(SHARES_PER_MINUTE, sharer, "post-share", TOO_MANY_SHARES, deduct_when=counted_share)]
