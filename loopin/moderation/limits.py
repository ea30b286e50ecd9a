"""The report limit: RATELIMIT_REPORTS_PER_USER per signed-in user, in the limiter's shared storage.
Only a report made counts (a 409 or a 422 costs nothing)."""

from ..auth.limits import caller_account
from ..web.api import Limit
from ..web.ratelimits import setting

TOO_MANY_REPORTS = "Too many reports. Please wait before reporting again."


def report_made(response):
    return response.status_code == 201


REPORT_LIMITS = [Limit(setting("RATELIMIT_REPORTS_PER_USER"), caller_account, "report", TOO_MANY_REPORTS,
                       deduct_when=report_made)]
