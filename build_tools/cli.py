"""The `ifte` command line (also `python -m build_tools`).

Each sub-command lives beside the module it drives and is registered here, so
`ifte --help` lists them all. Exit codes: 0 ok, 1 problems found or command
failed, 2 usage error. No traceback reaches the user: `IfteError` is printed.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

import click

from build_tools.core.errors import IfteError
from build_tools.core.loader import find_project_root, load_repository
from build_tools.core.problems import (
    count_errors,
    format_github,
    format_json,
    format_summary,
    format_text,
    sort_problems,
)
from build_tools.core.schema import format_schema
from build_tools.core.vocabularies import VOCABULARY_FILE, load_vocabularies
from build_tools.core.writing import write_text_atomic

# Sub-commands defined beside the modules they drive, imported only when one is run or
# listed: `ifte build` then imports no deployment, search or submission code.
_COMMANDS_ELSEWHERE = {
    "deploy": "build_tools.deploy.cli:deploy_command",
    "budget": "build_tools.deploy.cli:budget_command",
    "search": "build_tools.search.cli:search_command",
    "new": "build_tools.contribute.submitcli:new_command",
    "strip-gps": "build_tools.contribute.submitcli:strip_gps_command",
    "pr-check": "build_tools.contribute.submitcli:pr_check_command",
    "pr-comment": "build_tools.contribute.submitcli:pr_comment_command",
    "issue-entry": "build_tools.contribute.submitcli:issue_entry_command",
    "issue-form": "build_tools.contribute.submitcli:issue_form_command",
    "import": "build_tools.contribute.cli:import_command",
    "selection": "build_tools.features.selection.cli:selection_command",
    "report": "build_tools.features.report.cli:report_command",
}


class _FriendlyGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except IfteError as error:
            click.echo(f"ข้อผิดพลาด / Error: {error}", err=True)
            sys.exit(1)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_COMMANDS_ELSEWHERE})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in _COMMANDS_ELSEWHERE:
            module, attribute = _COMMANDS_ELSEWHERE[name].split(":")
            command = getattr(importlib.import_module(module), attribute)
        return command


@click.group(cls=_FriendlyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ifte-build-tools")
def main() -> None:
    """ifte — เครื่องมือคลังนวัตกรรม IFTE ลพบุรี (IFTE innovation repository tools)."""


def run() -> None:
    """The `ifte` command: `main`, then an immediate exit. Freeing a build's objects one
    by one (most of a second at 20,000 entries) is skipped: by then everything is written,
    and SQLite commits are durable without a close."""
    try:
        main()
        code: object = 0
    except SystemExit as done:
        code = done.code
    if not (code is None or isinstance(code, int)):
        click.echo(code, err=True)  # as `sys.exit("message")` would print it
        code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`ifte … | head`): nothing to add
            pass
    os._exit(code or 0)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    help="รูปแบบผลลัพธ์ / output format",
)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder (default: found from the current folder)",
)
def check_command(paths: tuple[Path, ...], output_format: str, root: Path | None) -> None:
    """ตรวจผลงาน (check entries): every problem in every file, then exit 0/1."""
    root = (root or find_project_root(Path.cwd())).resolve()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"ไม่พบ / not found: {', '.join(map(str, missing))}")
    from build_tools.contribute.review import review_catalog
    from build_tools.features.checks import (
        check_office_data,
        check_office_files,
        is_office_data_file,
    )

    selected = [p.resolve() for p in paths] or None
    # Round and adoptions files named on the command line are checked against every
    # entry (check_office_files); the other paths are entries.
    named = {p: _relative_name(p, root) for p in selected or ()}
    office_files = [name for name in named.values() if is_office_data_file(name)]
    if selected is not None:
        selected = [p for p in selected if not is_office_data_file(named[p])]
    catalog = load_repository(root, selected)
    # Near-duplicates of other entries and photo GPS data (build_tools/contribute/review.py).
    office = check_office_data(catalog) if not paths else check_office_files(root, office_files)
    problems = sort_problems([*catalog.problems, *review_catalog(catalog, selected), *office])
    if output_format == "json":
        click.echo(format_json(problems))
    elif output_format == "github":
        for problem in problems:
            click.echo(format_github(problem))
    else:
        for problem in problems:
            click.echo(format_text(problem))
        click.echo(format_summary(problems, catalog.files_checked + len(office_files)))
    sys.exit(1 if count_errors(problems) else 0)


def _relative_name(path: Path, root: Path) -> str:
    """A resolved path as the project names it ("" outside the project)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return ""


@main.command("schema")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder (default: found from the current folder)",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="เขียนลงไฟล์ / write to a file (default: print)",
)
def schema_command(root: Path | None, output: Path | None) -> None:
    """พิมพ์ JSON Schema ของส่วนข้อมูลผลงาน (print the entry JSON Schema)."""
    root = (root or find_project_root(Path.cwd())).resolve()
    text = format_schema(load_vocabularies(root / VOCABULARY_FILE))
    if output:
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)


@main.command("build")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder (default: found from the current folder)",
)
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์ผลลัพธ์ / output folder (default: site_dir of mkdocs.yml)",
)
@click.option("--full", is_flag=True, help="สร้างใหม่ทั้งหมด / rebuild every page")
@click.option("--strict", is_flag=True, help="คำเตือนถือเป็นข้อผิดพลาด / warnings fail the build")
def build_command(root: Path | None, site_dir: Path | None, full: bool, strict: bool) -> None:
    """สร้างเว็บไซต์ โดยสร้างใหม่เฉพาะหน้าที่เปลี่ยน (incremental site build)."""
    # The adapter is imported only here: the rest of the CLI never needs MkDocs.
    from build_tools.mkdocs_plugin.build import run_build

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    root = (root or find_project_root(Path.cwd())).resolve()
    seconds = run_build(root, site_dir, full=full, strict=strict)
    click.echo(f"สร้างเว็บไซต์เสร็จใน {seconds:.1f} วินาที / Built in {seconds:.1f} s")
