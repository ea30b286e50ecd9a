"""The security log: one JSON line per security event on the `loopin.audit` logger (its name kept
from the first release, so log routing set up for it keeps working). Rows of privileged actions are
the audit trail, another thing (`loopin/audit/`).

Events: signup, login (success or failure), logout, password_change, refresh_reuse, lockout. Each line
holds the event, its outcome, the user id when known, the client IP and user agent. Never a password,
token or hash, and never the email of a failed login (people type passwords into the email field).
"""

import json
import logging

from flask import has_request_context

from ..core.clock import utcnow
from .client import client_ip, client_user_agent

log = logging.getLogger("loopin.audit")


def security_event(event, outcome, user_id=None, **details):
    record = {"time": utcnow().isoformat(), "event": event, "outcome": outcome, "user_id": user_id}
    if has_request_context():
        record["ip"] = client_ip()
        record["user_agent"] = client_user_agent() or ""
    record.update(details)
    # The message is the record as one JSON line (LOG_FORMAT=text); `audit` carries its fields for the
    # JSON formatter (LOG_FORMAT=json), which puts them beside the time, level and process id.
    log.info(json.dumps(record, ensure_ascii=False, separators=(",", ":")), extra={"audit": record})
