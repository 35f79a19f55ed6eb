"""Evidence files of contract reports: PDF, PNG or JPEG recognised by their first bytes (never by
the name or the type the browser claims), at most UPLOAD_MAX_FILE_BYTES, stored under
UPLOAD_DIR/monitoring with a random name and served only as attachments with nosniff."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

SUBDIR = "monitoring"
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)


@dataclass(frozen=True)
class Evidence:
    filename: str
    content: bytes
    mime: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class EvidenceError(ValueError):
    """``code``: too_large | empty | wrong_type."""

    def __init__(self, code: str, filename: str = ""):
        super().__init__(code)
        self.code = code
        self.filename = filename


def clean_name(filename: str, extension: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>;')[:150].strip()
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return (stem or "evidence") + extension


def check(filename: str, content: bytes, max_bytes: int) -> Evidence:
    """The checked file, or EvidenceError (nothing is written here)."""
    if len(content) > max_bytes:
        raise EvidenceError("too_large", filename)
    if not content:
        raise EvidenceError("empty", filename)
    for magic, mime, extension in SIGNATURES:
        if content.startswith(magic):
            return Evidence(clean_name(filename, extension), content, mime, extension)
    raise EvidenceError("wrong_type", filename)


def store(evidence: Evidence, upload_dir: str) -> str:
    folder = Path(upload_dir) / SUBDIR
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16) + evidence.extension
    (folder / stored_name).write_bytes(evidence.content)
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
