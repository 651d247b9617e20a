"""The command line: sub-commands, exit statuses, no tracebacks."""

from __future__ import annotations

import subprocess
import sys

from cchc_analysis import cli


def test_help_lists_the_contract_subcommands(capsys):
    assert cli.main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("clean", "indicators", "report", "sample"):
        assert command in out


def test_wrong_command_line_exits_2(capsys):
    assert cli.main(["no-such-command"]) == 2
    assert cli.main(["indicators", "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice" in err


def test_missing_step_says_not_yet_available(monkeypatch, capsys):
    def unavailable(module, attribute):
        raise cli.StepUnavailable(module)

    monkeypatch.setattr(cli, "_require", unavailable)
    assert cli.main(["report", "--year", "2025"]) == 2
    err = capsys.readouterr().err
    assert "chưa có" in err and "Traceback" not in err


def test_unexpected_error_is_one_sentence(monkeypatch, capsys):
    def boom(module, attribute):
        def run(*args, **kwargs):
            raise RuntimeError("disk full")
        return run

    monkeypatch.setattr(cli, "_require", boom)
    assert cli.main(["sample", "--out", "x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cchc sample:") and "disk full" in err


def test_python_dash_m_entry_point():
    done = subprocess.run([sys.executable, "-m", "cchc_analysis", "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("cchc-analysis ")
