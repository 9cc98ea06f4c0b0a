"""No Python traceback ever reaches a user, even from a defect inside perfdsl."""

from __future__ import annotations

from click.testing import CliRunner

import perfdsl.commands.check
from perfdsl.cli import main


def test_a_crash_inside_a_command_is_one_line_and_exit_2(monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(perfdsl.commands.check, "run_check", crash)
    result = CliRunner().invoke(main, ["check", "examples/beichen-court-2024.pdsl"])
    assert result.exit_code == 2
    assert "internal error: RuntimeError: kaboom" in result.output
    assert "Traceback" not in result.output


def test_usage_errors_stay_click_usage_errors():
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert "用法" in result.output and "Traceback" not in result.output  # (the default, zh)
    english = CliRunner().invoke(main, ["check", "--lang", "en"])
    assert english.exit_code == 2 and "Usage" in english.output
