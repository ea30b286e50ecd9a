"""Join the accounts' branch and the board.

The accounts' branch (0010, 0012) holds the columns of `users` that an adopted database blocked by
case duplicates at 0004 still needs; the board is 0011.

Revision ID: 0013_join_accounts_and_board
Revises: 0011_mail_and_account_lifecycle, 0012_accounts_always_named
Create Date: 2026-12-02
"""

revision = "0013_join_accounts_and_board"
down_revision = ("0011_mail_and_account_lifecycle", "0012_accounts_always_named")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
