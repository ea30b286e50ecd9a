"""The background sender: one thread per server process that delivers the outbox when a transaction
of this process queued mail (woken after its commit) and every MAIL_SEND_INTERVAL seconds besides
(retries, and mail other processes or `flask` commands queued), then purges what the retention lets go
(mail/retention.py). Requests never wait on it."""

import logging
import threading
import weakref
from datetime import timedelta

from ..core.clock import utcnow
from .delivery import deliver_due
from .retention import purge_outbox

log = logging.getLogger("loopin.mail")


class BackgroundSender:
    def __init__(self, app, interval):
        # Held weakly: an app that is gone (a test's, a script's) takes its sender with it.
        self.app, self.interval = weakref.ref(app), interval
        self.failures = 0
        self.woken, self.stopping = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self.run, name="loopin-mail-sender", daemon=True)

    def start(self):
        # The first pass comes after one interval (or the first commit that queues mail): building the
        # app opens no connection, and mail left from before a restart waits only that long.
        self.thread.start()

    def wake(self):
        self.woken.set()

    def stop(self, timeout=None):
        self.stopping.set()
        self.woken.set()
        self.thread.join(timeout)

    def run(self):
        while not self.stopping.is_set():
            self.woken.wait(self.interval)
            self.woken.clear()
            app = self.app()
            if self.stopping.is_set() or app is None:
                return
            try:
                with app.app_context():
                    deliver_due()
                    purge_outbox(utcnow() - timedelta(days=app.config["MAIL_RETENTION_DAYS"]))
            except Exception as error:  # the database is down, say: the next pass tries again
                self.failures += 1  # /metrics shows it (loopin_mail_sender_failures_total)
                log.warning("Mail delivery pass failed (%s); the next pass retries", type(error).__name__)
            del app  # not held while waiting
