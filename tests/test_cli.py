"""The command line: sub-commands, exit statuses, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_unknown_kind_exits_2_and_lists_the_registered_kinds(capsys):
    from cchc_analysis.ingest.pipeline import available_kinds

    assert cli.main(["clean", "--kind", "no_such_kind", "--out", "unused"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cchc clean: ") and "no_such_kind" in err and err.count("\n") == 1
    kinds = list(available_kinds())
    assert {"dossiers", "report06a", "evaluations", "survey", "budget", "payroll", "manual"} <= set(kinds)
    assert all(kind in err for kind in kinds)


def test_the_cli_names_no_kind_itself():
    """The kinds come from the kind modules (``ingest``), never from a list in the command line."""
    source = Path(cli.__file__).read_text(encoding="utf-8")
    assert '"report06a"' not in source and '"payroll"' not in source


def test_unexpected_error_is_one_sentence(monkeypatch, capsys):
    import cchc_analysis.sample

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(cchc_analysis.sample, "generate", boom)
    assert cli.main(["sample", "--out", "x"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cchc sample:") and "disk full" in err and "Traceback" not in err


def test_report_options_reach_the_settings(monkeypatch):
    import cchc_analysis.pack as pack

    seen = {}

    def fake(**kwargs):
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(pack, "run_cli", fake)
    assert cli.main(["report", "--period", "2026-H1", "--raw", "r", "--out", "o", "-q"]) == 0
    assert seen == {"year": None, "period": "2026-H1", "raw": "r", "out": "o", "params": None, "progress": False,
                    "server": None}  # in a program's own process: no kernel server forked before the imports


def test_python_dash_m_entry_point():
    done = subprocess.run([sys.executable, "-m", "cchc_analysis", "--version"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("cchc-analysis ")


def test_the_cchc_process_spares_the_collector_at_exit_and_main_does_not():
    code = ("import contextlib, gc, io\nfrom cchc_analysis import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    cli.main(['--version'])\n"
            "before = gc.get_freeze_count()\n"
            "cli.main = lambda argv=None, **kw: 7\n"
            "code = cli.run([])\n"
            "print(before, code, gc.get_freeze_count() > 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0", "7", "True"], done.stderr[-2000:]
