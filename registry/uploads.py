"""Accreditation proofs: PDF, PNG or JPEG, checked and stored by the shared rules of
``common.uploads`` under UPLOAD_DIR/registry. Served only as attachments (see registry.views)."""
from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from common import uploads as shared
from registry.validation import ValidationError

SUBDIR = "registry"
Proof = shared.CheckedFile


def check_proof(filename: str, content: bytes, max_bytes: int, field: str = "proof") -> Proof:
    """The proof, or ValidationError naming ``field`` (nothing is written here)."""
    try:
        return shared.check_file(filename, content, max_bytes, default_stem="proof")
    except shared.UploadRejected as exc:
        messages = {
            "too_large": _l("The file is larger than %(mb).1f MB.", mb=max_bytes / 1048576),
            "empty": _l("The file is empty."),
            "wrong_type": _l("Only PDF, PNG or JPEG files are accepted (the content of this file "
                             "is none of them, whatever its name)."),
        }
        raise ValidationError({field: messages[exc.code]}) from exc


def store(proof: Proof, upload_dir: str) -> str:
    return shared.store(proof.content, proof.extension, upload_dir, SUBDIR)


def stored_path(upload_dir: str, stored_name: str) -> Path:
    return shared.stored_path(upload_dir, SUBDIR, stored_name)


def remove(upload_dir: str, stored_name: str) -> None:
    shared.remove(upload_dir, SUBDIR, stored_name)
