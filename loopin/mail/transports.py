"""How a message leaves: SMTP (MAIL_SERVER set) or, in development, an .eml file in instance/outbox/
whose path is logged (never its contents: links in it carry tokens)."""

import logging
import os
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime

from ..core.smtp import open_smtp

log = logging.getLogger("loopin.mail")
SMTP_TIMEOUT = 15  # seconds; a hung server must not hold a claim for long


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): retrying would not help."""


def build(config, row, now):
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = row.message_id
    message.set_content(row.body)
    return message


class FileTransport:
    """Development: each message becomes instance/outbox/<id>.eml."""

    def __init__(self, config, instance_path):
        self.folder = os.path.join(instance_path, "outbox")

    def __enter__(self):
        # Owner only, like the instance folder: the messages hold live verification and reset links.
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        return self

    def __exit__(self, *exc):
        return False

    def send(self, message, row):
        path = os.path.join(self.folder, f"{row.id}.eml")
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write(bytes(message))
        log.info("Mail %s to the outbox folder: %s", row.id, path)


class SmtpTransport:
    """One connection for a batch of messages: TLS as configured, login when a username is set."""

    def __init__(self, config, _instance_path):
        self.config = config
        self.connection = None

    def __enter__(self):
        self.connection = open_smtp(self.config, SMTP_TIMEOUT)
        return self

    def __exit__(self, *exc):
        try:
            self.connection.quit()
        except (smtplib.SMTPException, OSError):
            self.connection.close()
        return False

    def send(self, message, row):
        try:
            self.connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _text in refused.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentFailure(f"recipient refused ({', '.join(map(str, codes))})") from None
            raise
        except smtplib.SMTPDataError as error:
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(f"message refused ({error.smtp_code})") from None
            raise
        log.info("Mail %s sent by SMTP", row.id)


def transport_for(config, instance_path):
    kind = SmtpTransport if config["MAIL_SERVER"] else FileTransport
    return kind(config, instance_path)
