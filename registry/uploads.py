"""Accreditation proofs: PDF, PNG or JPEG recognised by their first bytes (never by the file name or
the type the browser claims), at most UPLOAD_MAX_FILE_BYTES, stored under UPLOAD_DIR/registry with a
random name, hashed with SHA-256. Served only as attachments (see registry.views)."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l

from registry.validation import ValidationError

SUBDIR = "registry"
# (first bytes, MIME type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass(frozen=True)
class Proof:
    filename: str
    content: bytes
    mime: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_name(filename: str, extension: str) -> str:
    """Last path component, printable characters only; the extension follows the real content."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>;')[:150].strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (stem or "proof") + extension


def check_proof(filename: str, content: bytes, max_bytes: int, field: str = "proof") -> Proof:
    """The proof, or ValidationError naming ``field`` (nothing is written here)."""
    if len(content) > max_bytes:
        raise ValidationError({field: _l("The file is larger than %(mb).1f MB.", mb=max_bytes / 1048576)})
    if not content:
        raise ValidationError({field: _l("The file is empty.")})
    for magic, mime, extension in SIGNATURES:
        if content.startswith(magic):
            return Proof(clean_name(filename, extension), content, mime, extension)
    raise ValidationError({field: _l("Only PDF, PNG or JPEG files are accepted (the content of this file "
                                     "is none of them, whatever its name).")})


def store(proof: Proof, upload_dir: str) -> str:
    folder = Path(upload_dir) / SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + proof.extension
    (folder / stored_name).write_bytes(proof.content)
    return stored_name


def stored_path(upload_dir: str, stored_name: str) -> Path:
    root = (Path(upload_dir) / SUBDIR).resolve()
    path = (root / stored_name).resolve()
    if not stored_name or not path.is_relative_to(root) or not path.is_file():
        raise FileNotFoundError(stored_name)
    return path


def remove(upload_dir: str, stored_name: str) -> None:
    try:
        stored_path(upload_dir, stored_name).unlink()
    except FileNotFoundError:
        pass
