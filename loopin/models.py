"""SQLAlchemy models. Table `users` keeps the original's four columns exactly, so its database can be
adopted; Loopin's additions come after them and arrive through later migrations."""

from sqlalchemy import Boolean, DateTime, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from .extensions import db


class User(db.Model):
    __tablename__ = "users"

    # The original's columns (create_all of its day-1 model).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    email: Mapped[str] = mapped_column(String, unique=True, index=True, nullable=False)
    hashed_password: Mapped[str] = mapped_column(String, nullable=False)
    is_active: Mapped[bool | None] = mapped_column(Boolean, default=True)

    # Loopin's additions. The database stamps the time, so nothing is evaluated at import.
    created_at = mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())

    __table_args__ = (
        # One account per address whatever its letter case; the original's index stays for exact lookups.
        Index("uq_users_email_lower", func.lower(email), unique=True),
    )

    def __repr__(self):
        return f"<User {self.id}>"
