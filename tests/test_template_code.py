"""The template's own Python (hooks and tests) is lint-clean and formatted."""

import sys

from tests.conftest import TEMPLATE_DIR, run


def test_hooks_and_tests_are_ruff_clean():
    result = run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "hooks", "tests"], TEMPLATE_DIR
    )
    assert result.returncode == 0, result.stdout


def test_hooks_and_tests_are_ruff_formatted():
    result = run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "hooks", "tests"],
        TEMPLATE_DIR,
    )
    assert result.returncode == 0, result.stdout
