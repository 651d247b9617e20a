"""Staging and the atomic swap: a pack is written beside its final folder and renamed in whole.

The pack of ``reports/2025/`` is written into ``reports/.staging-2025-PID/``; when every step has
succeeded, :func:`swap_in` renames the previous pack aside (``.old-2025-PID``), renames the new one in,
moves the previous pack's ``logs/`` over and deletes the rest. A run that is killed leaves those folders
behind: the next run tidies them (:func:`recover`), putting a pack that was set aside back in place when
the final folder is missing. A failed run leaves the previous pack untouched.

>>> staging_folder(Path("reports/2025")).name.startswith(".staging-2025-")
True
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LOGS = "logs"


def staging_folder(final: Path) -> Path:
    """The folder the pack of ``final`` is written into during this run."""
    return final.parent / f".staging-{final.name}-{os.getpid()}"


def keep_failed(executed: Path, final: Path) -> Path | None:
    """Copy the executed notebook of a failed run into ``final/logs/failed/``; return the copy."""
    if not executed.exists():
        return None
    kept = final / LOGS / "failed" / executed.name
    kept.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, kept)
    return kept


def recover(final: Path) -> None:
    """Tidy what a killed run may have left beside ``final``: its staging folder is removed; a pack it
    had renamed aside is put back when ``final`` is missing (else removed)."""
    parent = final.parent
    if not parent.is_dir():
        return
    for prefix in (".staging-", ".old-"):
        for path in sorted(parent.glob(f"{prefix}{final.name}-*")):
            pid = path.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or int(pid) == os.getpid() or alive(int(pid)):
                continue
            if prefix == ".old-" and not final.exists():
                os.replace(path, final)
            else:
                shutil.rmtree(path, ignore_errors=True)


def alive(pid: int) -> bool:
    """True when a process with this id is running."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_in(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging``: rename the old pack aside, rename the new in, keep the old
    logs, delete the old pack. If the second rename fails, the old pack is put back."""
    final.parent.mkdir(parents=True, exist_ok=True)
    aside = None
    if final.exists():
        aside = final.parent / f".old-{final.name}-{os.getpid()}"
        os.replace(final, aside)
    try:
        os.replace(staging, final)
    except BaseException:
        if aside is not None:
            os.replace(aside, final)
        raise
    if aside is not None:
        old_logs = aside / LOGS
        if old_logs.is_dir():
            new_logs = final / LOGS
            new_logs.mkdir(exist_ok=True)
            for item in sorted(old_logs.iterdir()):
                if not (new_logs / item.name).exists():
                    os.replace(item, new_logs / item.name)
        shutil.rmtree(aside, ignore_errors=True)


