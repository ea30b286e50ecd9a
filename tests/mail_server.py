"""A real SMTP server in-process (aiosmtpd), for the mail tests: it keeps what it receives, can refuse
recipients for good (550), and can be stopped and started again on the same port."""

import email
import re
import time

from aiosmtpd.controller import Controller
from helpers import free_port

LINK_TOKEN = re.compile(r"\?token=([A-Za-z0-9_\-]+)")


class Inbox:
    """The aiosmtpd handler: every accepted message, parsed."""

    def __init__(self):
        self.messages, self.refused = [], set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller = None

    @property
    def settings(self):
        """What an app needs to send here (plain SMTP on localhost: no TLS, no login)."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_USE_TLS": False}

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]

    def wait_for(self, count, seconds=20):
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


def token_in(message):
    """The token of the link in a message's body."""
    return LINK_TOKEN.search(message.get_payload(decode=True).decode()).group(1)
