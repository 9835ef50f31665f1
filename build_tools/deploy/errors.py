"""Errors raised by `ifte deploy`.

`DeployError` and its subclasses stop the command and are shown to staff
(bilingual, naming the file and the reason). `RemoteError` is internal: the
transports raise it for one failed remote operation, marked transient (worth a
reconnect and retry) or permanent; `publish` turns the ones that survive the
retries into a `DeployError`.
"""

from __future__ import annotations

from build_tools.errors import IfteError


class DeployError(IfteError):
    """The deploy cannot continue; nothing unsafe was left visible."""


class LoginError(DeployError):
    """The host refused the user name or password (never retried)."""


class HostVerificationError(DeployError):
    """The server's TLS certificate or SSH host key is not the one configured."""


class QuotaError(DeployError):
    """Uploading would take the site past the hosting quota."""


class UnmanagedFileError(DeployError):
    """The site would overwrite a file on the host that no deploy put there."""


class RemoteError(Exception):
    """One remote operation failed; `transient` failures are retried after reconnecting."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
