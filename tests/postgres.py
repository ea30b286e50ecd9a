"""Scratch PostgreSQL databases for the tests, on the server named by TEST_DATABASE_URL.

Each database is created fresh with a unique name and dropped afterwards, so the suite never touches
the database TEST_DATABASE_URL names (it is only the way in to the server).
"""

import os
import uuid

import psycopg2
from psycopg2 import sql
from sqlalchemy.engine import make_url

ENABLE_HINT = (
    "To run them: TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python -m pytest "
    "(any database on the server; the tests create and drop their own)"
)


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class PostgresServer:
    def __init__(self, url):
        self.url = make_url(url).set(drivername="postgresql+psycopg2")

    def maintenance_connection(self):
        connection = psycopg2.connect(
            host=self.url.host or "127.0.0.1", port=self.url.port or 5432, user=self.url.username,
            password=self.url.password, dbname=self.url.database or "postgres", connect_timeout=3,
        )
        connection.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        return connection

    def check_reachable(self):
        self.maintenance_connection().close()

    def execute(self, statement, params=None):
        """Run one statement outside any transaction; the first row of its result, if any."""
        connection = self.maintenance_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()

    def create_database(self, prefix="loopin_test"):
        """A new empty database; returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url):
        name = make_url(url).database
        self.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def count_connections(self, application_name):
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
        return self.execute(query, (application_name,))[0]
