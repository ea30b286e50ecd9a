"""Firebase-shaped ID tokens for the tests: an RSA key of the tests' own, published as a JWK set by a
local HTTP server (FIREBASE_JWKS_URL points at it), which counts how often it is asked and can be
taken down; and tokens minted with that key as Firebase mints them."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt as pyjwt
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT = "loopin-test"
KID = "test-key-1"


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class KeyServer:
    """Serves {"keys": [...]} with `Cache-Control: max-age`; `requests` counts the fetches."""

    def __init__(self, keys, max_age=3600):
        self.keys, self.max_age, self.requests, self.down = keys, max_age, 0, False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                server.requests += 1
                if server.down:
                    self.send_error(503)
                    return
                jwks = [{**json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid,
                         "alg": "RS256", "use": "sig"} for kid, key in server.keys.items()]
                body = json.dumps({"keys": jwks}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", f"public, max-age={server.max_age}, must-revalidate")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/jwks"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def id_token(key, uid="uid-ann", email="ann@test.edu", kid=KID, algorithm="RS256", headers=None, **overrides):
    """A Firebase ID token as Google mints them; `overrides` replace claims (None removes one)."""
    now = int(time.time())
    claims = {"iss": f"https://securetoken.google.com/{PROJECT}", "aud": PROJECT, "auth_time": now - 60,
              "user_id": uid, "sub": uid, "iat": now - 5, "exp": now + 3600, "email": email,
              "email_verified": True, "name": "Ann Example", "picture": "https://lh3.example.com/ann.png",
              "firebase": {"identities": {"email": [email]}, "sign_in_provider": "google.com"}}
    claims.update(overrides)
    claims = {name: value for name, value in claims.items() if value is not None}
    return pyjwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid, **(headers or {})})
