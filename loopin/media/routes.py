"""GET /media/signature: a signed direct upload to Cloudinary for the signed-in caller."""

import time

from ..web.api import endpoint
from .blueprint import bp
from .cloudinary import api_signature, configured_cloud
from .schemas import MockUpload, SignedUpload, UploadSignature

NOT_CONFIGURED = "Cloudinary credentials missing. Running in local simulation mode."


@bp.get("/signature")
@endpoint(ok=UploadSignature, auth=True, tags=["media"])
def upload_signature(caller):
    """Sign an upload of one file to Cloudinary (post it to https://api.cloudinary.com/v1_1/<cloud_name>/upload
    with `file`, `api_key`, `timestamp`, `signature` and `folder`). Signatures expire after an hour."""
    cloud = configured_cloud()
    if cloud is None:
        return UploadSignature(MockUpload(message=NOT_CONFIGURED))
    timestamp = int(time.time())
    signature = api_signature({"folder": cloud.folder, "timestamp": timestamp}, cloud.api_secret)
    return UploadSignature(SignedUpload(signature=signature, timestamp=timestamp, api_key=cloud.api_key,
                                        cloud_name=cloud.name, folder=cloud.folder))
