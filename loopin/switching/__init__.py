"""Switching from the original's later version: `loopin db upgrade` recognises the database that version
leaves behind and brings it to Loopin's head in place (takeover.py, called by migrations/env.py), and
`loopin check` says beforehand what that upgrade will do (preview.py). No blueprint: nothing here
serves a request."""

from ..core.schema import FOREIGN_SCHEMAS
from .preview import later_original_check


def init_app(app):
    app.extensions.setdefault(FOREIGN_SCHEMAS, []).append(later_original_check)
