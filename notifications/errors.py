"""The error of this package, a branch of the one tree in monitor.errors.

    EumonitorError
    └── NotifyError          SMTP settings missing or invalid, a message cannot be sent,
        └── PeriodError      a period such as "2026-W48" cannot be read

Messages are Swedish first (the users are) with the English in brackets, and never contain the
SMTP password.
"""

from __future__ import annotations

from monitor.errors import EumonitorError


class NotifyError(EumonitorError):
    """A notification could not be built or sent."""


class PeriodError(NotifyError):
    """A digest period is not an ISO week such as 2026-W48."""
