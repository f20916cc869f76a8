"""The one exception tree of eumonitor.

    EumonitorError
    ├── ConfigError          bad sources.yaml / profile.yaml (exit code 2)
    ├── StoreError           the SQLite file cannot be used
    └── SourceError          one source failed; recorded as data, never stops the others
        ├── FetchError       network, HTTP status, size cap, time bound
        └── ParseError       the answer is not in the expected format

httpx.HTTPError and httpx.InvalidURL (which is not a subclass of it) are turned into
FetchError at the boundary, in monitor.http.
"""

from __future__ import annotations


class EumonitorError(Exception):
    """Base of every error eumonitor raises on purpose."""


class ConfigError(EumonitorError):
    """A configuration file is missing, malformed or invalid.

    ``problems`` holds every problem found, one line each, so that a user fixes them all at once.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class StoreError(EumonitorError):
    """The database cannot be opened or migrated."""


class SourceError(EumonitorError):
    """A source could not be collected."""


class FetchError(SourceError):
    """The source could not be fetched (network, HTTP status, size or time limit).

    ``status`` is the HTTP status when the server answered with an error, else None.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ParseError(SourceError):
    """The source answered, but not in the format its kind expects."""
