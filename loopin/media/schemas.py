"""What `GET /media/signature` answers: the original's shapes."""

from typing import Literal

from pydantic import BaseModel, RootModel


class SignedUpload(BaseModel):
    """Everything the client sends Cloudinary with the file: exactly the signed `folder` and
    `timestamp`, plus `api_key` and `signature`."""

    mock: Literal[False] = False
    signature: str
    timestamp: int
    api_key: str
    cloud_name: str
    folder: str


class MockUpload(BaseModel):
    """Cloudinary is not configured (CLOUDINARY_URL unset): the original's development answer."""

    mock: Literal[True] = True
    message: str


class UploadSignature(RootModel[SignedUpload | MockUpload]):
    """A signed upload, or the mock answer when Cloudinary is not configured."""
