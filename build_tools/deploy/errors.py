"""Errors raised by `ifte deploy`.

`DeployError` and its subclasses stop the command and are shown to staff
(bilingual, naming the file and the reason). `RemoteError` is internal: the
transports raise it for one failed remote operation, marked transient (worth a
reconnect and retry) or permanent; `publish` turns the ones that survive the
retries into a `DeployError`.
"""

from __future__ import annotations

import re

from build_tools.core.errors import IfteError

# FTP has no reply code of its own for "not allowed" (550 also means "no such file"), so
# the servers' words decide: vsftpd and pure-ftpd say "Permission denied", pyftpdlib "Not
# enough privileges"; SFTP's status FX_PERMISSION_DENIED reads "Permission denied".
_DENIED = re.compile(r"permission|denied|privilege", re.IGNORECASE)


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


class IncompleteBuildError(DeployError):
    """`site/` is not the finished output of one build (empty, partial, or changed since)."""


class MassDeleteError(DeployError):
    """The deploy would delete a large share of the live site (without --allow-mass-delete)."""


class PermissionDeniedError(DeployError):
    """The host refused to let the account write or delete where the deploy must."""


class RemoteError(Exception):
    """One remote operation failed; `transient` failures are retried after reconnecting."""

    def __init__(self, reason: str, *, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient

    @property
    def denied(self) -> bool:
        """The host refused for lack of permission (permanent: a retry cannot help)."""
        return not self.transient and is_permission_denied(self.reason)


def is_permission_denied(reason: str) -> bool:
    """Whether a server's refusal says the account may not do it."""
    return bool(_DENIED.search(reason))
