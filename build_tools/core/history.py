"""When each entry last changed, from git history (one `git log` for all files).

Git dates keep builds reproducible: a fresh clone has new file times, but the
same history. Files that git does not know yet fall back to their mtime.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def read_git_dates(root: Path, folder: str = "innovations") -> dict[str, dt.date]:
    """Map of POSIX path (relative to the repository top) → date of the last commit."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        log = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--format=@%cs",
                "--name-only",
                "--no-renames",
                "--",
                folder,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    prefix = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in log.splitlines():
        if line.startswith("@"):
            current = dt.date.fromisoformat(line[1:])
        elif line and current is not None and line.startswith(prefix):
            dates.setdefault(line[len(prefix) :], current)  # newest commit comes first
    return dates


def last_updated(
    path: str | Path, root: Path, git_dates: dict[str, dt.date], mtime: float | None = None
) -> dt.date:
    """The file's last commit date, else its mtime (`st_mtime`, given when the caller has it)."""
    if git_dates:
        text, prefix = os.fspath(path), f"{root}{os.sep}"
        # Strings, not Path.relative_to: this runs for every entry of every build.
        relative = text[len(prefix) :] if text.startswith(prefix) else text
        date = git_dates.get(relative.replace(os.sep, "/"))
        if date is not None:
            return date
    return dt.datetime.fromtimestamp(
        os.stat(path).st_mtime if mtime is None else mtime, dt.UTC
    ).date()
