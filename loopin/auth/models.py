"""The auth feature's models. Table `users` keeps the original's four columns exactly, so its database can be
adopted; Loopin's additions come after them and arrive through later migrations."""

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.clock import as_utc
from ..core.extensions import db

STUDENT, FACULTY, ADMIN = "student", "faculty", "admin"
ROLES = (STUDENT, FACULTY, ADMIN)


class User(db.Model):
    __tablename__ = "users"

    # The original's columns (create_all of its day-1 model).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    email: Mapped[str] = mapped_column(String, unique=True, index=True, nullable=False)
    # NULL: no password (an account made from a Firebase sign-in, or one whose password was disabled
    # when a verified identity claimed it); a password login fails for it like a wrong password.
    hashed_password: Mapped[str | None] = mapped_column(String, nullable=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean, default=True)

    # Loopin's additions. The database stamps the time, so nothing is evaluated at import.
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    # Tokens without a session (minted by the original) issued before this moment are refused:
    # set by "log out everywhere" and by a password change.
    tokens_valid_after = mapped_column(DateTime(timezone=True), nullable=True)

    # Profile and role (docs/api.md; revision 0005). Every account has a username (revision 0012),
    # shown as given and unique whatever its letter case.
    username = mapped_column(String(30), nullable=True)
    full_name = mapped_column(String(100), nullable=True)
    department = mapped_column(String(64), nullable=True)
    bio = mapped_column(String(500), nullable=True)
    profile_photo_url = mapped_column(String(2048), nullable=True)
    enrollment_number = mapped_column(String(32), nullable=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default=STUDENT, server_default=STUDENT)
    # Set when a link mailed to the address was followed (revision 0010).
    email_verified_at = mapped_column(DateTime(timezone=True), nullable=True)
    # The Firebase user id of a verified identity that signs in to this account (revision 0012).
    firebase_uid = mapped_column(String(128), nullable=True)
    # When the department last changed (NULL: never): a department's announcements reach those who were
    # in it when they were sent (notifications/audience.py; revisions 0018, 0019).
    department_since = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        # One account per address whatever its letter case; the original's index stays for exact lookups.
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("uq_users_username_lower", func.lower(username), unique=True),
        Index("uq_users_firebase_uid", firebase_uid, unique=True),
        # One student per enrollment number whatever its letter case (revision 0017).
        Index("uq_users_enrollment_number_lower", func.lower(enrollment_number), unique=True),
        Index("ix_users_role", role),
        # Ids never reused on SQLite (revision 0016): audit rows name them.
        {"sqlite_autoincrement": True},
    )

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    @property
    def can_sign_in(self):
        """Whether this account may sign in or use its tokens (the original's NULL counts as active)."""
        return self.is_active is not False

    def __repr__(self):
        return f"<User {self.id}>"


def session_is_live(revoked_at, expires_at, now):
    """Not revoked and not expired: the one rule, for a loaded session or a row of its columns."""
    return revoked_at is None and as_utc(expires_at) > now


class AuthSession(db.Model):
    """One sign-in: the refresh-token chain that login started. Its tokens carry its id as `sid`.

    A token whose session is missing, revoked or expired is refused; rotation keeps the current refresh
    token's jti and the one before it (for the grace window), so a spent token is recognised as reuse.
    """

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False)
    refresh_jti: Mapped[str] = mapped_column(String(36), nullable=False)
    previous_refresh_jti = mapped_column(String(36), nullable=True)
    rotated_at = mapped_column(DateTime(timezone=True), nullable=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    last_used_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    expires_at = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    revoked_at = mapped_column(DateTime(timezone=True), nullable=True)
    user_agent = mapped_column(String(256), nullable=True)
    ip = mapped_column(String(64), nullable=True)

    # Inner join: a session always has its user, and row locks (FOR UPDATE) refuse outer joins.
    user: Mapped[User] = relationship(User, lazy="joined", innerjoin=True)

    def is_live(self, now):
        return session_is_live(self.revoked_at, self.expires_at, now)

    def __repr__(self):
        return f"<AuthSession {self.id} user={self.user_id}>"


class EmailToken(db.Model):
    """A single-use token mailed to a user (verify the address, reset the password). Only its SHA-256
    is stored: the database alone cannot be turned into working links."""

    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    purpose: Mapped[str] = mapped_column(String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())
    expires_at = mapped_column(DateTime(timezone=True), nullable=False)
    used_at = mapped_column(DateTime(timezone=True), nullable=True)
