"""Background document jobs (issue 8): a large PDF is generated outside the request, and the page
shows its progress until it can be downloaded.

One row per requested document. ``params`` is the JSON the job's handler needs (e.g. tender
reference, lot number, language); ``result_path`` is a file name inside the document cache folder
(``DOCUMENT_CACHE_DIR/jobs``), never a path typed by a user.
"""
from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Optional

from sqlmodel import Field, SQLModel

from common.timeutil import utcnow


class JobStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DocumentJob(SQLModel, table=True):
    __tablename__ = "document_job"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40, index=True)
    params: str = Field(default="{}")  # JSON object
    requested_by: int = Field(foreign_key="user.id", index=True)
    status: str = Field(default=JobStatus.QUEUED.value, max_length=10, index=True)
    progress: int = Field(default=0)  # 0-100
    message: str = Field(default="", max_length=500)
    result_path: str = Field(default="", max_length=255)  # file name under the jobs folder
    filename: str = Field(default="", max_length=255)  # what the download is called
    created_at: datetime = Field(default_factory=utcnow)
    finished_at: Optional[datetime] = Field(default=None)
