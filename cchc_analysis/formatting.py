"""Vietnamese formatting of numbers, money, periods and labels for charts and readings.

Vietnamese writes a decimal comma and groups thousands with dots: ``90,5%``, ``1.234.567``. Shares
are 0–1 proportions (docs/contract.md section 4) and are shown as percentages with the number of decimals
the milestone registry gives for the indicator. Missing values are shown as an en dash.

>>> percent(0.905), number(1234567), vnd(45_250_000_000)
('90,5%', '1.234.567', '45,3 tỷ đồng')
>>> period_label("2025-Q3"), period_label("2025-H1"), period_label("2025-07")
('Quý III/2025', '6 tháng đầu năm 2025', 'Tháng 7/2025')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from matplotlib.ticker import FuncFormatter

MISSING = "–"
DECIMAL_MARK = ","
GROUP_MARK = "."
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

#: Vietnamese names of the survey aspects (the five SIPAS factors and the overall question).
ASPECT_LABELS_VI = {
    "access": "Tiếp cận dịch vụ",
    "procedure": "Thủ tục hành chính",
    "staff": "Công chức giải quyết công việc",
    "result": "Kết quả dịch vụ",
    "feedback": "Tiếp nhận góp ý, phản ánh",
    "overall": "Đánh giá chung",
}
#: Vietnamese names of the breakdown kinds of the indicator table.
BREAKDOWN_KINDS_VI = {"field": "lĩnh vực", "aspect": "khía cạnh", "unit": "đơn vị", "all": "toàn Sở"}
#: Where each registry ``source`` comes from, for chart footnotes.
SOURCES_VI = {
    "dossiers": "Hệ thống thông tin giải quyết TTHC (danh sách hồ sơ)",
    "evaluations": "Phiếu đánh giá mức độ hài lòng về giải quyết TTHC",
    "survey": "Khảo sát sự hài lòng đối với sự phục vụ của Sở",
    "manual": "Số liệu tổng hợp của Văn phòng Sở",
    "budget": "Dự toán, quyết toán kinh phí các đơn vị sự nghiệp công lập",
    "payroll": "Báo cáo biên chế, số người làm việc các đơn vị sự nghiệp công lập",
    "procedures": "Danh mục thủ tục hành chính của Sở",
    "tasks": "Danh mục nhiệm vụ cải cách hành chính",
}
#: Reading of the target operators, for milestone labels.
OPERATOR_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value or bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def number(value: float | int | None, decimals: int = 0, *, sign: bool = False) -> str:
    """A number with dots between thousands and a decimal comma, rounded half up.

    Parameters
    ----------
    value : float, int or None
        The number (``None`` or NaN gives an en dash).
    decimals : int
        Digits after the decimal comma.
    sign : bool
        Write ``+`` before positive numbers (for changes).

    Examples
    --------
    >>> number(1234567), number(1234.5, 1), number(-0.25, 2), number(3, sign=True), number(None)
    ('1.234.567', '1.234,5', '-0,25', '+3', '–')
    """
    if _missing(value):
        return MISSING
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = f"{rounded:,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", DECIMAL_MARK).replace("\0", GROUP_MARK)
    if sign and rounded > 0:
        text = "+" + text
    return text


def decimals_of(indicator_id: str | None, registry: Mapping | None = None, default: int = 1) -> int:
    """The number of decimals the milestone registry gives for an indicator.

    >>> decimals_of("satisfaction_share"), decimals_of("public_unit_headcount"), decimals_of("nope")
    (1, 0, 1)
    """
    if indicator_id is None:
        return default
    spec = indicator_spec(indicator_id, registry)
    return int(spec.get("decimals", default))


def indicator_spec(indicator_id: str, registry: Mapping | None = None) -> Mapping[str, Any]:
    """The registry entry of an indicator (an empty mapping when it is unknown).

    >>> indicator_spec("satisfaction_share")["unit"]
    'share'
    """
    if registry is None:
        from cchc_analysis import milestones

        registry = milestones.load_registry()
    return (registry.get("indicators") or {}).get(indicator_id) or {}


def percent(share: float | None, decimals: int | None = None, *, indicator_id: str | None = None,
            registry: Mapping | None = None, sign: bool = False) -> str:
    """A 0–1 share as a Vietnamese percentage.

    Parameters
    ----------
    share : float or None
        The proportion (0.905 is 90,5%).
    decimals : int, optional
        Digits after the comma; by default the registry's ``decimals`` of ``indicator_id`` (1).
    indicator_id : str, optional
        The indicator whose registry entry gives the decimals.
    registry : mapping, optional
        The milestone registry (default: the packaged one).
    sign : bool
        Write ``+`` before positive values.

    Examples
    --------
    >>> percent(0.905), percent(0.9), percent(1), percent(0.12345, 2), percent(float("nan"))
    ('90,5%', '90,0%', '100,0%', '12,35%', '–')
    """
    if _missing(share):
        return MISSING
    if decimals is None:
        decimals = decimals_of(indicator_id, registry)
    return number(Decimal(repr(float(share))) * 100, decimals, sign=sign) + "%"


def points(delta: float | None, decimals: int = 1, *, sign: bool = True) -> str:
    """A change between two shares in percentage points (điểm phần trăm).

    >>> points(0.032), points(-0.0149), points(0.0)
    ('+3,2 điểm %', '-1,5 điểm %', '0,0 điểm %')
    """
    if _missing(delta):
        return MISSING
    return number(Decimal(repr(float(delta))) * 100, decimals, sign=sign) + " điểm %"


def vnd_scale(amount: float) -> tuple[float, str]:
    """The divisor and Vietnamese word for showing an amount in đồng: tỷ, triệu or đồng.

    >>> vnd_scale(4.5e10), vnd_scale(2.5e6), vnd_scale(900)
    ((1000000000.0, 'tỷ đồng'), (1000000.0, 'triệu đồng'), (1.0, 'đồng'))
    """
    size = abs(float(amount))
    if size >= 1e9:
        return 1e9, "tỷ đồng"
    if size >= 1e6:
        return 1e6, "triệu đồng"
    return 1.0, "đồng"


def vnd(amount: float | None, decimals: int = 1, *, scale: str | None = None, sign: bool = False) -> str:
    """An amount in đồng, in tỷ đồng or triệu đồng as its size suggests.

    Parameters
    ----------
    amount : float or None
        The amount in đồng.
    decimals : int
        Digits after the comma (ignored for plain đồng).
    scale : {"tỷ đồng", "triệu đồng", "đồng"}, optional
        Force a scale (to compare amounts side by side).
    sign : bool
        Write ``+`` before positive amounts (for changes).

    Examples
    --------
    >>> vnd(45_250_000_000), vnd(1_500_000, 0), vnd(120_000_000_000, scale="triệu đồng"), vnd(950)
    ('45,3 tỷ đồng', '2 triệu đồng', '120.000,0 triệu đồng', '950 đồng')
    >>> vnd(-2.5e9, sign=True), vnd(2.5e9, sign=True)
    ('-2,5 tỷ đồng', '+2,5 tỷ đồng')
    """
    if _missing(amount):
        return MISSING
    scales = {"tỷ đồng": 1e9, "triệu đồng": 1e6, "đồng": 1.0}
    if scale is None:
        divisor, scale = vnd_scale(float(amount))
    else:
        divisor = scales[scale]
    return f"{number(float(amount) / divisor, decimals if divisor > 1 else 0, sign=sign)} {scale}"


def value(amount: float | None, indicator_id: str, registry: Mapping | None = None, **kwargs: Any) -> str:
    """Any indicator value in its registry unit: a percentage, an amount of money or a headcount.

    >>> value(0.912, "satisfaction_share"), value(412, "public_unit_headcount"), value(4.2e10, "public_unit_budget_vnd")
    ('91,2%', '412 người', '42,0 tỷ đồng')
    >>> value(83.3435, "index766_score")
    '83,34 điểm'
    """
    spec = indicator_spec(indicator_id, registry)
    unit = spec.get("unit", "share")
    if unit == "share":
        return percent(amount, indicator_id=indicator_id, registry=registry, **kwargs)
    if unit == "vnd":
        return vnd(amount, **kwargs)
    text = number(amount, int(spec.get("decimals", 0)), **kwargs)
    if unit == "points" and text != MISSING:  # the QĐ 766 index
        return f"{text} điểm"
    return text if unit == "count" or text == MISSING else f"{text} người"


def milestone_label(year: int, operator: str, target: float, indicator_id: str,
                    registry: Mapping | None = None) -> str:
    """The label of a milestone line.

    A headcount target that is not a whole number keeps one decimal (``≤ 19,8 người``, not ``≤ 20``).

    >>> milestone_label(2025, ">=", 0.9, "satisfaction_share")
    'Mốc 2025: ≥ 90,0%'
    >>> milestone_label(2030, "<=", 19.8, "public_unit_headcount")
    'Mốc 2030: ≤ 19,8 người'
    """
    return f"Mốc {year}: {target_text(operator, target, indicator_id, registry)}"


def target_text(operator: str, target: float, indicator_id: str, registry: Mapping | None = None) -> str:
    """A target with its operator (``≥ 90,0%``, ``≤ 19,8 người``), as milestone labels and readings write it.

    >>> target_text("<", 50, "public_unit_headcount")
    '< 50 người'
    """
    spec = indicator_spec(indicator_id, registry)
    text = value(target, indicator_id, registry)
    if spec.get("unit") == "persons" and round(float(target), int(spec.get("decimals", 0))) != float(target):
        text = f"{number(target, int(spec.get('decimals', 0)) + 1)} người"
    return f"{OPERATOR_SIGNS.get(operator, operator)} {text}"


def period_kind(period: str) -> str:
    """The kind of a period label (``year``, ``half``, ``quarter``, ``month``, ``span``, ``window``).

    >>> [period_kind(p) for p in ("2025", "2025-H1", "2025-Q3", "2025-07")]
    ['year', 'half', 'quarter', 'month']
    """
    from cchc_analysis.periods import Period

    return Period.parse(str(period)).kind


def period_label(period: str, *, short: bool = False) -> str:
    """The Vietnamese name of a period (short form for axis ticks): :attr:`Period.label_vi
    <cchc_analysis.periods.Period.label_vi>` with a capital, or :attr:`~cchc_analysis.periods.Period.label_short`.

    Examples
    --------
    >>> period_label("2025"), period_label("2025-Q3"), period_label("2025-H2"), period_label("2025-07")
    ('Năm 2025', 'Quý III/2025', '6 tháng cuối năm 2025', 'Tháng 7/2025')
    >>> [period_label(p, short=True) for p in ("2025", "2025-Q3", "2025-H1", "2025-07")]
    ['2025', 'Q3/2025', '6T đầu/2025', 'T7/2025']
    """
    from cchc_analysis.periods import Period

    p = Period.parse(str(period))
    return p.label_short if short else upper_first(p.label_vi)


def upper_first(text: str) -> str:
    """The text with its first letter in upper case (``quý III/2025`` gives ``Quý III/2025``).

    >>> upper_first("năm 2025")
    'Năm 2025'
    """
    return text[:1].upper() + text[1:]


def date_label(when: date | datetime | str | None) -> str:
    """A date as ``dd/mm/yyyy`` (the en dash when missing).

    >>> date_label("2025-07-01"), date_label(None)
    ('01/07/2025', '–')
    """
    if when is None or (not isinstance(when, str) and _missing_date(when)):
        return MISSING
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return f"{when.day:02d}/{when.month:02d}/{when.year}"


def _missing_date(when: Any) -> bool:
    try:
        return when != when
    except (TypeError, ValueError):
        return False


def breakdown_label(breakdown: str) -> str:
    """The group named by a breakdown (``field=Điện`` gives ``Điện``; aspects in Vietnamese).

    >>> breakdown_label("field=Điện"), breakdown_label("aspect=staff"), breakdown_label("all")
    ('Điện', 'Công chức giải quyết công việc', 'Toàn Sở')
    """
    breakdown = str(breakdown)
    if breakdown == "all":
        return "Toàn Sở"
    kind, _, group = breakdown.partition("=")
    if kind == "aspect":
        return ASPECT_LABELS_VI.get(group, group)
    return group


def lower_first(text: str) -> str:
    """Lower-case the first letter of a title to use it inside a sentence.

    >>> lower_first("Mức độ hài lòng về giải quyết TTHC")
    'mức độ hài lòng về giải quyết TTHC'
    """
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def tick_formatter(kind: str = "share", decimals: int = 0) -> FuncFormatter:
    """A matplotlib tick formatter with the decimal comma.

    Parameters
    ----------
    kind : {"share", "number", "billion"}
        ``share``: 0–1 values as percentages; ``number``: plain numbers; ``billion``: đồng shown in tỷ.
    decimals : int
        Digits after the comma.

    Examples
    --------
    >>> tick_formatter("share")(0.95, 0), tick_formatter("number", 1)(1234.5, 0)
    ('95%', '1.234,5')
    >>> tick_formatter("billion", 1)(4.25e10, 0)
    '42,5'
    """
    if kind == "share":
        return FuncFormatter(lambda x, _pos: percent(x, decimals))
    if kind == "billion":
        return FuncFormatter(lambda x, _pos: number(x / 1e9, decimals))
    if kind == "number":
        return FuncFormatter(lambda x, _pos: number(x, decimals))
    raise ValueError(f"unknown tick kind {kind!r}")
