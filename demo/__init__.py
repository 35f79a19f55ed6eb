"""Demo data: a fictional municipality, its CPAS, four demo accounts, enterprises and a tender.

Every loader is idempotent (it looks things up by their natural key before adding them), so
``flask --app app demo load`` can run at every ``make run``.
"""
from __future__ import annotations

import importlib
from functools import cache

DEMO_PASSWORD = "demo-2026"


@cache
def demo_password_hash() -> str:
    """One scrypt hash of the demo password, computed once per process and shared by every demo
    account (they all have the same password; each hash costs ~0.1 s)."""
    from accounts.services import hash_password

    return hash_password(DEMO_PASSWORD)

# Loaders run in this order; each is "module:function(session)". Later features append theirs.
LOADERS = [
    "demo.accounts:load",
    "demo.registry:load",
    "demo.tenders:load",
    "demo.bids:load",
    "demo.monitoring:load",
    "demo.joint:load",
    "demo.matching:load",
    "demo.employment:load",
    "demo.jobs:load",  # a queued background report (issue 8)
    "demo.api:load",  # the JSON API: how to get a token (no secret created) (issue 6)
]


def load_all(session) -> list[str]:
    """Run every loader; return one line of summary per loader."""
    summary = []
    for spec in LOADERS:
        module_name, func_name = spec.split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        summary.append(func(session))
        session.commit()
    return summary
