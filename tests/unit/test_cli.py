"""The `ifte` command: its sub-commands, listed and found, and what it imports to start."""

from __future__ import annotations

import subprocess
import sys

import click
from click.testing import CliRunner

from build_tools.cli import main


def test_every_listed_command_is_found_under_its_name_and_shown_in_the_help():
    context = click.Context(main)
    names = main.list_commands(context)
    assert {"build", "check", "deploy", "search", "new", "pr-check", "issue-form"} <= set(names)
    for name in names:
        assert main.get_command(context, name).name == name
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert all(name in result.output for name in names)
    assert main.get_command(context, "no-such-command") is None


def test_starting_the_command_imports_no_sub_command_defined_elsewhere():
    code = (
        "import sys, build_tools.cli; "
        "print(sorted(m for m in sys.modules if m.startswith("
        "('build_tools.deploy', 'build_tools.contribute.submitcli', 'build_tools.search'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
