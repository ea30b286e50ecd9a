"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


# SQLite: batch mode rebuilds a table by copy and DROP. Rebuilding `users` drops its expression index
# uq_users_email_lower; re-create it in this revision:
#     op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
# (migrations/env.py runs migrations with SQLite's foreign keys off, so the DROP cascades nowhere.)
# Rebuilding `posts`, `comments` or `users` also drops the search triggers on it (0020_search): make
# them again here, as 0020 makes them.


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
