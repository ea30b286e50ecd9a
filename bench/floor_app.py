"""A reference, not a target: the floor of a database read. The smallest Flask app that makes one
`SELECT 1` round trip per request, on Loopin's pool settings (5 + 10 connections, no pre-ping) in
autocommit, served by the same waitress. No endpoint that reads the database can beat it here."""

import os

import like_loopin  # noqa: F401  (the interpreter as Loopin's servers run it)
from flask import Flask
from sqlalchemy import create_engine, event, text

app = Flask(__name__)
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg2://", 1),
                       pool_size=5, max_overflow=10)


@event.listens_for(engine, "connect")
def autocommit(dbapi_connection, _record):
    dbapi_connection.autocommit = True  # one round trip: no BEGIN, no ROLLBACK at check-in


@app.get("/")
def ok():
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok"}
