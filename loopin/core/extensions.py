"""Flask extensions, created unbound: importing this module opens nothing. `create_app` binds them.
Flask-Migrate is not here: command lines register it (core/schema.py), servers never load it."""

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


# Objects keep the values they were committed with: a request never re-reads what it just wrote.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
jwt = JWTManager()
cors = CORS()
