"""The one family of exceptions the build tools raise.

Validation problems in entries are *data* (`problems.Problem`), not exceptions;
these errors are for things that stop a command: bad configuration, a failed
deploy, an unreadable project. Every message is bilingual, Thai first.
"""

from __future__ import annotations


class IfteError(Exception):
    """Base class; the CLI prints `str(error)` and exits 1, never a traceback."""

    def __init__(self, thai: str, english: str = "") -> None:
        self.thai = thai
        self.english = english
        super().__init__(f"{thai}\n{english}" if english else thai)


class ConfigError(IfteError):
    """A setting in mkdocs.yml, deploy.yml or vocabularies.yml is missing or wrong."""


class ValidationError(IfteError):
    """Entries have problems of severity error (raised by the site build)."""
