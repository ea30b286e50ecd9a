"""Join the two branches after 0003: the profiles (0005) and the case-insensitive emails (0004).

0005 branches from 0003 rather than following 0004, so an adopted database whose addresses differ only
by case (0004 stops on it) still gets every table and column this version's code needs: Loopin runs
fully while the duplicates are resolved, as it did at 0003.

Revision ID: 0006_merge_profiles_and_case
Revises: 0004_email_case_insensitive, 0005_profiles_roles_audit
Create Date: 2026-11-27
"""

revision = "0006_merge_profiles_and_case"
down_revision = ("0004_email_case_insensitive", "0005_profiles_roles_audit")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
