"""Functions that run in other processes during the tests (importable by spawned children)."""

from __future__ import annotations

import os
import signal
from typing import Any

from iop_engine.model import Answer
from iop_engine.service.engine import ReplayJob, replay_job
from iop_engine.service.store import Author, VersionConflict, open_store


def crash_on_marker(library: dict[str, Any], job: ReplayJob) -> Answer:
    """A worker handler that dies of SIGSEGV when asked for the agreement 'crash'."""
    if job.agreement == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    return replay_job(library, job)


def append_racer(url: str, stream_id: str, name: str, attempts: int) -> tuple[list[str], int]:
    """Append one event per attempt at the version just read; (acknowledged notes, conflicts)."""
    store = open_store(url)
    acked: list[str] = []
    conflicts = 0
    try:
        for i in range(attempts):
            info = store.stream(stream_id)
            assert info is not None
            note = f"{name}-{i}"
            event = {
                "type": "funding_decided",
                "date": "2027-01-20",
                "year": 2027,
                "available": True,
                "note": note,
            }
            try:
                store.append(stream_id, info.version, [event], "t", author=Author(name, "legal"))
            except VersionConflict:
                conflicts += 1
            else:
                acked.append(note)
    finally:
        store.close()
    return acked, conflicts
