"""The README opens with the demo and test commands, and CI runs that very test command."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/mercato demo"
TESTS = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def test_readme_opens_with_the_demo_and_test_commands() -> None:
    paragraphs = (ROOT / "README.md").read_text().split("\n\n")

    assert paragraphs[0] == "# mercato"
    assert paragraphs[1].count(". ") == 0
    assert paragraphs[1].endswith(".")
    assert paragraphs[2:4] == [f"```sh\n{DEMO}\n```", f"```sh\n{TESTS}\n```"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()

    assert ci[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in ci
    assert f"{TESTS} || status=$?" in ci
    assert "DATABASE_URL=postgresql://root@127.0.0.1:5432/test .venv/bin/pytest || status=$?" in ci
    assert (ROOT / ".ci" / "run").stat().st_mode & 0o111
