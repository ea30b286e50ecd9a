"""The copy an SQLite upgrade of the original's database makes of it first, in the instance folder:
`<name>-before-upgrade.db`, never over an earlier one (`-2`, `-3`, ... then). SQLite's own backup API,
so the copy is consistent even while another process has the file open."""

import os
import sqlite3


class BackupFailed(RuntimeError):
    pass


def backup_path(database, instance_path):
    stem = os.path.splitext(os.path.basename(database))[0]
    candidate, number = os.path.join(instance_path, f"{stem}-before-upgrade.db"), 1
    while os.path.exists(candidate):
        number += 1
        candidate = os.path.join(instance_path, f"{stem}-before-upgrade-{number}.db")
    return candidate


def back_up(dbapi_connection, database, instance_path):
    """The backup's path; BackupFailed when it cannot be made (then nothing else happens)."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupFailed("an in-memory database cannot be backed up; upgrade a database file")
    try:
        os.makedirs(instance_path, mode=0o700, exist_ok=True)
        path = backup_path(database, instance_path)
        target = sqlite3.connect(path)
        try:
            dbapi_connection.backup(target)
        finally:
            target.close()
        os.chmod(path, 0o600)  # the accounts' password hashes are in it
    except (OSError, sqlite3.Error) as error:
        raise BackupFailed(f"could not write the backup in {instance_path}: {error}") from error
    return path
