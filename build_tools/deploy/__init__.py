"""`ifte deploy`: incremental, resumable upload of the built site to shared hosting.

Stages, each in its own module: `config` (targets, credentials from the
environment), `manifest` (content hashes here and on the host), `plan` (what
to upload and delete, in a safe order — pure), `transport`/`ftp`/`sftp` (one
interface over FTP, FTPS and SFTP), `publish` (staging, renames, journal,
retries, parallel connections) and `budget` (size and transfer against the
hosting plan). `cli` wires them into `ifte deploy` and `ifte budget`.
"""

from build_tools.deploy.budget import SiteSizeReport, format_site_size, report_site_size
from build_tools.deploy.errors import DeployError
from build_tools.deploy.manifest import Manifest, load_local_manifest
from build_tools.deploy.plan import DeployPlan, format_plan, plan_deploy
from build_tools.deploy.publish import publish, read_remote_state
from build_tools.deploy.remote import RemoteHost, RetryPolicy

__all__ = [
    "DeployError",
    "DeployPlan",
    "Manifest",
    "RemoteHost",
    "RetryPolicy",
    "SiteSizeReport",
    "format_plan",
    "format_site_size",
    "load_local_manifest",
    "plan_deploy",
    "publish",
    "read_remote_state",
    "report_site_size",
]
