"""A reference, not a target: the smallest Flask app answering {"status":"ok"}, served by the same
waitress. Its ratio to the bare app is the most any Flask endpoint can reach on this machine."""

import like_loopin  # noqa: F401  (the interpreter as Loopin's servers run it)
from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    return {"status": "ok"}
