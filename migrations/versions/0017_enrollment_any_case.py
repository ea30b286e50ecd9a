"""One student per enrollment number whatever its letter case: a unique index on lower(enrollment_number).

`E-001` and `e-001` were two numbers. Numbers that differ only by case already held by two accounts
stop this revision, which names them and changes nothing (as 0004 does for addresses): an admin
clears or corrects one (`PATCH /admin/users/{id}` or `loopin users ...`), then `loopin db upgrade`
again.

Revision ID: 0017_enrollment_any_case
Revises: 0016_ids_never_reused
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_enrollment_any_case"
down_revision = "0016_ids_never_reused"
branch_labels = None
depends_on = None

CASE_DUPLICATES = sa.text(
    "SELECT lower(enrollment_number) AS number, count(*) AS accounts FROM users WHERE enrollment_number IS NOT NULL "
    "GROUP BY lower(enrollment_number) HAVING count(*) > 1 ORDER BY lower(enrollment_number)")


class EnrollmentCaseDuplicates(RuntimeError):
    pass


def upgrade():
    duplicates = op.get_bind().execute(CASE_DUPLICATES).all()
    if duplicates:
        listed = ", ".join(f"{row.number} ({row.accounts} accounts)" for row in duplicates)
        raise EnrollmentCaseDuplicates(
            f"Cannot make enrollment numbers case-insensitive: {listed} differ only by letter case. Nothing "
            "was changed by this step; correct or clear all but one, then run `loopin db upgrade` again.")
    op.create_index("uq_users_enrollment_number_lower", "users", [sa.text("lower(enrollment_number)")], unique=True)
    op.drop_index("uq_users_enrollment_number", table_name="users")


def downgrade():
    op.create_index("uq_users_enrollment_number", "users", ["enrollment_number"], unique=True)
    op.drop_index("uq_users_enrollment_number_lower", table_name="users")
