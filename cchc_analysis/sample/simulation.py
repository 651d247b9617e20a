"""The simulated world: applicants, every dossier received 2021-01-01..2026-09-30 and its life.

:func:`_simulate` draws everything from :data:`~cchc_analysis.sample.reference.SEED`; :func:`_snapshot`
gives the dossiers an export of a period lists, as the system showed them at a moment.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cchc_analysis.sample.reference import (
    _DAY,
    _NEVER,
    _REJECTED,
    _RESOLVED,
    _SUSPENDED,
    _WITHDRAWN,
    COMPANY_FORMS,
    DIGITIZED,
    EID_GIVEN_ONLINE,
    FAMILY_NAMES,
    FAMILY_WEIGHTS,
    FINISHED_CODES,
    FIRST_DAY,
    FULL_GIVEN_ONLINE,
    GIVEN_NAMES,
    ID_PREFIX,
    LAST_DAY,
    LATE,
    MERGER_DAY,
    MIDDLE_NAMES,
    ONLINE,
    OPEN_CODES,
    PAID_GIVEN_ONLINE,
    PHONE_PREFIXES,
    PROCEDURES,
    REGIONS,
    SEED,
    TET_DAYS,
    TRADES,
    VILLAGES,
    VOLUME,
    _Region,
)


def _day(text: str) -> int:
    """Day number (days since 1970-01-01) of an ISO date.

    >>> _day("1970-01-02")
    1
    """
    return int(np.datetime64(text, "D").astype(np.int64))


def _seconds(text: str) -> int:
    """Seconds since 1970-01-01 of an ISO date (midnight) or datetime."""
    return int(np.datetime64(text, "s").astype(np.int64))


def _trend(anchors: Sequence[tuple[str, float]], days: np.ndarray) -> np.ndarray:
    """Interpolate (date, value) anchors at the given day numbers, flat outside the anchors.

    >>> float(_trend((("2021-01-01", 0.0), ("2021-01-11", 1.0)), np.array([_day("2021-01-06")]))[0])
    0.5
    """
    xs = np.array([_day(d) for d, _ in anchors], dtype=float)
    ys = np.array([v for _, v in anchors], dtype=float)
    return np.interp(np.asarray(days, dtype=float), xs, ys)


def _dossier_id(day: int, seq: int) -> str:
    """The one-stop-shop dossier id of the seq-th dossier received on a day.

    >>> _dossier_id(_day("2024-01-02"), 1)
    '000.00.23.H32-240102-0001'
    """
    d = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
    return f"{ID_PREFIX}-{d:%y%m%d}-{seq:04d}"


def _to_datetimes(seconds: np.ndarray) -> list[dt.datetime | None]:
    """Python datetimes of epoch seconds; the never-sentinel gives None."""
    values = np.where(seconds >= _NEVER, np.datetime64("NaT"), seconds.astype("datetime64[s]"))
    return list(values.astype("datetime64[s]").astype(object))


def _file_rng(name: str) -> np.random.Generator:
    """A generator of its own for each output file, so files do not shift one another's draws."""
    return np.random.default_rng((SEED, zlib.crc32(name.encode("utf-8"))))


@dataclass
class _World:
    """The simulated truth every export is cut from."""

    dossiers: pd.DataFrame
    applicants: pd.DataFrame
    calendar: np.busdaycalendar
    last_seq: dict[int, int]

    def fresh_id(self, day: int) -> str:
        """A dossier id not used by any simulated dossier (the next number of that day)."""
        self.last_seq[day] = self.last_seq.get(day, 0) + 1
        return _dossier_id(day, self.last_seq[day])


def _holidays() -> np.ndarray:
    """Public holidays (New Year, Tết week, 30/4, 1/5, 2/9) of 2021-2026."""
    days = [f"{year}-{md}" for year in range(2021, 2028) for md in ("01-01", "04-30", "05-01", "09-02")]
    tet = [np.datetime64(t) + k for t in TET_DAYS for k in range(-2, 5)]
    return np.unique(np.concatenate([np.array(days, dtype="datetime64[D]"), np.array(tet)]))


def _person_names(rng: np.random.Generator, female: np.ndarray) -> list[str]:
    """Random Vietnamese full names (family, middle, given) for each gender flag."""
    fam_p = np.array(FAMILY_WEIGHTS, dtype=float) / sum(FAMILY_WEIGHTS)
    family = rng.choice(len(FAMILY_NAMES), size=female.size, p=fam_p)
    middle = rng.integers(0, 1000, female.size)
    given = rng.integers(0, 1000, female.size)
    names = []
    for f, a, b, c in zip(female, family, middle, given, strict=True):
        mids, givens = MIDDLE_NAMES[int(f)], GIVEN_NAMES[int(f)]
        names.append(f"{FAMILY_NAMES[a]} {mids[b % len(mids)]} {givens[c % len(givens)]}")
    return names


def _id_numbers(rng: np.random.Generator, region: _Region, female: np.ndarray, birth: np.ndarray) -> list[str]:
    """12-digit citizen ID numbers: province code, gender-and-century digit, birth year, six digits."""
    p = np.array(region.id_weights, dtype=float) / sum(region.id_weights)
    codes = rng.choice(len(region.id_codes), size=female.size, p=p)
    tails = rng.integers(0, 1_000_000, female.size)
    return [f"{region.id_codes[c]}{int(f) + (2 if y >= 2000 else 0)}{y % 100:02d}{t:06d}"
            for c, f, y, t in zip(codes, female, birth, tails, strict=True)]


def _phones(rng: np.random.Generator, n: int) -> list[str]:
    """10-digit mobile numbers starting 03, 07, 08 or 09."""
    prefixes = rng.integers(0, len(PHONE_PREFIXES), n)
    tails = rng.integers(0, 10_000_000, n)
    return [f"{PHONE_PREFIXES[p]}{t:07d}" for p, t in zip(prefixes, tails, strict=True)]


def _addresses(rng: np.random.Generator, region: _Region, n: int) -> list[str]:
    """House-and-street or village addresses in the region's wards, with or without the province."""
    ward = rng.integers(0, len(region.wards), n)
    street = rng.integers(0, len(region.streets), n)
    number = rng.integers(1, 300, n)
    alley = rng.integers(0, 20, n)
    village = rng.integers(0, len(VILLAGES), n)
    suffix = rng.random(n) < 0.5
    out = []
    for w, s, num, al, v, suf in zip(ward, street, number, alley, village, suffix, strict=True):
        ward_name, district = region.wards[w]
        if ward_name.startswith("Xã"):
            head = VILLAGES[v]
        else:
            house = f"{num}/{al}" if al < 4 else (f"{num}A" if al == 4 else f"{num}")
            head = f"{house} {region.streets[s]}"
        out.append(f"{head}, {ward_name}, {district}" + (f", {region.province}" if suf else ""))
    return out


def _simulate_applicants(rng: np.random.Generator, sizes: tuple[int, int]) -> pd.DataFrame:
    """Applicant pools of the two regions: individuals, household businesses and companies."""
    frames = []
    for region, n in zip(REGIONS, sizes, strict=True):
        female = rng.random(n) < 0.48
        birth = rng.integers(1955, 2005, n)
        person = _person_names(rng, female)
        kind = rng.choice(3, size=n, p=(0.45, 0.20, 0.35))
        forms = rng.choice(len(COMPANY_FORMS), size=n, p=(0.45, 0.15, 0.2, 0.15, 0.05))
        trades = rng.integers(0, len(TRADES), n)
        brands = rng.integers(0, len(region.brands), n)
        names = [
            p if k == 0 else (f"Hộ kinh doanh {p}" if k == 1
                              else f"{COMPANY_FORMS[f]} {TRADES[t]} {region.brands[b]}")
            for p, k, f, t, b in zip(person, kind, forms, trades, brands, strict=True)
        ]
        frames.append(pd.DataFrame({
            "name": names,
            "id_number": _id_numbers(rng, region, female, birth),
            "phone": _phones(rng, n),
            "address": _addresses(rng, region, n),
        }))
    return pd.concat(frames, ignore_index=True)


def _arrivals(rng: np.random.Generator, calendar: np.busdaycalendar) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers and receiving units of every dossier, drawn day by day from the volume trends."""
    days = np.arange(np.datetime64(FIRST_DAY), np.datetime64(LAST_DAY) + 1)
    dn = days.astype(np.int64)
    open_day = np.is_busday(days, busdaycal=calendar)
    saturday = (dn + 3) % 7 == 5
    factor = np.where(open_day, 1.0, np.where(saturday, 0.12, 0.05))
    factor = factor * np.where(days.astype("datetime64[M]").astype(np.int64) % 12 == 11, 1.1, 1.0)
    merged = dn >= _day(MERGER_DAY)
    rates = [_trend(VOLUME[0], dn), np.where(merged, _trend(VOLUME[1], dn), 0.0)]
    counts = [rng.poisson(rate * factor / 255) for rate in rates]
    day = np.concatenate([np.repeat(dn, c) for c in counts])
    unit = np.concatenate([np.full(int(c.sum()), k) for k, c in enumerate(counts)])
    return day, unit


def _clock(rng: np.random.Generator, online: np.ndarray) -> np.ndarray:
    """Seconds after midnight: office hours at the counter, most of the day online."""
    n = online.size
    hours = np.array([0, 0, 0, 0, 0, 0, 1, 3, 8, 9, 9, 7, 4, 5, 8, 8, 7, 5, 3, 3, 3, 2, 1, 0], dtype=float)
    online_sec = rng.choice(24, size=n, p=hours / hours.sum()) * 3600 + rng.integers(0, 3600, n)
    minute = rng.integers(0, 435, n)
    office_min = np.where(minute < 240, 450 + minute, 810 + minute - 240)
    office_sec = office_min * 60 + rng.integers(0, 60, n)
    return np.where(online, online_sec, office_sec)


def _simulate_dossiers(rng: np.random.Generator, calendar: np.busdaycalendar,
                       pool_sizes: tuple[int, int]) -> pd.DataFrame:
    """Every dossier of 2021-01-01..2026-09-30 with its attributes, in order of reception, with ids."""
    day, unit = _arrivals(rng, calendar)
    n = day.size
    open_day = np.is_busday(day.astype("datetime64[D]"), busdaycal=calendar)
    p_online = np.where(unit == 0, _trend(ONLINE[0], day), _trend(ONLINE[1], day))
    online = (rng.random(n) < p_online) | ~open_day
    channel = np.where(online, 2, np.where(rng.random(n) < 0.14, 3, 1))
    received = day * _DAY + _clock(rng, online)
    weights = np.array([p.weight for p in PROCEDURES], dtype=float)
    proc = rng.choice(len(PROCEDURES), size=n, p=weights / weights.sum())
    fee = np.array([p.fee for p in PROCEDURES])[proc]
    level = np.where(online, np.where(rng.random(n) < _trend(FULL_GIVEN_ONLINE, day), 4, 3), 0)
    paid = fee & online & (rng.random(n) < _trend(PAID_GIVEN_ONLINE, day))
    eid = online & (rng.random(n) < _trend(EID_GIVEN_ONLINE, day))
    digitized = rng.random(n) < _trend(DIGITIZED, day)
    ranks = [np.arange(size) for size in pool_sizes]
    picks = [rng.choice(size, size=n, p=(r + 1.0) ** -0.7 / ((r + 1.0) ** -0.7).sum())
             for size, r in zip(pool_sizes, ranks, strict=True)]
    applicant = np.where(unit == 0, picks[0], pool_sizes[0] + picks[1])
    frame = pd.DataFrame({
        "day": day, "unit": unit, "channel": channel, "received": received, "proc": proc, "fee": fee,
        "level": level, "paid": paid, "eid": eid, "digitized": digitized, "applicant": applicant,
    })
    frame = frame.sort_values(["received"], kind="stable").reset_index(drop=True)
    starts = np.r_[0, np.flatnonzero(np.diff(frame["day"].to_numpy()) != 0) + 1]
    lengths = np.diff(np.r_[starts, n])
    frame["seq"] = np.arange(n) - np.repeat(starts, lengths) + 1
    frame["dossier_id"] = [_dossier_id(d, s) for d, s in zip(frame["day"], frame["seq"], strict=True)]
    return _lifecycle(rng, frame, calendar)


def _lifecycle(rng: np.random.Generator, frame: pd.DataFrame, calendar: np.busdaycalendar) -> pd.DataFrame:
    """Acceptance, due date, outcome, end and return times of every dossier (epoch seconds)."""
    n = len(frame)
    recv = frame["received"].to_numpy()
    recv_day = frame["day"].to_numpy().astype("datetime64[D]")
    tod = recv - frame["day"].to_numpy() * _DAY
    deadline = np.array([p.deadline for p in PROCEDURES])[frame["proc"].to_numpy()]
    online = frame["channel"].to_numpy() == 2

    def offset(days: np.ndarray, k: np.ndarray) -> np.ndarray:
        return np.busday_offset(days, k, roll="forward", busdaycal=calendar).astype(np.int64)

    def office_time(size: int) -> np.ndarray:
        return rng.integers(7 * 3600 + 1800, 17 * 3600, size)

    due_day = offset(recv_day, deadline)
    accept = recv + np.where(online, (rng.uniform(0.2, 30, n) * 3600).astype(np.int64), 0)
    u = rng.random(n)
    outcome = np.select([u < 0.025, u < 0.045, u < 0.055], [_REJECTED, _WITHDRAWN, _SUSPENDED], _RESOLVED)
    late = rng.random(n) < _trend(LATE, frame["day"].to_numpy())
    on_due = rng.random(n) < 0.22
    early_k = 1 + np.floor(rng.beta(1.6, 2.4, n) * (deadline - 1)).astype(np.int64)
    late_k = rng.geometric(0.25, n)
    finish_day = np.where(late, offset(due_day.astype("datetime64[D]"), late_k),
                          np.where(on_due, due_day, offset(recv_day, early_k)))
    stop_day = offset(recv_day, rng.integers(1, deadline + 1))
    finish = np.maximum(finish_day * _DAY + office_time(n), accept + 3600)
    stop = np.maximum(stop_day * _DAY + office_time(n), accept + 3600)
    reject = recv + (rng.uniform(0.5, 40, n) * 3600).astype(np.int64)
    end = np.select([outcome == _RESOLVED, outcome == _REJECTED], [finish, reject], stop)
    accept = np.where(outcome == _REJECTED, reject, accept)
    returned = end + (rng.exponential(1.2, n) * _DAY).astype(np.int64)
    returned = np.where((outcome == _RESOLVED) & (rng.random(n) > 0.05), returned, _NEVER)
    open_code = rng.choice(np.array([4, 2, 5, 6]), size=n, p=(0.68, 0.10, 0.14, 0.08))
    open_code = np.where((open_code == 6) & ~frame["fee"].to_numpy(), 4, open_code)
    return frame.assign(due=due_day * _DAY + tod, accept=accept, outcome=outcome, end=end, returned=returned,
                        open_code=open_code)


def _simulate() -> _World:
    """The whole simulated world, from the module seed."""
    rng = np.random.default_rng(SEED)
    calendar = np.busdaycalendar(holidays=_holidays())
    sizes = (3500, 1400)
    applicants = _simulate_applicants(rng, sizes)
    dossiers = _simulate_dossiers(rng, calendar, sizes)
    last_seq = dossiers.groupby("day")["seq"].max().astype(int).to_dict()
    return _World(dossiers, applicants, calendar, {int(k): v for k, v in last_seq.items()})


def _status_at(d: pd.DataFrame, at: int) -> np.ndarray:
    """Status code (1-10) of each dossier as the system showed it at epoch second ``at``."""
    outcome, end = d["outcome"].to_numpy(), d["end"].to_numpy()
    code = np.where(at < d["accept"].to_numpy(), 1, d["open_code"].to_numpy())
    ended = at >= end
    code = np.where(ended & (outcome == _REJECTED), 3, code)
    code = np.where(ended & (outcome == _WITHDRAWN), 7, code)
    code = np.where(ended & (outcome == _SUSPENDED), 8, code)
    done = np.where(at >= d["returned"].to_numpy(), 10, 9)
    return np.where(ended & (outcome == _RESOLVED), done, code)


def _export_mask(d: pd.DataFrame, start: str, end: str) -> np.ndarray:
    """Dossiers an export of [start, end] lists: received in it, or received before and still open."""
    s, e = _seconds(start), _seconds(end) + _DAY
    recv = d["received"].to_numpy()
    carried = (recv < s) & np.isin(_status_at(d, s - 1), OPEN_CODES)
    return ((recv >= s) & (recv < e)) | carried


def _snapshot(world: _World, mask: np.ndarray, at: int) -> list[dict]:
    """Records of the masked dossiers as the system showed them at epoch second ``at``."""
    d = world.dossiers[mask]
    status = _status_at(d, at)
    due = np.where(np.isin(status, (1, 3)), _NEVER, d["due"].to_numpy())
    resolved = np.where(np.isin(status, FINISHED_CODES), d["end"].to_numpy(), _NEVER)
    apps = world.applicants.iloc[d["applicant"].to_numpy()]
    columns = {
        "id": d["dossier_id"].tolist(), "day": d["day"].tolist(), "proc": d["proc"].tolist(),
        "unit": np.where(d["received"].to_numpy() >= _seconds(MERGER_DAY), d["unit"].to_numpy(), -1).tolist(),
        "channel": d["channel"].tolist(), "level": d["level"].tolist(), "status": status.tolist(),
        "received": _to_datetimes(d["received"].to_numpy()), "due": _to_datetimes(due),
        "resolved": _to_datetimes(resolved), "fee": d["fee"].tolist(), "paid": d["paid"].tolist(),
        "digitized": (d["digitized"].to_numpy() & np.isin(status, (9, 10))).tolist(), "eid": d["eid"].tolist(),
        "name": apps["name"].tolist(), "id_number": apps["id_number"].tolist(), "phone": apps["phone"].tolist(),
        "address": apps["address"].tolist(),
    }
    keys = list(columns)
    return [dict(zip(keys, values, strict=True)) for values in zip(*columns.values(), strict=True)]
