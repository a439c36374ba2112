"""The README stays true: every command is documented, CI runs README's test command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from toolkit.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(subparsers.choices)


def test_every_command_appears_in_the_readme() -> None:
    for command in commands():
        assert f"triglot {command}" in README, command


def test_readme_shows_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)\n```", setup, re.S)
    assert len(blocks) == 2
    main_job, tests = blocks
    assert "examples/" in main_job and "pytest" in tests
    steps = re.findall(r'^step "(.*)"$', (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    assert " && ".join(steps) == tests.strip()


def test_every_setting_is_documented() -> None:
    from dataclasses import fields

    from service import ServiceSettings
    from toolkit.settings import ENV_PREFIX, Settings

    for settings in (Settings, ServiceSettings):
        for field in fields(settings):
            assert f"`{ENV_PREFIX}{field.name.upper()}`" in README, field.name
