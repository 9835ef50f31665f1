"""The staff guide documents every deploy setting and command-line option."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.deploy.cli import budget_command, deploy_command
from build_tools.deploy.config import TOP_LEVEL_KEYS, TargetConfig, load_deploy_config

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs/DEPLOY.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "key", sorted((set(TargetConfig.__dataclass_fields__) - {"name"}) | TOP_LEVEL_KEYS)
)
def test_every_setting_is_documented(key):
    assert f"`{key}`" in GUIDE


@pytest.mark.parametrize("command", [deploy_command, budget_command], ids=lambda c: c.name)
def test_every_option_is_documented(command):
    assert f"ifte {command.name}" in GUIDE
    for param in command.params:
        for flag in param.opts:
            if flag.startswith("-"):
                assert f"`{flag}" in GUIDE, flag


def test_example_config_loads_without_credentials():
    config = load_deploy_config(ROOT / "deploy.yml")
    assert config.target(None).host == "www.example.go.th"
    text = (ROOT / "deploy.yml").read_text(encoding="utf-8")
    assert "password:" not in text
