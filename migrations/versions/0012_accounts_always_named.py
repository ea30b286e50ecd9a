"""Accounts always named, and signed in by Firebase.

`users.firebase_uid` (a verified external identity, unique); `hashed_password` may be NULL (accounts
made from Firebase have none, as in the original's later version); usernames unique whatever their
letter case and shown as given; and every existing account gets a username and a display name
(`full_name`) if it has none: the local part by the original's rule (loopin/auth/usernames.py; written
out here, since a revision never changes with the code), numbered in id order where taken (one pass,
no race, so no random digits needed).

On the accounts' branch (after 0010, like it): an adopted database that 0004 stops on, for addresses
that differ only by case, still gets every column the accounts need, so everyone signs in while the
duplicates are resolved. 0013 joins the branches again.

SQLite makes `hashed_password` nullable by rebuilding `users` in batch mode, which drops its expression
index (when 0004 made it already) and the audience triggers (when 0009 made them): what exists is read
before and made again after.

Revision ID: 0012_accounts_always_named
Revises: 0010_users_email_verified
Create Date: 2026-12-02
"""

import warnings

import sqlalchemy as sa
from alembic import op

revision = "0012_accounts_always_named"
down_revision = "0010_users_email_verified"
branch_labels = None
depends_on = None

MAX_LENGTH = 30
BATCH = 5000


def username_base(email):
    local = email.rpartition("@")[0]
    base = "".join(c for c in local if c.isascii() and (c.isalnum() or c in "_-"))[:MAX_LENGTH]
    return base if len(base) >= 3 else base + "user"


def first_free(base, taken):
    number, candidate = 1, base
    while candidate.lower() in taken:
        number += 1
        candidate = base[:MAX_LENGTH - len(str(number))] + str(number)
    return candidate


def name_every_account(bind):
    """Usernames (and display names) for the accounts without, in id order, in batches."""
    users = sa.table("users", sa.column("id"), sa.column("email"), sa.column("username"), sa.column("full_name"))
    taken = {name.lower() for name in bind.execute(sa.select(users.c.username)
                                                   .where(users.c.username.isnot(None))).scalars()}
    unnamed = sa.or_(users.c.username.is_(None), users.c.full_name.is_(None))
    last = 0
    while True:
        rows = bind.execute(sa.select(users.c.id, users.c.email, users.c.username, users.c.full_name)
                            .where(unnamed, users.c.id > last).order_by(users.c.id).limit(BATCH)).all()
        if not rows:
            return
        changes = []
        for row in rows:
            username = row.username or first_free(username_base(row.email), taken)
            taken.add(username.lower())
            changes.append({"row_id": row.id, "new_username": username, "new_full_name": row.full_name or username})
        bind.execute(users.update().where(users.c.id == sa.bindparam("row_id"))
                     .values(username=sa.bindparam("new_username"), full_name=sa.bindparam("new_full_name")), changes)
        last = rows[-1].id


def rebuild_users(bind, alterations):
    """Batch-alter `users`; on SQLite the rebuild loses the expression index and the triggers: keep them."""
    sqlite = bind.dialect.name == "sqlite"
    kept = sa.text("SELECT sql FROM sqlite_master WHERE type = :type AND tbl_name = 'users' AND name LIKE :name")
    triggers, email_index = ([bind.execute(kept, {"type": kind, "name": name}).scalars().all()
                              for kind, name in (("trigger", "%"), ("index", "uq_users_email_lower"))]
                             if sqlite else ([], []))
    with warnings.catch_warnings():  # SQLAlchemy cannot reflect lower(email) or lower(username): made below
        warnings.filterwarnings("ignore", message=".*expression-based index")
        with op.batch_alter_table("users", reflect_kwargs={"resolve_fks": False}) as batch:
            alterations(batch)
    for statement in [*email_index, *triggers]:
        bind.execute(sa.text(statement))


def upgrade():
    bind = op.get_bind()

    def alterations(batch):
        batch.add_column(sa.Column("firebase_uid", sa.String(128), nullable=True))
        batch.alter_column("hashed_password", existing_type=sa.String(), nullable=True)
        batch.drop_index("uq_users_username")

    rebuild_users(bind, alterations)
    op.create_index("uq_users_firebase_uid", "users", ["firebase_uid"], unique=True)
    name_every_account(bind)
    op.create_index("uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True)


def downgrade():
    bind = op.get_bind()
    op.drop_index("uq_users_username_lower", table_name="users")
    op.drop_index("uq_users_firebase_uid", table_name="users")
    bind.execute(sa.text("UPDATE users SET hashed_password = '!' WHERE hashed_password IS NULL"))
    bind.execute(sa.text("UPDATE users SET username = lower(username)"))

    def alterations(batch):
        batch.drop_column("firebase_uid")
        batch.alter_column("hashed_password", existing_type=sa.String(), nullable=False)
        batch.create_index("uq_users_username", ["username"], unique=True)

    rebuild_users(bind, alterations)
