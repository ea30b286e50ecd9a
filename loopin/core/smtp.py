"""Opening an SMTP connection the way the settings say (MAIL_SERVER, MAIL_PORT, TLS from the first
byte or STARTTLS, always with certificate checks, and the login when a username is set): the mail
sender's and `check`'s one way to reach the server."""

import smtplib
import ssl


def open_smtp(config, timeout):
    """A connected, logged-in smtplib connection; raises smtplib.SMTPException or OSError."""
    context = ssl.create_default_context()
    if config["MAIL_USE_SSL"]:
        connection = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout, context=context)
    else:
        connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            connection.starttls(context=context)
        if config["MAIL_USERNAME"]:
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        connection.close()
        raise
    return connection
