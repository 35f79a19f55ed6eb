"""Evidence files of contract reports: PDF, PNG or JPEG, checked and stored by the shared rules of
``common.uploads`` under UPLOAD_DIR/monitoring; served only as attachments with nosniff."""
from __future__ import annotations

from pathlib import Path

from common import uploads as shared

SUBDIR = "monitoring"
Evidence = shared.CheckedFile
EvidenceError = shared.UploadRejected  # .code: too_large | empty | wrong_type


def check(filename: str, content: bytes, max_bytes: int) -> Evidence:
    """The checked file, or EvidenceError (nothing is written here)."""
    return shared.check_file(filename, content, max_bytes, default_stem="evidence")


def store(evidence: Evidence, upload_dir: str) -> str:
    return shared.store(evidence.content, evidence.extension, upload_dir, SUBDIR)


def stored_path(upload_dir: str, stored_name: str) -> Path:
    return shared.stored_path(upload_dir, SUBDIR, stored_name)


def remove(upload_dir: str, stored_name: str) -> None:
    shared.remove(upload_dir, SUBDIR, stored_name)


def clean_name(filename: str, extension: str) -> str:
    return shared.clean_name(filename, extension, "evidence")
