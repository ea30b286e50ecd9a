"""Which media a post may carry: what was uploaded to the configured cloud and folder, nothing else (no
arbitrary link presented as an upload, no `blob:` preview of a file that never left the browser).
Checked by posts' input models, with the settings of the app that serves the request."""

from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from .cloudinary import configured_cloud

HOST = "res.cloudinary.com"
NOT_CONFIGURED = "media uploads are not configured on this server (CLOUDINARY_URL)"


def cloud_or_refuse(kind):
    cloud = configured_cloud()
    if cloud is None:
        raise PydanticCustomError(kind, NOT_CONFIGURED)
    return cloud


def hosted_media_url(value):
    """An https://res.cloudinary.com/<cloud>/<image|video>/upload/[v<n>/]<folder>/... address."""
    if value is None:
        return value
    cloud = cloud_or_refuse("media_url")
    parts = urlsplit(value)
    segments = parts.path.split("/")[1:]
    if segments[3:4] and segments[3].startswith("v") and segments[3][1:].isdigit():
        del segments[3]  # the version Cloudinary adds
    folder = cloud.folder.split("/")
    if parts.scheme != "https" or parts.netloc != HOST or segments[:1] != [cloud.name] \
            or segments[1:3] not in (["image", "upload"], ["video", "upload"]) \
            or segments[3:3 + len(folder)] != folder or len(segments) <= 3 + len(folder):
        raise PydanticCustomError(
            "media_url", "media_url must be an upload to this server's Cloudinary folder: "
            "https://{host}/{cloud}/image/upload/.../{folder}/...", {"host": HOST, "cloud": cloud.name,
                                                                     "folder": cloud.folder})
    return value


def hosted_public_id(value):
    """A public id in the configured folder."""
    if value is None:
        return value
    cloud = cloud_or_refuse("media_public_id")
    if not value.startswith(cloud.folder + "/") or ".." in value:
        raise PydanticCustomError("media_public_id", "media_public_id must be in this server's Cloudinary "
                                  "folder '{folder}'", {"folder": cloud.folder})
    return value
