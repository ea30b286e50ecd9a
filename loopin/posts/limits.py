"""The share limit: 5 a minute per user (per client IP when anonymous), counted in the same limiter
storage as every other limit, so processes sharing Redis share it too."""

from ..auth.limits import UNKNOWN_ACCOUNT, caller_account
from ..web.api import Limit
from ..web.client import client_ip

TOO_MANY_SHARES = "Too many shares. Please wait a minute before sharing again."
SHARES_PER_MINUTE = "5 per minute"


def sharer():
    """The signed-in user (from a verified token only), else the client IP. Never raises: a key
    function runs before the view."""
    account = caller_account()
    return account if account != UNKNOWN_ACCOUNT else f"ip:{client_ip()}"


def counted_share(response):
    return response.status_code == 200


SHARE_LIMITS = [Limit(SHARES_PER_MINUTE, sharer, "post-share", TOO_MANY_SHARES, deduct_when=counted_share)]
