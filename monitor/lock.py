"""One run at a time per database: a run started by cron and one started by the scheduler never overlap.

    with run_lock(db_path, "collect"):
        ...

The lock is an advisory `flock` on `<database>.lock`, taken without waiting: the second run says
who holds it and stops (`LockBusy`). The kernel drops the lock when its process dies, so a crashed
run never leaves a stale lock behind; the pid and job written into the file are only for the message.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from monitor.errors import EumonitorError
from monitor.records import to_utc_text, utc_now


class LockBusy(EumonitorError):
    """Another eumonitor run holds the database's lock."""


def lock_path(db_path: Path | str) -> Path:
    return Path(f"{db_path}.lock")


@contextmanager
def run_lock(db_path: Path | str, job: str) -> Iterator[None]:
    """Hold the database's run lock for the block; LockBusy at once when another run holds it."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the block's length
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "okänd"
            raise LockBusy(
                f"en annan körning av eumonitor använder databasen ({holder}); {job} avbryts. "
                f"Försök igen när den är klar (låsfil {path})."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{job}, pid {os.getpid()}, startad {to_utc_text(utc_now())}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock
