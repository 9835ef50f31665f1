"""`ifte import PACKAGE`: the office takes in an entry a teacher sent by e-mail or LINE."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import click

from build_tools.contribute.importer import (
    check_git,
    commit_import,
    format_commands,
    format_reply,
    gh_ready,
    plan_import,
    plan_pr_commands,
    read_handed_in,
)
from build_tools.contribute.issuefiles import GITHUB_ATTACHMENTS
from build_tools.core.problems import format_summary, format_text
from build_tools.core.vocabularies import VOCABULARY_FILE, load_vocabularies


@click.command("import")
@click.argument("package", type=click.Path(path_type=Path, exists=True))
@click.option(
    "--attachments-from",
    "prefixes",
    multiple=True,
    help="สำหรับ issue: รับไฟล์แนบจากที่อยู่นี้ด้วย / issue bodies: also take attachments "
    "from this address prefix",
)
@click.option(
    "--no-pr", is_flag=True, help="ไม่เปิด pull request แม้มี gh / never run gh, print its command"
)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None)
def import_command(
    package: Path, prefixes: tuple[str, ...], no_pr: bool, root: Path | None
) -> None:
    """นำเข้าผลงานจากแพ็กเกจ ZIP โฟลเดอร์ หรือข้อความ issue (import a handed-in entry).

    Checks the package as untrusted input and the entry with the checker, then commits
    it on a new branch and opens (or prints the command for) the pull request.
    Exit 0 imported, 1 refused or problems found (nothing written).
    """
    from build_tools.core.loader import find_project_root

    root = (root or find_project_root(Path.cwd())).resolve()
    check_git(root)
    vocabularies = load_vocabularies(root / VOCABULARY_FILE)
    handed_in = read_handed_in(
        package.resolve(), vocabularies, dt.date.today(), (GITHUB_ATTACHMENTS, *prefixes)
    )
    plan = plan_import(root, handed_in, vocabularies)
    for problem in plan.problems:
        click.echo(format_text(problem))
    click.echo(format_summary(list(plan.problems), 1))
    if not plan.ok:
        click.echo(
            "ไม่ได้นำเข้า: แจ้งครูให้แก้ข้อผิดพลาดข้างต้นแล้วส่งใหม่ (not imported; nothing was written)",
            err=True,
        )
        sys.exit(1)
    branch = commit_import(root, plan)
    click.echo(f"\nนำเข้าแล้ว (imported): {plan.folder}/ — สาขา (branch) {branch}")
    commands = plan_pr_commands(branch, plan)
    if not no_pr and gh_ready():
        for command in commands:
            subprocess.run(command, cwd=root, check=False)
    else:
        click.echo(
            "\nเปิด pull request ด้วยคำสั่ง (open the pull request):\n" + format_commands(commands)
        )
    from build_tools.contribute.submitcli import _site_url

    click.echo("\nข้อความตอบครู (reply to the teacher):\n" + format_reply(plan, _site_url(root)))
