"""The README's two set-up commands are the ones people and CI really run."""

import re

from tests.helpers import REPO


def _commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    start = readme.index("## Start")
    section = readme[start:readme.index("\n## ", start + 1)]
    return re.findall(r"```\n(.+?)\n```", section)


def test_the_readme_gives_exactly_two_set_up_commands():
    commands = _commands()
    assert len(commands) == 2
    assert "manage.py runthru" in commands[0]
    assert "pytest" in commands[1] and "ruff check" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert _commands()[1] in ci
