"""Vietnamese dates and deadlines → ISO dates.

Covers the forms of GUIDELINES.md: a day (05/10/2024, 5-10-2024, "ngày 05 tháng 10 năm
2024", "30/7" with the year from the document), a month ("tháng 10/2023" → last day),
a quarter ("quý IV/2023"), a half year ("6 tháng đầu năm 2024"), a year, and relative
deadlines ("trong 10 ngày", "07 ngày làm việc") resolved against the document date.
Recurring words ("thường xuyên", "hằng tháng") are deadlines without a date.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

_D = r"(\d{1,2})"
_Y = r"(\d{4})"
SEP = r"\s*[/\-.]\s*"

# "ngày 05 tháng 10 năm 2024", "05/10/2024", "5-10-2024", "05.10.2024"
DAY_LONG = re.compile(rf"(?:ngày\s+)?{_D}\s+tháng\s+{_D}(?:\s*(?:năm|/)\s*{_Y})?", re.I)
DAY_NUM = re.compile(rf"(?<![\d/])(\d{{1,2}}){SEP}(\d{{1,2}})(?:{SEP}(\d{{4}}))?(?![\d/])")
MONTH = re.compile(rf"tháng\s+(\d{{1,2}})\s*(?:/|năm|-)\s*{_Y}", re.I)
MONTH_NOYEAR = re.compile(r"(?:trong|hết|cuối|đến|trước)\s+tháng\s+(\d{1,2})(?![\d/])", re.I)
QUARTER = re.compile(rf"quý\s+(IV|I{{1,3}}|[1-4])(?:\s*(?:/|năm|-)\s*{_Y})?", re.I)
HALF = re.compile(rf"6\s+tháng\s+(đầu|cuối)\s+năm\s*(?:{_Y})?", re.I)
YEAR = re.compile(rf"năm\s+{_Y}", re.I)
RELATIVE = re.compile(r"(?:trong\s+(?:vòng|thời\s+hạn)?\s*|chậm\s+nhất\s+|sau\s+)?(\d{1,3})\s+ngày(\s+làm\s+việc)?", re.I)
RECURRING = re.compile(r"thường\s+xuyên|(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm)", re.I)

# Phrases that introduce a deadline in a directive.


@dataclass
class Deadline:
    iso: str | None
    text: str
    start: int
    end: int


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def add_working_days(start: date, n: int) -> date:
    """``n`` working days (Mon–Fri) counted from the day after ``start``."""
    d = start
    while n > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


def parse_date(text: str, default_year: int | None = None) -> date | None:
    """The first day-precise date in ``text`` ("05/10/2024", "ngày 5 tháng 10 năm 2024")."""
    m = DAY_LONG.search(text)
    if m:
        y = int(m.group(3)) if m.group(3) else default_year
        if y:
            return _safe(y, int(m.group(2)), int(m.group(1)))
    m = DAY_NUM.search(text)
    if m:
        y = int(m.group(3)) if m.group(3) else default_year
        if y and 1 <= int(m.group(2)) <= 12:
            return _safe(y, int(m.group(2)), int(m.group(1)))
    return None


# "kể từ ngày nhận đủ hồ sơ", "kể từ khi phát hiện": counted from an event, not the document
_FROM_EVENT = re.compile(r"kể\s+từ\s+(?!ngày\s+(?:ký|ban\s+hành|văn\s+bản|thông\s+báo|nhận\s+được\s+(?:văn\s+bản|công\s+văn|thông\s+báo|kế\s+hoạch)))", re.I)


def resolve(phrase: str, doc_date: date | None, year: int | None = None) -> str | None:
    """ISO date for a deadline phrase, or None when it names no date (or none is knowable).

    ``year`` is the year the document speaks of when it has no date of its own: a date
    without a year ("trước ngày 30/6") takes it, a relative one ("trong 10 ngày") cannot.
    """
    year = doc_date.year if doc_date else year
    low = phrase.lower()
    m = HALF.search(phrase)
    if m:
        y = int(m.group(2)) if m.group(2) else year
        if y:
            return (date(y, 6, 30) if m.group(1).lower() == "đầu" else date(y, 12, 31)).isoformat()
    m = QUARTER.search(phrase)
    if m:
        y = int(m.group(2)) if m.group(2) else year
        q = ROMAN.get(m.group(1).upper())
        if y and q:
            return last_day(y, q * 3).isoformat()
    d = parse_date(phrase, year)
    if d and ("ngày" in low or DAY_NUM.search(phrase)):
        # "trước ngày 20 của tháng cuối quý" has no month: DAY_NUM/DAY_LONG need one
        return d.isoformat()
    m = MONTH.search(phrase)
    if m and 1 <= int(m.group(1)) <= 12:
        return last_day(int(m.group(2)), int(m.group(1))).isoformat()
    m = MONTH_NOYEAR.search(phrase)
    if m and year and 1 <= int(m.group(1)) <= 12:
        return last_day(year, int(m.group(1))).isoformat()
    m = RELATIVE.search(phrase)
    if m and not re.search(r"\d+\s+ngày\s+(?:của|đầu|cuối)", low):
        if doc_date is None or _FROM_EVENT.search(phrase):
            return None
        n = int(m.group(1))
        if m.group(2):
            return add_working_days(doc_date, n).isoformat()
        return (doc_date + timedelta(days=n)).isoformat()
    m = YEAR.search(phrase)
    if m:
        return date(int(m.group(1)), 12, 31).isoformat()
    return None


# Where a deadline phrase starts inside a directive, most specific first.
_DEADLINE_START = re.compile(
    r"(?:(?<![\wÀ-ỹ])(?:hoàn\s+thành\s+)?(?:"
    r"trước\s+ngày|chậm\s+nhất(?:\s+(?:là|vào))?\s+(?:ngày|trước|trong|đến)?|"
    r"trước\s+(?=\d)|xong\s+trước|đến\s+hết\s+(?:ngày|tháng|quý|năm)|"
    r"trong\s+vòng|trong\s+thời\s+hạn|trong\s+(?=\d{1,3}\s+ngày)|"
    r"trong\s+(?:quý|tháng|năm|6\s+tháng|tuần)|"
    r"hoàn\s+thành\s+(?:trong|trước|vào|xong)|"
    r"vào\s+(?:thứ|ngày|cuối)|vào\s+(?:sáng|chiều|tối|trưa)\s+(?:thứ\s+\S+|[Cc]hủ\s+nhật|\d)|"
    r"trong\s+(?:sáng|chiều|tối|ngày)\s+(?:nay|mai|hôm\s+nay)|"
    r"(?:định\s+kỳ\s+)?(?:hằng|hàng)\s+(?:ngày|tuần|tháng|quý|năm)|thường\s+xuyên"
    r"))",
    re.I,
)
_DEADLINE_END = re.compile(r"[,;()\n]|\.(?!\d)|\s+(?:và|để|nhằm|theo|tại|đối\s+với|cho|với)\s", re.I)
_HAS_TIME = re.compile(r"\d|quý|thường\s+xuyên|hằng|hàng\s+(?:ngày|tuần|tháng|quý|năm)|năm\s+\d", re.I)


def find_deadline(text: str, doc_date: date | None, base: int = 0, year: int | None = None) -> Deadline | None:
    """The deadline a directive names: its verbatim words and its ISO date.

    Prefers a precise phrase ("trước ngày …", "trong quý …") over a bare recurring
    word; among equals the last one wins, since Vietnamese puts the deadline at the
    end of the clause ("…, báo cáo kết quả trước ngày 15/11/2024").
    """
    best: Deadline | None = None
    best_rank = -1
    for m in _DEADLINE_START.finditer(text):
        s = m.start()
        tail = text[m.end():]
        e_rel = _DEADLINE_END.search(tail)
        # let "kể từ ngày ban hành Thông báo này" and "tháng 10 năm 2024" run on
        stop = len(tail) if e_rel is None else e_rel.start()
        phrase = text[s:m.end() + stop].rstrip(" :")
        if len(phrase) > 90:
            phrase = phrase[:90].rsplit(" ", 1)[0]
        if not _HAS_TIME.search(phrase):
            continue
        if re.match(r"(?i)trong\s+(?:vòng|thời\s+hạn)", phrase) and not re.search(r"ngày|tháng|năm|quý|tuần", phrase, re.I):
            continue  # "trong vòng 24 giờ": a response time, not a deadline
        rec = RECURRING.match(phrase)
        if rec:
            phrase = rec.group(0)
        elif not re.search(r"kể\s+từ", phrase, re.I):
            # "trong quý I trình Thủ tướng phê duyệt …": the words end with the time itself
            ends = [m2.end() for pat in (DAY_LONG, DAY_NUM, MONTH, MONTH_NOYEAR, QUARTER, HALF, YEAR, RELATIVE)
                    for m2 in pat.finditer(phrase)]
            if ends:
                phrase = phrase[:max(ends)]
        if re.match(r"(?i)(?:trước|chậm nhất)", phrase) and not re.search(r"\d|quý|tháng|năm", phrase):
            continue
        iso = resolve(phrase, doc_date, year)
        rank = 2 if iso else (1 if RECURRING.search(phrase) or re.search(r"\d", phrase) else 0)
        if rank >= best_rank:
            best, best_rank = Deadline(iso, phrase, base + s, base + s + len(phrase)), rank
    return best
