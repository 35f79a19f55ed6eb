"""Storage of bid documents: PDF only (checked by its first bytes, not by its name or the type the
browser claims), size-limited, kept under UPLOAD_DIR with a random name, hashed with SHA-256."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

PDF_MAGIC = b"%PDF-"
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
    if len(upload.content) > max_bytes:
        raise DocumentError(upload.kind, _l("The file is larger than %(mb).1f MB.", mb=max_bytes / 1048576))
    if not upload.content.startswith(PDF_MAGIC):
        raise DocumentError(upload.kind, _l("Only PDF files are accepted."))


def clean_name(filename: str) -> str:
    """The uploaded file's name, reduced to its last component and printable characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')[:200]
    return name or "document.pdf"


def store(upload: Upload, upload_dir: str) -> str:
    """Write the file under ``UPLOAD_DIR/bids`` with a random name; return that name."""
    folder = Path(upload_dir) / SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + ".pdf"
    (folder / stored_name).write_bytes(upload.content)
    return stored_name


def stored_path(upload_dir: str, stored_name: str) -> Path:
    path = (Path(upload_dir) / SUBDIR / stored_name).resolve()
    if not path.is_relative_to((Path(upload_dir) / SUBDIR).resolve()):
        raise FileNotFoundError(stored_name)
    return path
