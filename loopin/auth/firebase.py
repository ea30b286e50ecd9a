"""Firebase ID tokens, verified as Firebase documents it (the checks `firebase_admin.auth.verify_id_token`
makes): RS256 only; `kid` one of Google's published signing keys; `iss` is
https://securetoken.google.com/<project> and `aud` is <project> (FIREBASE_PROJECT_ID); `exp` in the
future, `iat` and `auth_time` in the past (LEEWAY); `sub`, the Firebase uid, not empty.

PyJWT verifies the signature (cryptography does the RSA) and parses the JWK set (PyJWKSet). The set
is fetched here, not by PyJWT's PyJWKClient: that client keeps a set for a fixed lifespan and fetches
again for every unknown `kid`, so a stream of made-up kids would become a stream of fetches to Google.
Here the set is kept for its response's `Cache-Control: max-age`, and an unknown `kid` fetches again
at most once a minute. A set that cannot be fetched (and none still fresh) is a 503 for Firebase
tokens only; Loopin's own tokens never need it.
"""

import logging
import re
import threading
import time
import urllib.request

import jwt as pyjwt
from flask import current_app

from ..web.errors import ApiError

log = logging.getLogger("loopin")

ISSUER = "https://securetoken.google.com/"
LEEWAY = 30  # seconds of clock difference tolerated on exp, iat and auth_time
REFETCH_AT_MOST_EVERY = 60  # seconds: for an unknown kid, and the shortest a set is kept
FETCH_TIMEOUT = 5
MAX_KEY_SET_BYTES = 256 * 1024
KEYS = "loopin.firebase_keys"  # app.extensions key
UNAVAILABLE = "Firebase sign-in is unavailable; try again later"


class KeysUnavailable(Exception):
    pass


class FirebaseKeys:
    """Google's signing keys, fetched on first use and kept as long as Google says (thread-safe: one
    fetch at a time, the others wait for it rather than fetch again)."""

    def __init__(self, url):
        self.url, self.lock = url, threading.Lock()
        self.keys, self.fetched_at, self.expires_at = None, float("-inf"), float("-inf")

    def key(self, kid):
        """The public key of `kid`, or None when Google has published no such key."""
        with self.lock:
            now = time.monotonic()
            if now >= self.expires_at:
                self.fetch(now, required=True)
            elif kid not in self.keys and now - self.fetched_at >= REFETCH_AT_MOST_EVERY:
                self.fetch(now, required=False)  # perhaps a key Google just rotated in
            found = self.keys.get(kid)
            return found.key if found is not None else None

    def fetch(self, now, required):
        try:
            with urllib.request.urlopen(self.url, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 (a setting)
                body = response.read(MAX_KEY_SET_BYTES + 1)
                max_age = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
            if len(body) > MAX_KEY_SET_BYTES:
                raise ValueError("key set too large")
            keys = {key.key_id: key for key in pyjwt.PyJWKSet.from_json(body.decode("utf-8")).keys if key.key_id}
        except (OSError, ValueError, pyjwt.PyJWTError) as error:
            self.fetched_at = now  # a failed fetch also waits its minute before the next
            log.warning("Firebase signing keys: cannot fetch them (%s)", type(error).__name__)
            if required:
                raise KeysUnavailable() from None
            return
        lifetime = max(int(max_age.group(1)) if max_age else 0, REFETCH_AT_MOST_EVERY)
        self.keys, self.fetched_at, self.expires_at = keys, now, now + lifetime


def init_firebase(app):
    if app.config["FIREBASE_PROJECT_ID"]:
        app.extensions[KEYS] = FirebaseKeys(app.config["FIREBASE_JWKS_URL"])


def looks_like_firebase(token):
    """Whether a bearer token is meant as a Firebase ID token (RS256, with a key id): Loopin's own are
    HS256. Only a hint for which verification to run; the verification decides."""
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError:
        return False
    return header.get("alg") == "RS256" and "kid" in header


def is_firebase(claims):
    return isinstance(claims.get("iss"), str) and claims["iss"].startswith(ISSUER)


RECENT_SIGN_IN = 300  # seconds


def signed_in_recently(claims):
    """A Firebase token from a sign-in of the last five minutes: what an account with no password
    proves itself with before it is deleted (Firebase's own rule for sensitive changes)."""
    return is_firebase(claims) and time.time() - claims["auth_time"] <= RECENT_SIGN_IN


def firebase_claims(token, refused):
    """The claims of a valid Firebase ID token for this project; `refused()` (the 401) for any other,
    503 when Google's keys cannot be had."""
    project = current_app.config["FIREBASE_PROJECT_ID"]
    if not project:
        raise refused()
    try:
        header = pyjwt.get_unverified_header(token)
    except pyjwt.PyJWTError:
        raise refused() from None
    kid = header.get("kid")
    if header.get("alg") != "RS256" or not isinstance(kid, str):
        raise refused()
    try:
        key = current_app.extensions[KEYS].key(kid)
    except KeysUnavailable:
        raise ApiError(503, UNAVAILABLE) from None
    if key is None:
        raise refused()
    try:
        claims = pyjwt.decode(token, key, algorithms=["RS256"], audience=project, issuer=ISSUER + project,
                              leeway=LEEWAY, options={"require": ["exp", "iat", "sub", "aud", "iss", "auth_time"]})
    except pyjwt.PyJWTError:
        raise refused() from None
    auth_time, subject = claims["auth_time"], claims["sub"]
    if not isinstance(auth_time, (int, float)) or auth_time > time.time() + LEEWAY \
            or not isinstance(subject, str) or not 0 < len(subject) <= 128 or "\x00" in subject:
        raise refused()
    return claims
