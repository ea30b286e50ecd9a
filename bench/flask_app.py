"""A reference, not a target: the smallest Flask app answering {"status":"ok"}, served by the same
waitress. Its ratio to the bare app is the most any Flask endpoint can reach on this machine."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok():
    return {"status": "ok"}
