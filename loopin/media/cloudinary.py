"""Cloudinary's settings and its documented request signature
(https://cloudinary.com/documentation/authentication_signatures): the parameters the client will send,
sorted by name as `name=value` joined by `&`, with the API secret appended, hashed with SHA-1."""

import hashlib
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from flask import current_app


@dataclass(frozen=True)
class Cloud:
    name: str
    api_key: str
    api_secret: str
    folder: str


def configured_cloud():
    """The Cloud of CLOUDINARY_URL (`cloudinary://<api_key>:<api_secret>@<cloud_name>`), or None."""
    url = current_app.config["CLOUDINARY_URL"]
    if not url:
        return None
    parts = urlsplit(url)
    return Cloud(name=parts.hostname, api_key=unquote(parts.username), api_secret=unquote(parts.password),
                 folder=current_app.config["CLOUDINARY_FOLDER"])


def api_signature(params, api_secret):
    signed = "&".join(f"{name}={value}" for name, value in sorted(params.items()))
    return hashlib.sha1((signed + api_secret).encode()).hexdigest()  # noqa: S324 (Cloudinary's algorithm)
