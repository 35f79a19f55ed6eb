"""Storage of bid documents: PDF only (checked by its first bytes, not by its name or the type the
browser claims), size-limited, kept under UPLOAD_DIR with a random name, hashed with SHA-256."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from common import uploads as shared

DOCUMENT_KINDS = ("insertion_plan", "memo")
KIND_LABELS = {"insertion_plan": _l("Insertion plan"), "memo": _l("Technical memo")}
SUBDIR = "bids"


@dataclass(frozen=True)
class Upload:
    """A file received with a bid, checked but not yet stored."""

    kind: str
    filename: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class DocumentError(ValueError):
    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def check_upload(upload: Upload, max_bytes: int) -> None:
    """Refuse anything that is not a PDF within the size limit (nothing is stored here)."""
    if upload.kind not in DOCUMENT_KINDS:
        raise DocumentError(upload.kind, _l("Unknown kind of document."))
    try:
        shared.check_file(upload.filename, upload.content, max_bytes, allowed=("pdf",))
    except shared.UploadRejected as exc:
        if exc.code == "too_large":
            raise DocumentError(upload.kind, _l("The file is larger than %(mb).1f MB.",
                                                mb=max_bytes / 1048576)) from exc
        raise DocumentError(upload.kind, _l("Only PDF files are accepted.")) from exc


def clean_name(filename: str) -> str:
    """The uploaded file's name, reduced to its last component and printable characters."""
    return shared.clean_name(filename, ".pdf", "document")


def store(upload: Upload, upload_dir: str) -> str:
    """Write the file under ``UPLOAD_DIR/bids`` with a random name; return that name."""
    return shared.store(upload.content, ".pdf", upload_dir, SUBDIR)


def stored_path(upload_dir: str, stored_name: str) -> Path:
    return shared.stored_path(upload_dir, SUBDIR, stored_name)
