"""Process shutdown: log it and close every database connection, however the process ends.

waitress stops on Ctrl+C (KeyboardInterrupt) or SIGTERM; the debug reloader's child exits with
sys.exit. Python runs atexit hooks for the first and last, and SIGTERM is turned into a normal exit
so it does too. Registering is cheap and does no I/O: this runs inside create_app.
"""

import atexit
import signal
import sys
import threading
import weakref

from .extensions import db
from .logs import lifecycle_log as log

_live_apps = weakref.WeakSet()
_installed = False
STOP_SIGNALS = ("SIGTERM", "SIGBREAK")  # SIGBREAK exists on Windows only


def exit_on_sigterm(_signum, _frame):
    # SystemExit unwinds the server loop and runs atexit hooks; the default action would not.
    sys.exit(0)


def close_all_engines():
    apps = list(_live_apps)
    if not apps:
        return
    log.info("Shutting down")
    for app in apps:
        with app.app_context():
            db.engine.dispose()
    log.info("Database connections closed")


def register_shutdown(app):
    """Have `app`'s engine disposed when the process ends (the app is held weakly)."""
    global _installed
    _live_apps.add(app)
    if _installed:
        return
    _installed = True
    atexit.register(close_all_engines)
    # Only the main thread may set handlers, and a handler someone else installed is theirs to keep.
    # SIGBREAK is what Windows delivers for Ctrl+Break and a service manager's stop (it has no SIGTERM
    # from a console); it ends the process the same way.
    if threading.current_thread() is threading.main_thread():
        for name in STOP_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) is signal.SIG_DFL:
                signal.signal(number, exit_on_sigterm)
