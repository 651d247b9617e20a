"""Bundled synthetic exports: realistic, reproducible stand-ins for the Department's real data.

:func:`generate` simulates every dossier received by the Department of Industry and Trade of
Khánh Hòa (Sở Công Thương) from 01/01/2021 to 30/09/2026 over its eight fields, follows each one
through its life (registered, accepted, resolved or withdrawn, returned) and writes what the real
systems would have exported at the end of each period:

* yearly dossier lists 2021-2024 (titled xlsx, text dates, Excel date cells or mixed styles),
* the 2025-H1 list as an HTML table saved as ``.xls``,
* the API dump from 07/2025 to 09/2026 (CSV with codes, ISO dates, a receiving-unit column),
* form II.06a per year 2021-2025 (by field) and for 2026-Q3 (by receiving unit),
* per-dossier satisfaction evaluations and the yearly SIPAS-style survey,
* the budget, payroll and manual indicator sheets kept by the office,
* form 06a of 2026-Q1 titled with its official reporting window (15/12/2025-14/03/2026),
* the Department's procedure catalogue (danh mục TTHC, with internal procedures) and the programme's
  task register (areas II.1-II.6 and III),
* the dossiers of the former Ninh Thuận department before the merger (2021-01-01..2025-06-30),
* the national portal's monthly service-index table (QĐ 766) for every month of 2025.

The API dump also carries the fields the QĐ 766 index reads (supplement request and completion dates,
digitised components, reused data, the e-result's path).

The exports overlap the way real ones do (dossiers open at the end of a period appear again in the
next export), and a few rows in each dossier export carry the problems real exports have. The
``manifest.json`` written beside the files says where each planted problem is.

Everything derives from one seed: two runs write the same bytes (fixed workbook timestamps, explicit
encodings and line terminators, no wall-clock time, no hash ordering).

Examples
--------
>>> from pathlib import Path
>>> paths = generate(Path("data/raw/sample"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

from cchc_analysis.sample.dossier_exports import _dossier_api_csv, _dossier_list_html, _dossier_list_xlsx
from cchc_analysis.sample.forms import _form06a_official_window, _form06a_units, _form06a_year
from cchc_analysis.sample.merged import ninh_thuan_dossiers
from cchc_analysis.sample.office import _budget, _evaluations, _manual, _payroll, _survey
from cchc_analysis.sample.programme_exports import index766_months, procedure_catalogue, task_register
from cchc_analysis.sample.reference import _DAY, LAST_DAY, MERGER_DAY, SEED, STATUS_CANONICAL
from cchc_analysis.sample.simulation import _seconds, _simulate, _status_at, _World
from cchc_analysis.sample.writers import _atomic_write, _Output

__all__ = ["SEED", "STATUS_CANONICAL", "generate"]


def _story(world: _World) -> dict:
    """Per-year headline numbers of the simulated truth (what a correct cleaning should find)."""
    d = world.dossiers
    final = _status_at(d, _seconds(LAST_DAY) + _DAY - 1)
    received = ~np.isin(final, (1, 3))
    year = d["day"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    online = d["channel"].to_numpy() == 2
    fee = d["fee"].to_numpy()
    out: dict[str, dict] = {"dossiers_received": {}, "online_share": {}, "full_online_share": {},
                            "online_payment_share": {}}
    for y in range(2021, 2027):
        m = received & (year == y)
        out["dossiers_received"][str(y)] = int(m.sum())
        out["online_share"][str(y)] = round(float(online[m].mean()), 4)
        out["full_online_share"][str(y)] = round(float((d["level"].to_numpy()[m] == 4).mean()), 4)
        out["online_payment_share"][str(y)] = round(float(d["paid"].to_numpy()[m & fee].mean()), 4)
    out["unique_dossiers"] = int(len(d))
    out["merger_date"] = MERGER_DAY
    return out


def _cross_file_duplicates(outputs: Sequence[_Output]) -> list[dict]:
    """Dossier ids that appear in more than one export, with every (file, row) they appear at."""
    seen: dict[str, list[dict]] = {}
    for out in outputs:
        for dossier_id, rows in out.dossier_rows.items():
            seen.setdefault(dossier_id, []).extend({"file": out.name, "row": r} for r in rows)
    return [{"dossier_id": k, "rows": v} for k, v in sorted(seen.items())
            if len({r["file"] for r in v}) > 1]


def _manifest(world: _World, outputs: Sequence[_Output]) -> bytes:
    """manifest.json: per-file kind, rows, layout and planted problems; sorted keys, stable bytes."""
    manifest = {
        "generator": "cchc_analysis.sample",
        "seed": SEED,
        "conventions": {
            "rows": "1-based sheet rows for xlsx, <tr> index of the single table for html, CSV record "
                    "numbers with the header as record 1.",
            "rows_count": "`rows` counts data rows only (title, header, numbering, section, total, blank and "
                          "footer rows are not data rows), including bad and duplicate rows.",
            "bad_rows": "Rows planted with a problem a cleaner should quarantine; they are extra rows, not "
                        "copies of a real dossier's only row.",
            "duplicate_rows": "Exact copies of an earlier row of the same file (first_row).",
            "cross_file_duplicates": "Dossiers listed in more than one export (carried over while open, or "
                                     "the two-week overlap of the html list and the API dump).",
            "carried_over_rows": "Rows of dossiers received before the file's period (still open at its "
                                 "start; for the API dump also the two weeks it overlaps the html list).",
            "story": "Headline numbers of the simulated truth under the data contract's definitions (final status).",
        },
        "files": {out.name: out.entry for out in outputs},
        "cross_file_duplicates": _cross_file_duplicates(outputs),
        "story": _story(world),
    }
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _builders() -> list[tuple[str, Callable[[_World], _Output]]]:
    """Every export to write, in a fixed order, as (description, builder)."""
    out: list[tuple[str, Callable[[_World], _Output]]] = []
    for year, style in ((2021, "text"), (2022, "excel"), (2023, "mixed"), (2024, "text")):
        out.append((f"dossier list {year}", lambda w, y=year, s=style: _dossier_list_xlsx(w, y, s)))
    out.append(("dossier list 2025-H1 (html)", _dossier_list_html))
    out.append(("API dump 2025-Q3..2026-Q3", _dossier_api_csv))
    out += [(f"form 06a {y}", lambda w, y=y: _form06a_year(w, y)) for y in range(2021, 2026)]
    out.append(("form 06a 2026-Q3 by unit", _form06a_units))
    out += [(f"evaluations {y}", lambda w, y=y: _evaluations(w, y)) for y in range(2021, 2027)]
    out += [(f"survey {y}", lambda w, y=y: _survey(w, y)) for y in range(2021, 2027)]
    out += [("budget", _budget), ("payroll", _payroll), ("manual indicators", _manual)]
    # v2 inputs (issue #12, #13): each from a generator of its own, so the files above do not change
    out.append(("form 06a 2026-Q1 (official window)", _form06a_official_window))
    out += [("procedure catalogue", procedure_catalogue), ("task register", task_register)]
    out.append(("Ninh Thuận dossiers before the merger", ninh_thuan_dossiers))
    out += index766_months()
    return out


def generate(out_dir: Path, *, progress: bool = False) -> list[Path]:
    """Write the synthetic exports into out_dir (created if needed) and return the paths written, sorted.

    Parameters
    ----------
    out_dir : pathlib.Path
        Folder to write into; existing files of the same names are replaced atomically, other files
        (such as a README) are left alone.
    progress : bool, default False
        Show a progress bar over the files.

    Returns
    -------
    list of pathlib.Path
        The exports and ``manifest.json``, sorted by path. The same version writes the same bytes.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:  # doctest: +SKIP
    ...     paths = generate(Path(tmp))
    ...     [p.name for p in paths][:2]
    ['bao_cao_06a_2021.xlsx', 'bao_cao_06a_2022.xlsx']
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    world = _simulate()
    outputs, paths = [], []
    for _, build in tqdm(_builders(), desc="cchc sample", unit="file", disable=not progress):
        output = build(world)
        _atomic_write(out_dir / output.name, output.data)
        outputs.append(output)
        paths.append(out_dir / output.name)
    _atomic_write(out_dir / "manifest.json", _manifest(world, outputs))
    paths.append(out_dir / "manifest.json")
    return sorted(paths)
