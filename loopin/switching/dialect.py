"""The few SQL spellings that differ between PostgreSQL and SQLite in the copy."""


class Spelling:
    def __init__(self, name):
        self.postgresql = name == "postgresql"

    def utc(self, column):
        """A naive UTC time of the original (`timestamp without time zone`) as Loopin's time. PostgreSQL
        would read it in the session's zone; SQLite keeps both as the same text."""
        return f"({column} AT TIME ZONE 'UTC')" if self.postgresql else column

    def seconds_between(self, later, earlier):
        if self.postgresql:
            return f"extract(epoch FROM {later} - {earlier})"
        return f"((julianday({later}) - julianday({earlier})) * 86400)"

    def json_note(self, column):
        return f"json_build_object('note', {column})" if self.postgresql else f"json_object('note', {column})"
