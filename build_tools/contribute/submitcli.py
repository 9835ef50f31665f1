"""The command-line face of submitting an entry: `ifte new`, `ifte strip-gps`, and the
commands the GitHub workflows call (`pr-check`, `pr-comment`, `issue-entry`, `issue-form`).

`ifte new` asks in Thai for whatever the flags did not give (numbered choices
from the vocabularies, a folder name suggested from the title, this Buddhist-Era
year by default); with `--yes` it asks nothing and fails with exit 2 when a
required value is missing, so scripts and tests can drive it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path

import click

from build_tools.contribute.issueform import (
    ISSUE_FORM_PATH,
    format_issue_comment,
    format_issue_form,
    format_pull_request,
    plan_issue_submission,
    read_attachment_urls,
)
from build_tools.contribute.newentry import (
    AuthorDraft,
    EntryDraft,
    current_be_year,
    plan_unique_slug,
    resolve_choice,
    resolve_choices,
    suggest_slug,
    write_new_entry,
)
from build_tools.contribute.pullrequest import (
    api_from_environment,
    check_pull_request,
    format_comment,
    read_changed_paths,
    upsert_comment,
)
from build_tools.core import fields as f
from build_tools.core.entries import EMAIL, SLUG
from build_tools.core.errors import IfteError
from build_tools.core.problems import (
    count_errors,
    format_github,
    format_summary,
    format_text,
    sort_problems,
)
from build_tools.core.vocabularies import VOCABULARY_FILE, Vocabularies, load_vocabularies
from build_tools.core.writing import write_text_atomic
from build_tools.pages.images import is_image, iter_entry_images, strip_gps

_SPEC = {spec.name: spec for spec in f.ENTRY_FIELDS}
_SCHOOL = {spec.name: spec for spec in f.SCHOOL_FIELDS}


def _root(root: Path | None) -> Path:
    from build_tools.core.loader import find_project_root

    return (root or find_project_root(Path.cwd())).resolve()


def _label(spec: f.FieldSpec) -> str:
    return f"{spec.label_th} ({spec.label_en})"


class _Asker:
    """Thai prompts for the values the flags left out; refuses to ask under --yes."""

    def __init__(self, vocabularies: Vocabularies, interactive: bool) -> None:
        self.vocabularies = vocabularies
        self.interactive = interactive
        self.missing: list[str] = []

    def text(self, given: str | None, spec: f.FieldSpec, option: str, default: str = "") -> str:
        if given is not None:
            return given.strip()
        if not self.interactive:
            if spec.required and not default:
                self.missing.append(option)
            return default
        suffix = "" if spec.required else " — เว้นว่างได้ (optional)"
        while True:
            answer = click.prompt(
                f"{_label(spec)}{suffix}", default=default, show_default=bool(default)
            ).strip()
            if not answer and spec.required:
                click.echo("  ต้องกรอกข้อมูลนี้ (required)")
            elif spec.max_length and len(answer) > spec.max_length:
                click.echo(f"  ยาวเกิน {spec.max_length} ตัวอักษร (too long)")
            else:
                return answer

    def choice(self, given: str | None, spec: f.FieldSpec, option: str) -> str:
        if given is not None:
            return resolve_choice(self.vocabularies, spec.vocabulary, given)
        if not self.interactive:
            self.missing.append(option)
            return ""
        terms = self.vocabularies[spec.vocabulary].terms
        click.echo(f"\n{_label(spec)}")
        for number, term in enumerate(terms, 1):
            click.echo(f"  {number:>2}) {term.th}")
        while True:
            answer = click.prompt("เลือกหมายเลข (number)").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(terms):
                return terms[int(answer) - 1].th
            try:
                return resolve_choice(self.vocabularies, spec.vocabulary, answer)
            except IfteError as error:
                click.echo(f"  {error.thai}")

    def choices(self, given: tuple[str, ...], spec: f.FieldSpec) -> tuple[str, ...]:
        if given or not self.interactive:
            return resolve_choices(self.vocabularies, spec.vocabulary, given)
        terms = self.vocabularies[spec.vocabulary].terms
        click.echo(f"\n{_label(spec)} — เลือกได้หลายข้อ คั่นด้วย , เช่น 1,3 (Enter = ข้าม)")
        for number, term in enumerate(terms, 1):
            click.echo(f"  {number:>2}) {term.th}")
        while True:
            answer = click.prompt("เลือกหมายเลข (numbers)", default="", show_default=False)
            parts = [p.strip() for p in answer.replace("،", ",").split(",") if p.strip()]
            try:
                picked = [
                    terms[int(p) - 1].th if p.isdigit() and 0 < int(p) <= len(terms) else p
                    for p in parts
                ]
                return resolve_choices(self.vocabularies, spec.vocabulary, picked)
            except IfteError as error:
                click.echo(f"  {error.thai}")

    def authors(self, given: tuple[str, ...]) -> tuple[AuthorDraft, ...]:
        authors = [_parse_author(text) for text in given]
        if authors or not self.interactive:
            if not authors:
                self.missing.append("--author")
            return tuple(authors)
        click.echo("\nผู้พัฒนาผลงาน (Authors) — อีเมลใช้ติดต่อเท่านั้น ไม่เผยแพร่บนเว็บไซต์")
        while True:
            name = click.prompt("  ชื่อ-นามสกุล (full name, with title)").strip()
            if not name:
                continue
            position = click.prompt("  ตำแหน่ง (position)", default="", show_default=False)
            email = click.prompt("  อีเมล (e-mail, optional)", default="", show_default=False)
            while email and not EMAIL.match(email.strip()):
                email = click.prompt(
                    "  อีเมลไม่ถูกต้อง ลองใหม่ (invalid e-mail)", default="", show_default=False
                )
            authors.append(AuthorDraft(name, position.strip(), email.strip()))
            if not click.confirm("เพิ่มผู้พัฒนาอีกคนไหม? (add another author?)", default=False):
                return tuple(authors)

    def year(self, given: int | None) -> int:
        if given is not None:
            return given
        default = current_be_year()
        if not self.interactive:
            return default
        while True:
            year = click.prompt(_label(_SPEC["year"]), default=default, type=int)
            if 1950 <= year <= 2100:
                click.echo(f"  ปี {year} เป็นปี ค.ศ. ใช้ปี พ.ศ. (บวก 543) เช่น {year + 543}")
            elif f.YEAR_MIN <= year <= f.YEAR_MAX:
                return year
            else:
                click.echo(f"  ปี พ.ศ. ต้องอยู่ระหว่าง {f.YEAR_MIN}–{f.YEAR_MAX}")

    def slug(self, given: str | None, suggestion: str) -> str:
        if given is not None:
            return given.strip()
        if not self.interactive:
            return suggestion
        click.echo("\nชื่อโฟลเดอร์ (folder name): ภาษาอังกฤษตัวเล็ก ตัวเลข และขีด (-) เท่านั้น")
        while True:
            slug = click.prompt("ชื่อโฟลเดอร์", default=suggestion).strip()
            if SLUG.match(slug):
                return slug
            click.echo("  ใช้ได้เฉพาะ a-z ตัวเล็ก ตัวเลข และขีด เช่น reading-kit")


def _parse_author(text: str) -> AuthorDraft:
    """'name|position|email' (position and e-mail optional)."""
    name, position, email = ([p.strip() for p in text.split("|")] + ["", ""])[:3]
    return AuthorDraft(name, position, email)


@click.command("new")
@click.option("--title", help="ชื่อผลงาน (Thai title)")
@click.option("--title-en", help="ชื่อผลงานภาษาอังกฤษ (English title, optional)")
@click.option("--type", "type_", help="ประเภทผลงาน เช่น นวัตกรรม / แนวปฏิบัติที่เป็นเลิศ")
@click.option("--category", help="ด้าน เช่น การจัดการเรียนรู้")
@click.option("--year", type=int, help="ปี พ.ศ. (default: this year)")
@click.option(
    "--author", "authors", multiple=True, help="ผู้พัฒนา 'ชื่อ|ตำแหน่ง|อีเมล' (repeat for each author)"
)
@click.option("--school", help="ชื่อสถานศึกษา/หน่วยงาน")
@click.option("--district", help="อำเภอ")
@click.option("--affiliation", help="สังกัด เช่น สพป.ลพบุรี เขต 1")
@click.option("--subject", "subjects", multiple=True, help="กลุ่มสาระ (repeatable)")
@click.option("--level", "levels", multiple=True, help="ระดับชั้น (repeatable)")
@click.option("--keyword", "keywords", multiple=True, help="คำสำคัญ (repeatable)")
@click.option("--summary", help="สรุปย่อหนึ่งย่อหน้า")
@click.option("--license", "license_", help="สัญญาอนุญาต (default: CC BY 4.0)")
@click.option("--slug", help="ชื่อโฟลเดอร์ภาษาอังกฤษ (default: from the title)")
@click.option("--yes", "-y", is_flag=True, help="ไม่ถามเพิ่ม ใช้ค่าเริ่มต้น / never prompt")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="โฟลเดอร์โครงการ / project folder",
)
def new_command(
    title,
    title_en,
    type_,
    category,
    year,
    authors,
    school,
    district,
    affiliation,
    subjects,
    levels,
    keywords,
    summary,
    license_,
    slug,
    yes,
    root,
) -> None:
    """สร้างโฟลเดอร์ผลงานใหม่ (create a new entry folder that passes `ifte check`)."""
    root = _root(root)
    vocabularies = load_vocabularies(root / VOCABULARY_FILE)
    ask = _Asker(vocabularies, interactive=not yes)
    if not yes:
        click.echo("สร้างผลงานใหม่ — ตอบคำถามทีละข้อ (กด Ctrl+C เพื่อยกเลิก)\n")
    title = ask.text(title, _SPEC["title"], "--title")
    title_en = ask.text(title_en, _SPEC["title_en"], "--title-en")
    type_ = ask.choice(type_, _SPEC["type"], "--type")
    category = ask.choice(category, _SPEC["category"], "--category")
    year = ask.year(year)
    authors = ask.authors(authors)
    school = ask.text(school, _SCHOOL["name"], "--school")
    district = ask.choice(district, _SCHOOL["district"], "--district")
    affiliation = ask.choice(affiliation, _SCHOOL["affiliation"], "--affiliation")
    subjects = ask.choices(subjects, _SPEC["subjects"])
    levels = ask.choices(levels, _SPEC["levels"])
    if not keywords and not yes:
        answer = click.prompt(
            f"{_label(_SPEC['keywords'])} — คั่นด้วย , (optional)", default="", show_default=False
        )
        keywords = tuple(k.strip() for k in answer.split(",") if k.strip())
    summary = ask.text(summary, _SPEC["summary"], "--summary")
    license_label = resolve_choice(vocabularies, "licenses", license_ or f.DEFAULT_LICENSE)
    if ask.missing:
        raise click.UsageError(
            f"ขาดข้อมูลที่จำเป็น / missing required options: {', '.join(ask.missing)}"
        )
    suggestion = plan_unique_slug(root, suggest_slug(title, title_en))
    slug = ask.slug(slug, suggestion)
    if not SLUG.match(slug):
        raise click.BadParameter("ใช้ได้เฉพาะ a-z ตัวเล็ก ตัวเลข และขีด (-)", param_hint="--slug")
    draft = EntryDraft(
        title=title,
        title_en=title_en,
        type=type_,
        category=category,
        year=year,
        authors=authors,
        school_name=school,
        district=district,
        affiliation=affiliation,
        subjects=subjects,
        levels=levels,
        keywords=tuple(keywords),
        summary=summary,
        license=license_label,
        slug=slug,
        submitted=dt.date.today(),
    )
    path = write_new_entry(root, draft)
    _report_new_entry(root, path)


def _report_new_entry(root: Path, path: Path) -> None:
    from build_tools.contribute.review import review_catalog
    from build_tools.core.loader import load_repository

    catalog = load_repository(root, [path])
    problems = sort_problems([*catalog.problems, *review_catalog(catalog, [path])])
    folder = path.parent.relative_to(root).as_posix()
    click.echo(f"\nสร้างไฟล์แล้ว (created): {path.relative_to(root).as_posix()}")
    for problem in problems:
        click.echo(format_text(problem))
    click.echo(format_summary(problems, catalog.files_checked))
    click.echo(
        "\nขั้นต่อไป (next steps):\n"
        f"  1. เปิดไฟล์ {folder}/index.md เขียนเนื้อหาใต้หัวข้อแต่ละหัวข้อ (ลบคำแนะนำใน <!-- --> ได้)\n"
        f"  2. ไฟล์แนบ (PDF, รูปภาพ) วางไว้ในโฟลเดอร์ {folder}/ แล้วเพิ่มรายการใต้ attachments:\n"
        f"  3. ตรวจอีกครั้งด้วยคำสั่ง: ifte check {folder}\n"
        "  4. ส่ง pull request ตามคู่มือการส่งผลงาน (หน้า /guide/ ของเว็บไซต์)"
    )
    # The body is the teacher's to write next: its absence does not fail the command.
    sys.exit(1 if count_errors([p for p in problems if p.code != "body-no-content"]) else 0)


@click.command("strip-gps")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
def strip_gps_command(paths: tuple[Path, ...]) -> None:
    """ลบพิกัด GPS ออกจากรูปภาพ (remove location data from photos, in place).

    PATHS are photos or entry folders (every photo inside is cleaned).
    """
    photos: list[Path] = []
    for path in paths:
        if path.is_dir():
            photos += iter_entry_images(path)
        elif is_image(path):
            photos.append(path)
    changed = [photo for photo in photos if strip_gps(photo)]
    for photo in changed:
        click.echo(f"ลบพิกัดแล้ว (GPS removed): {photo}")
    click.echo(
        f"รูปภาพ {len(photos)} ไฟล์, ลบพิกัด {len(changed)} ไฟล์ "
        f"({len(photos)} photos, {len(changed)} cleaned)"
    )


# --- pull requests and the issue form (called by .github/workflows/) --------------------


def _site_url(root: Path) -> str:
    """mkdocs.yml `site_url` (read by pattern: the file holds tags safe_load refuses)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r"^site_url:\s*(\S+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def _run_url() -> str:
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repo, run = (os.environ.get(name, "") for name in names)
    return f"{server}/{repo}/actions/runs/{run}" if server and repo and run else ""


def _write_outputs(path: str | None, **values: str) -> None:
    """Step outputs for the workflow (`$GITHUB_OUTPUT`); values are single-line by design."""
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            for key, value in values.items():
                handle.write(f"{key}={' '.join(str(value).split())}\n")


@click.command("pr-check")
@click.option("--base", required=True, help="commit ของสาขาหลัก / base commit")
@click.option("--head", required=True, help="commit ของ pull request / head commit")
@click.option(
    "--comment-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="เขียนความคิดเห็นสรุป (Markdown) ลงไฟล์ / write the summary comment here",
)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None)
def pr_check_command(base: str, head: str, comment_file: Path | None, root: Path | None) -> None:
    """ตรวจเฉพาะผลงานที่ pull request แก้ไข (check only the entries a PR changes).

    Prints GitHub annotations, writes the Thai summary comment, exits 1 on errors.
    """
    root = _root(root)
    check = check_pull_request(root, read_changed_paths(root, base, head))
    for problem in check.problems:
        click.echo(format_github(problem))
    click.echo(format_summary(list(check.problems), len(check.files)))
    comment = format_comment(check, site_url=_site_url(root), run_url=_run_url())
    if comment_file:
        write_text_atomic(comment_file, comment)
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as handle:
            handle.write(comment)
    sys.exit(1 if check.errors else 0)


@click.command("pr-comment")
@click.option(
    "--repo",
    default=lambda: os.environ.get("GITHUB_REPOSITORY", ""),
    help="owner/name (default: $GITHUB_REPOSITORY)",
)
@click.option("--number", required=True, help="เลข pull request หรือ issue / PR or issue number")
@click.option(
    "--body-file", required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True)
)
@click.option(
    "--head-sha",
    default=None,
    help="โพสต์เฉพาะเมื่อ pull request ชี้ที่ commit นี้ / post only if the PR's head is this commit",
)
def pr_comment_command(repo: str, number: str, body_file: Path, head_sha: str | None) -> None:
    """โพสต์หรือปรับปรุงความคิดเห็นสรุปเดียว (post or update the one summary comment)."""
    # The number may come from an artifact of an untrusted run: accept digits only.
    if not number.strip().isdigit() or not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
        raise click.UsageError("เลขหรือชื่อ repository ไม่ถูกต้อง / bad --number or --repo")
    api = api_from_environment()
    # ... and it may name someone else's pull request: it must be the one that was checked.
    if head_sha is not None and api.read_head_sha(repo, int(number)) != head_sha.strip():
        raise click.ClickException(
            f"pull request #{int(number)} ไม่ใช่ commit ที่ตรวจ ไม่โพสต์ความคิดเห็น"
            f" / pull request #{int(number)} is not at the checked commit; not commenting"
        )
    action = upsert_comment(api, repo, int(number), body_file.read_text(encoding="utf-8"))
    click.echo(f"ความคิดเห็น: {action} (comment {action})")


@click.command("issue-entry")
@click.option(
    "--body-file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="เนื้อหา issue / the issue body",
)
@click.option("--number", required=True, type=int, help="เลข issue")
@click.option(
    "--out-dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="comment.md, pr-title.txt, pr-body.md are written here",
)
@click.option(
    "--github-output",
    default=lambda: os.environ.get("GITHUB_OUTPUT"),
    help="ไฟล์ผลลัพธ์ของขั้นตอน / step outputs file (default: $GITHUB_OUTPUT)",
)
@click.option(
    "--attachments-from",
    "prefixes",
    multiple=True,
    help="รับไฟล์แนบจากที่อยู่นี้ด้วย / also take attachments from this address prefix "
    "(default: https://github.com/user-attachments/ only)",
)
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None)
def issue_entry_command(
    body_file: Path,
    number: int,
    out_dir: Path,
    github_output: str | None,
    prefixes: tuple[str, ...],
    root: Path | None,
) -> None:
    """สร้างผลงานจากแบบฟอร์ม issue (write the entry an issue form describes).

    Downloads the attachments dropped into the form (named and cleaned as the web
    form's package is), writes the entry only when it passes the checker; always
    writes the comment.
    """
    from build_tools.contribute.issuefiles import (
        GITHUB_ATTACHMENTS,
        read_issue_files,
        take_issue_files,
    )
    from build_tools.contribute.issueform import IssueSubmission, attachment_section
    from build_tools.contribute.pullrequest import PullRequestCheck
    from build_tools.core.writing import write_bytes_atomic

    root = _root(root)
    vocabularies = load_vocabularies(root / VOCABULARY_FILE)
    body = body_file.read_text(encoding="utf-8")
    found = read_issue_files(attachment_section(body), (GITHUB_ATTACHMENTS, *prefixes))
    taken, file_problems = take_issue_files(found)
    files = tuple((item.name, item.title, item.data) for item in taken)
    submission = plan_issue_submission(root, body, number, vocabularies, dt.date.today(), files)
    if file_problems:
        problems = (*submission.form_problems, *file_problems)
        submission = IssueSubmission(number, None, "", "", problems, PullRequestCheck((), ()))
    write_text_atomic(out_dir / "comment.md", format_issue_comment(submission, _site_url(root)))
    if submission.ok:
        write_text_atomic(root / submission.path, submission.text)
        folder = (root / submission.path).parent
        for name, data in submission.files:
            write_bytes_atomic(folder / name, data)
        title, pr_body = format_pull_request(submission, read_attachment_urls(body))
        write_text_atomic(out_dir / "pr-title.txt", title + "\n")
        write_text_atomic(out_dir / "pr-body.md", pr_body)
        click.echo(f"สร้างไฟล์แล้ว (created): {submission.path}")
    else:
        click.echo("ยังสร้างผลงานไม่ได้ ดูรายละเอียดใน comment.md (not created; see comment.md)")
    _write_outputs(
        github_output,
        ok=str(submission.ok).lower(),
        branch=submission.branch,
        folder=str(Path(submission.path).parent.as_posix()) if submission.path else "",
    )


@click.command("issue-form")
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=None)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help=f"default: {ISSUE_FORM_PATH}",
)
def issue_form_command(root: Path | None, output: Path | None) -> None:
    """สร้างแบบฟอร์ม issue ใหม่จากนิยามข้อมูล (regenerate the GitHub issue form)."""
    root = _root(root)
    target = output or root / ISSUE_FORM_PATH
    write_text_atomic(target, format_issue_form(load_vocabularies(root / VOCABULARY_FILE)))
    click.echo(f"เขียนแล้ว (written): {target}")
