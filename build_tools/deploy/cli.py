"""`ifte deploy` and `ifte budget`: the command-line face of the deploy package."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from build_tools.core.errors import ConfigError
from build_tools.core.placeholders import read_site_settings
from build_tools.deploy.budget import TrafficAssumptions, format_site_size, report_site_size
from build_tools.deploy.config import (
    Credentials,
    DeployConfig,
    TargetConfig,
    check_production_settings,
    load_deploy_config,
    read_credentials,
)
from build_tools.deploy.errors import UnmanagedFileError
from build_tools.deploy.manifest import load_local_manifest, plan_state_layouts
from build_tools.deploy.plan import format_plan, format_plan_summary, plan_deploy
from build_tools.deploy.publish import (
    check_mass_delete,
    check_quota,
    find_unmanaged,
    publish,
    read_remote_state,
)
from build_tools.deploy.remote import DeployEvent, RemoteHost, RetryPolicy
from build_tools.deploy.stamp import check_build_stamp
from build_tools.deploy.transport import Transport

_CONFIG = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default="deploy.yml",
    show_default=True,
    help="ไฟล์ตั้งค่า / deploy configuration file",
)
_SITE = click.option(
    "--site-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="site",
    show_default=True,
    help="โฟลเดอร์เว็บไซต์ที่สร้างแล้ว / the built site",
)


@click.command("deploy")
@click.argument("target_name", metavar="[TARGET]", required=False)
@_CONFIG
@_SITE
@click.option("--dry-run", is_flag=True, help="แสดงสิ่งที่จะทำ ไม่เปลี่ยนอะไร / show, change nothing")
@click.option(
    "--connections",
    type=click.IntRange(1, 16),
    help="จำนวนการเชื่อมต่อพร้อมกัน / parallel connections (default: target's, 4)",
)
@click.option(
    "--overwrite-unmanaged",
    is_flag=True,
    help="ยอมเขียนทับไฟล์เดิมบนโฮสต์ที่ deploy ไม่ได้วางไว้ / take over existing files",
)
@click.option(
    "--allow-mass-delete",
    is_flag=True,
    help="ยอมลบไฟล์บนเว็บไซต์จริงจำนวนมาก (เกิน 10%) / allow deleting over 10% of the live files",
)
@click.option("-v", "--verbose", is_flag=True, help="แสดงทุกไฟล์ / list every file")
def deploy_command(
    target_name: str | None,
    config_path: Path,
    site_dir: Path,
    dry_run: bool,
    connections: int | None,
    overwrite_unmanaged: bool,
    allow_mass_delete: bool,
    verbose: bool,
) -> None:
    """อัปโหลดเว็บไซต์ขึ้นโฮสต์ เฉพาะไฟล์ที่เปลี่ยน (Upload the site, changed files only)."""
    config = load_deploy_config(config_path)
    try:
        target = config.target(target_name)
    except ConfigError as error:
        raise click.BadParameter(str(error), param_hint="TARGET") from None
    check_production_settings(target, read_site_settings(config_path.parent / "mkdocs.yml"))
    local = load_local_manifest(site_dir)
    # Before any connection: an empty or half-built folder must not replace the live site.
    check_build_stamp(site_dir, {path: entry.size for path, entry in local.files.items()})
    layouts = plan_state_layouts(target.state_folder)
    prompt = _prompt if sys.stdin.isatty() else None
    credentials = read_credentials(target, prompt=prompt)

    progress = {"done": 0, "total": 0}

    def report(event: DeployEvent) -> None:
        if event.kind in ("upload", "delete"):
            progress["done"] += 1
            if verbose:
                mark = "+" if event.kind == "upload" else "-"
                click.echo(f"{mark} {event.path}")
            elif progress["done"] % max(1, progress["total"] // 10) == 0:
                click.echo(f"  … {progress['done']:,}/{progress['total']:,}")
        elif event.kind == "step":
            click.echo(event.message)
        else:
            click.echo(f"{event.kind}: {event.path} {event.message}".strip(), err=True)

    click.echo(
        f"{target.name}: {target.protocol}://{target.host}:{target.port}/{target.remote_root}"
    )
    with RemoteHost(
        lambda: open_transport(target, credentials),
        connections=connections or target.connections,
        retry=RetryPolicy(attempts=target.retries),
        report=report,
    ) as host:
        state = read_remote_state(host, layouts)
        plan = plan_deploy(local, state)
        if dry_run:
            click.echo(format_plan(plan))
            clashes = () if overwrite_unmanaged else find_unmanaged(plan, host)
            for path in clashes:
                click.echo(f"! {path} — มีไฟล์อื่นอยู่แล้ว / an unmanaged file is there", err=True)
            check_quota(plan, config.quota_bytes)
            check_mass_delete(plan, allow_mass_delete)
            if clashes:
                raise UnmanagedFileError(
                    f"deploy จริงจะหยุด: มี {len(clashes)} ไฟล์ที่ไม่ได้มาจาก ifte deploy",
                    f"A real deploy would stop: {len(clashes)} unmanaged files are in the way",
                )
            return
        click.echo(format_plan_summary(plan))
        progress["total"] = len(plan.uploads) + len(plan.deletions)
        result = publish(
            plan,
            host,
            site_dir,
            quota_bytes=config.quota_bytes,
            overwrite_unmanaged=overwrite_unmanaged,
            allow_mass_delete=allow_mass_delete,
            layouts=layouts,
        )
    if plan.is_empty and not result.resumed:
        click.echo("ไม่มีอะไรเปลี่ยน / Nothing changed.")
    else:
        click.echo(
            f"เสร็จ: อัปโหลด {result.uploaded} ไฟล์, ลบ {result.deleted} ไฟล์ / "
            f"Done: uploaded {result.uploaded}, deleted {result.deleted}."
        )


@click.command("budget")
@_CONFIG
@_SITE
def budget_command(config_path: Path, site_dir: Path) -> None:
    """ขนาดเว็บไซต์เทียบโควตาโฮสต์ (Site size against the hosting quota)."""
    config = load_deploy_config(config_path) if config_path.exists() else DeployConfig(())
    if not site_dir.is_dir():
        raise ConfigError(f"ไม่พบโฟลเดอร์เว็บไซต์ {site_dir}", f"Site folder {site_dir} not found")
    report = report_site_size(
        site_dir,
        quota_bytes=config.quota_bytes,
        transfer_allowance_bytes=config.monthly_transfer_bytes,
        assumptions=TrafficAssumptions(page_views_per_month=config.page_views_per_month),
    )
    click.echo(format_site_size(report))
    if report.over_quota:
        sys.exit(1)


def _prompt(label: str, hide: bool) -> str:
    return click.prompt(label, hide_input=hide, err=True)


def open_transport(target: TargetConfig, credentials: Credentials) -> Transport:
    """An unconnected transport for the target's protocol (SFTP's library is loaded only
    when a target uses it)."""
    if target.protocol == "sftp":
        from build_tools.deploy.sftp import SftpTransport

        return SftpTransport(target, credentials)
    from build_tools.deploy.ftp import FtpsTransport, FtpTransport

    cls = FtpsTransport if target.protocol == "ftps" else FtpTransport
    return cls(target, credentials)
