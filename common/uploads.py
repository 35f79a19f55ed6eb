"""Uploaded files, one set of rules for every feature (accreditation proofs, bid documents, report
evidence): the type is recognised by the first bytes (never by the name or the type the browser
claims), the size is limited, files are stored outside the web root under ``UPLOAD_DIR/<subdir>``
with a random name, and only ever served as attachments with ``nosniff`` by the views."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

# kind -> (first bytes, MIME type, extension)
SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf", ".pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
}
DOCUMENTS_AND_IMAGES = ("pdf", "png", "jpeg")


class UploadRejected(ValueError):
    """``code``: too_large | empty | wrong_type. The caller turns it into a message on its field."""

    def __init__(self, code: str, filename: str = ""):
        super().__init__(code)
        self.code = code
        self.filename = filename


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content: bytes
    mime: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_name(filename: str, extension: str, default_stem: str = "file") -> str:
    """Last path component, printable characters only; the extension follows the real content."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>;')[:150].strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (stem or default_stem) + extension


def check_file(filename: str, content: bytes, max_bytes: int, *,
               allowed: tuple[str, ...] = DOCUMENTS_AND_IMAGES, default_stem: str = "file") -> CheckedFile:
    """The checked file, or ``UploadRejected`` (nothing is written here)."""
    if len(content) > max_bytes:
        raise UploadRejected("too_large", filename)
    if not content:
        raise UploadRejected("empty", filename)
    for kind in allowed:
        magic, mime, extension = SIGNATURES[kind]
        if content.startswith(magic):
            return CheckedFile(clean_name(filename, extension, default_stem), content, mime, extension)
    raise UploadRejected("wrong_type", filename)


def store(content: bytes, extension: str, upload_dir: str, subdir: str) -> str:
    """Write ``content`` under ``upload_dir/subdir`` with a random name; return that name."""
    folder = Path(upload_dir) / subdir
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + extension
    (folder / stored_name).write_bytes(content)
    return stored_name


def stored_path(upload_dir: str, subdir: str, stored_name: str) -> Path:
    """The path of a stored file; FileNotFoundError for a missing file or a name leaving the folder."""
    root = (Path(upload_dir) / subdir).resolve()
    path = (root / stored_name).resolve()
    if not stored_name or not path.is_relative_to(root) or not path.is_file():
        raise FileNotFoundError(stored_name)
    return path


def remove(upload_dir: str, subdir: str, stored_name: str) -> None:
    try:
        stored_path(upload_dir, subdir, stored_name).unlink()
    except FileNotFoundError:
        pass
