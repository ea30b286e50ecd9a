"""Report and review endpoints (docs/moderation.md)."""

from ..auth.models import ADMIN
from ..auth.tokens import VERIFIED_ADDRESS
from ..core import clock
from ..core.database import as_dicts, transaction
from ..web.api import endpoint
from ..web.errors import error_response
from .blueprint import reports_bp, review_bp
from .limits import REPORT_LIMITS, TOO_MANY_REPORTS
from .queue import queue_items, review_queue
from .reporting import ALREADY, NOT_FOUND, OWN, ReportRefused, report
from .resolution import NOTHING_OPEN, NothingToResolve, resolve
from .schemas import Queue, QueueQuery, ReportIn, ReportOut, Resolution, Resolved, TargetPath


@reports_bp.post("/", strict_slashes=False)
@endpoint(body=ReportIn, ok=ReportOut, status=201, auth=True, requires=[VERIFIED_ADDRESS], limits=REPORT_LIMITS,
          tags=["moderation"], errors={404: " / ".join(NOT_FOUND.values()), 409: " / ".join(ALREADY.values()),
                                       422: " / ".join(OWN.values()), 429: TOO_MANY_REPORTS})
def new_report(body, caller):
    """Report a post or a comment (`post_id` or `comment_id`) to the admins. Reports from enough people
    hide it until an admin reviews it (REPORT_HIDE_THRESHOLD); an admin's report hides it at once. You
    see your own report only, never who else reported."""
    try:
        with transaction():
            row = report(caller, body, clock.utcnow())
    except ReportRefused as refused:
        return error_response(refused.status, refused.detail)
    return ReportOut.model_validate(as_dicts([row])[0]), 201


@review_bp.get("/", strict_slashes=False)
@endpoint(query=QueueQuery, ok=Queue, roles=[ADMIN], tags=["moderation"])
def list_reports(query, caller):
    """The review queue: one row per reported post or comment, with its reports counted by reason,
    targets with open reports first, the latest reported first. The author of an anonymous post is
    shown (admins only)."""
    return Queue.model_validate(queue_items(review_queue(query.status, query.skip, query.limit)))


@review_bp.post("/<target>/resolve")
@endpoint(path=TargetPath, body=Resolution, ok=Resolved, roles=[ADMIN], tags=["moderation"],
          errors={404: NOTHING_OPEN})
def resolve_reports(path, body, caller):
    """Review a reported `post-<id>` or `comment-<id>`: `dismiss` (shown again), `warn` (shown again,
    its author told why: `note`, or the reports' main reason) or `remove` (deleted, its author told
    why). Every open report on it closes; its reporters are told it was handled, not how. Audited."""
    kind, target_id = path.target
    try:
        with transaction():
            name, resolution, closed = resolve(caller.user, kind, target_id, body.action, body.note, clock.utcnow())
    except NothingToResolve:
        return error_response(404, NOTHING_OPEN)
    return Resolved(target=name, resolution=resolution, reports_closed=closed)
