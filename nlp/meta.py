"""Meta stage: date, issuer, chair and title of a document.

Formal documents carry them in fixed places (place-date line "Long Khánh, ngày 06
tháng 11 năm 2024", issuing body top-left, signer under the signature block); news
carries them in its lead ("Ngày 22/9/2023, UBND thị xã … tổ chức …; đồng chí … chủ trì").
"""
from __future__ import annotations

import re
from datetime import date

from .doc import Document

_PLACE_DATE = re.compile(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ .'-]{1,40},\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_LEAD_DATE = re.compile(
    r"(?:^|\n|\.\s|\(\w+\)\s*[-–]\s*|\s[-–]\s)(?:Sáng|Chiều|Tối|Trưa)?\s*(?:ngày\s+|Ngày\s+|nay\s+\(?|hôm\s+nay\s+\(?)?(?:\(?\s*)?(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?",
    re.I,
)
_ANY_DATE = re.compile(r"(?:ngày\s+)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})|ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_CHAIR = re.compile(
    r"(?:[Đđ]ồng\s+chí|[ÔôBb]à|[Ôô]ng)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,4}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)\s*[-–,]\s*[^.;\n]{0,120}?\bchủ\s+trì",
)
_CHAIR2 = re.compile(r"(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à)\s+((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,4}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)[^.;\n]{0,100}?\bchủ\s+trì")
_SIGNER = re.compile(r"\(?Đã\s+ký\)?\s*[\n|]?\s*((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s+){1,4}[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)")
_DOC_TYPE_LINE = re.compile(r"^(?:THÔNG\s+BÁO|KẾ\s+HOẠCH|CHỈ\s+THỊ|BÁO\s+CÁO|NGHỊ\s+QUYẾT|QUYẾT\s+ĐỊNH|CÔNG\s+ĐIỆN|CHƯƠNG\s+TRÌNH|HƯỚNG\s+DẪN)\s*$")
_V_V = re.compile(r"^V/v\s+(.+)$", re.M)


def _iso(y, m, d) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except (TypeError, ValueError):
        return None


def _plausible(iso: str | None) -> str | None:
    return iso if iso and 1990 <= int(iso[:4]) <= 2040 else None


_EVENT_DATE = re.compile(
    r"(?:(?<![\wÀ-ỹ])(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm)(?:\s+(?:nay|qua|hôm\s+nay))?|[Hh]ôm\s+(?:nay|qua))\s*\(?\s*"
    r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?(?![\d/])"
    r"|[Nn]gày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?"
)
# "Nghị quyết này đã được HĐND tỉnh … thông qua ngày 09 tháng 12 năm 2016"
_ADOPTED = re.compile(r"(?:Nghị\s+quyết|Quyết\s+định|Chỉ\s+thị)\s+này\s+(?:đã\s+)?được[^.]{0,200}?thông\s+qua\s+(?:tại\s+[^.]{0,40}?)?ngày\s+"
                      r"(\d{1,2})\s*(?:tháng\s*|/)\s*(\d{1,2})\s*(?:năm\s*|/)\s*(\d{4})")
_TODAY = re.compile(r"(?<![\wÀ-ỹ])(?:(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Hh]ôm)\s+nay|[Nn]gày\s+hôm\s+nay)\s*[(,]?\s*(?:ngày\s+)?"
                    r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?(?![\d/])")
# "Kế hoạch số 11/KH-UBND ngày …", "trước ngày 30/6", "tính đến ngày 31/12": not the document's date
_CITED_BEFORE = re.compile(r"(?:số\s+\S+|[A-ZĐ]{2,}[\w-]*|(?i:trước|đến|tới|từ|đề|sau|hạn|chậm\s+nhất|kể\s+từ))\s*$")


# "dự kiến đưa vào khai thác ngày 31/12/2020": a plan, not when the text was written
_PLANNED_BEFORE = re.compile(r"(?:[Dd]ự\s+kiến|kế\s+hoạch|[Pp]hấn\s+đấu|mục\s+tiêu|thời\s+hạn|chậm\s+nhất)[^.;\n]{0,30}$")
_GOAL_BEFORE = re.compile(r"(?:trước\s+(?:ngày|tháng|năm|quý|\d)|đến|tới|hết|hạn|chậm\s+nhất|phấn\s+đấu|mục\s+tiêu|giai\s+đoạn|tầm\s+nhìn|kế\s+hoạch|"
                          r"dự\s+kiến|số\s+\S+|\d{4}\s*[-–])[^.;]{0,25}$|\d{4}\s*$", re.I)


def _text_year(doc: Document) -> int | None:
    """The year of a date written without one: the page's date, else the latest year the
    text reports as past or present — a goal, a deadline or a cited number is no evidence
    of when the text was written ("đến năm 2030", "trước ngày 31/1/2026", "số 12/2019/…")."""
    if doc.hints.get("date"):
        return int(doc.hints["date"][:4])
    text = doc.text
    years = []
    # "năm 2017", "5/2017", and the school year "năm học 2017-2018" (its first year);
    # a longer period "2021-2025" is a plan
    for m in re.finditer(r"(?:năm\s+(?:học\s+)?|[/\-.]\s*)((?:19|20)\d{2})(?![\d/])(?:\s*[-–]\s*((?:19|20)\d{2}))?", text):
        if m.group(2) and int(m.group(2)) - int(m.group(1)) != 1:
            continue
        if not _GOAL_BEFORE.search(text[max(0, m.start() - 40):m.start()]):
            years.append(int(m.group(1)))
    return max(years) if years else None


def _mid_sentence(text: str, pos: int) -> bool:
    """The date stands inside a sentence rather than opening it (or a news lead's first clause)."""
    starts = [text.rfind(p, 0, pos) for p in ("\n", ". ", "! ", "? ", ") - ", ") – ")]
    start = max((k + (1 if p == "\n" else len(p)) for k, p in zip(starts, ("\n", ". ", "! ", "? ", ") - ", ") – ")) if k != -1),
                default=0)
    before = text[start:pos].strip()
    if not before or re.fullmatch(r"(?:\(\w+\)\s*[-–]\s*)?(?:Ảnh:[^.]{0,40}?)?(?:Sáng|Chiều|Tối|Trưa|Đêm|Trong|Cũng\s+trong|Vào|"
                                  r"Hôm\s+qua|Hôm\s+nay|Sáng\s+qua|Chiều\s+qua|Sáng\s+nay|Chiều\s+nay|Ngay\s+trong)?\s*\(?", before):
        return False
    if re.search(r"(?:tổ\s+chức|diễn\s+ra|họp|hội\s+nghị|phiên|buổi\s+làm\s+việc|làm\s+việc|hội\s+thảo|chủ\s+trì|"
                 r"khai\s+mạc|kiểm\s+tra|thăm|tiếp)\b[^,;]{0,60}$", before, re.I):
        return False  # "Hội nghị … diễn ra sáng 28/6", "Phiên họp thường kỳ Chính phủ ngày 3/6": the event itself
    # a photo caption glued before the lead: "… Ảnh: ST Ngày 28/7/2020, …"
    return not re.search(r"Ảnh\s*:\s*[^.,;]{0,40}$", before) and not text[pos:pos + 1].isupper()


def find_date(doc: Document) -> str | None:
    """The date of the document or event: the place-date line of a formal document, else
    the dated lead of news ("Ngày 22/9/2023, …", "sáng 28/6", "hôm nay (12/6)") with the
    year the text speaks of, else the page's date. A cited document's date is never it."""
    text = doc.text
    m = _PLACE_DATE.search(text[:1500])
    if m and _plausible(_iso(m.group(3), m.group(2), m.group(1))):
        return _iso(m.group(3), m.group(2), m.group(1))
    m = re.match(r"(?:[^\n]*\n){0,3}?\s*(?:(?:Thứ\s+)?\w+,\s*)?(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}|\s*$)", text[:400], re.M)
    if m and _plausible(_iso(m.group(3), m.group(2), m.group(1))):
        return _iso(m.group(3), m.group(2), m.group(1))  # a news dateline "16/03/2024 19:05"
    m = _ADOPTED.search(text)
    if m and _plausible(_iso(m.group(3), m.group(2), m.group(1))):
        return _iso(m.group(3), m.group(2), m.group(1))  # a resolution is dated the day it was adopted
    m = _TODAY.search(text[:3000])
    if m:  # "hôm nay (12/6)", "sáng nay 8/2/2017": the day the text was written
        iso = _plausible(_iso(m.group(3) or _text_year(doc), m.group(2), m.group(1)))
        if iso:
            return iso
    for m in _EVENT_DATE.finditer(text[:1500]):
        before = text[max(0, m.start() - 30):m.start()]
        clause = re.split(r"[;.]\s", text[max(0, m.start() - 200):m.start()])[-1]
        starts_sentence = m.group(0)[:1].isupper()  # "Ảnh: ST Ngày 28/7/2020, …": a new sentence, not a citation
        if (_CITED_BEFORE.search(before) and not starts_sentence) or _PLANNED_BEFORE.search(before) or re.search(r"(?:Căn\s+cứ|Xét|Sau\s+khi\s+xem\s+xét)\s", clause):
            continue  # "Kế hoạch số 11/KH-UBND ngày 13/01/2023"
        if _mid_sentence(text, m.start()):
            continue  # "…, ngày 11/9/2020, Chính phủ …", "vào ngày 1/7 tại …": an event the text tells of
        d, mo, y = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        y = y or _text_year(doc)
        iso = _plausible(_iso(y, mo, d)) if y else None
        if iso:
            return iso
    return doc.hints.get("date")


_LEVELS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "THỊ XÃ", "QUẬN", "XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU")
_BODY_UPPER = re.compile(r"^(?:ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN|UBND|HỘI\s+ĐỒNG\s+NHÂN\s+DÂN|HĐND|SỞ|BỘ|BAN|VĂN\s+PHÒNG|CÔNG\s+AN|PHÒNG|TRUNG\s+TÂM|CỤC|CHI\s+CỤC|TỔNG\s+CỤC)\b")
_NEWS_ISSUER = re.compile(
    r"((?:UBND|Ủy\s+ban\s+nhân\s+dân|HĐND|Hội\s+đồng\s+nhân\s+dân|Sở|Bộ|Ban\s+Chỉ\s+đạo|Ban|Văn\s+phòng|Đảng\s+ủy|Thành\s+ủy|Tỉnh\s+ủy|Huyện\s+ủy|Chính\s+phủ|Tổng\s+cục|Cục)"
    r"(?:\s+(?:tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường|thị\s+trấn|TP\.?))?(?:\s+[A-ZĐ][\wÀ-ỹ'&.-]*)*)"
    r"\s+(?:đã\s+|vừa\s+)?(?:tổ\s+chức|họp|ban\s+hành|có\s+văn\s+bản|có\s+công\s+văn|ra\s+quân|triển\s+khai)"
)


def _tidy_upper_name(name: str) -> str:
    """"ỦY BAN NHÂN DÂN HUYỆN LỘC NINH" → "UBND huyện Lộc Ninh"."""
    name = re.sub(r"\s+", " ", name).strip(" -")
    name = re.sub(r"^(?:ỦY|UỶ) BAN NHÂN DÂN", "UBND", name)
    name = re.sub(r"^HỘI ĐỒNG NHÂN DÂN", "HĐND", name)
    words, out, i = name.split(), [], 0
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if two in _LEVELS:
            out.append(two.lower())
            i += 2
            continue
        w = words[i]
        out.append(w if w in ("UBND", "HĐND") or not w.isupper() else w.lower() if w in _LEVELS else "-".join(p.capitalize() for p in w.split("-")))
        i += 1
    return " ".join(out)


def find_issuer(doc: Document) -> str | None:
    """The issuing body of a formal document (left column of its header), else the body
    that holds the meeting in news ("UBND huyện Đồng Phú tổ chức …")."""
    lines = doc.text.split("\n")[:6]
    parts = []
    for ln in lines:
        left = re.split(r"\s{2,}|\s*\|\s*|\s+Số\s*:|\s+CỘNG\s+HÒA", ln.strip())[0].strip()
        if not left or re.match(r"^-{2,}|^Số\s*:", left):
            if parts:
                break
            continue
        if not parts and not _BODY_UPPER.match(left) or _DOC_TYPE_LINE.match(left):
            break
        if left.isupper():
            parts.append(left)
        else:
            break
    if parts:
        return _tidy_upper_name(" ".join(parts))
    for ln in doc.text.split("\n")[:15]:  # a resolution names its council in capitals under the title
        ln = ln.strip()
        if len(ln) > 8 and ln.isupper() and re.match(r"(?:HỘI\s+ĐỒNG\s+NHÂN\s+DÂN|ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN)\s+\S", ln):
            return _tidy_upper_name(ln)
    m = _NEWS_ISSUER.search(doc.text[:1500])
    if m:
        return _without_person(re.sub(r"\s+", " ", m.group(1)).strip())
    m = _SPEAKER_BODY.search(doc.text[:1500])  # "Tổng cục Hải quan yêu cầu …": the body that directs
    if m:
        return _without_person(re.sub(r"\s+", " ", m.group(1)).strip())
    return None


# Common family names: a capitalised run that starts with one and has three words is a person
# ("UBND tỉnh Đắk Nông Trương Thanh Tùng"); two-word places ("Hà Nội", "Cao Bằng") are not cut.
_SURNAME = (r"(?:Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trịnh|Trương|Đoàn|"
            r"Lương|Mai|Đào|Tô|Lâm|Hà|Cao|Chu|Thái|Tạ|Kiều|Quách|Châu|Lưu|Tống|Triệu|Đàm|Nông|Lò|Hứa|Từ|Vương|"
            r"Ninh|Khổng|Mạc|Thân|Bế|Hầu|Doãn|Lại|Phùng|Diệp|Tăng|Quan|Kim)")
# upper-case letters of Vietnamese (the range À-Ỹ mixes in lower-case ones)
_UPPER = "".join(sorted({chr(c) for c in range(0x41, 0x1EFA) if chr(c).isupper() and chr(c).isalpha()
                         and (c < 0x5B or 0xC0 <= c <= 0x1B0 or c >= 0x1EA0)}))
PERSON = re.compile(_SURNAME + r"(?:\s+[" + _UPPER + r"][\wÀ-ỹ]*){2,3}(?![\wÀ-ỹ])")


def _without_person(name: str) -> str:
    """Drop a person's full name (three or four capitalised words from a family name) at the end."""
    words = name.split()
    for size in (3, 4):
        if len(words) > size and re.fullmatch(_SURNAME, words[-size]) and all(w[:1] in _UPPER for w in words[-size:]):
            return " ".join(words[:-size]).strip(" ,-–")
    return name


_SPEAKER_BODY = re.compile(
    r"((?:Tổng\s+cục|Cục|Bộ|Sở|UBND|Ủy\s+ban\s+nhân\s+dân|Văn\s+phòng\s+Chính\s+phủ|Thành\s+ủy|Tỉnh\s+ủy|Ban\s+Chỉ\s+đạo|"
    r"BHXH|Bảo\s+hiểm\s+xã\s+hội|Thanh\s+tra|Quốc\s+hội|Chính\s+phủ)(?:\s+(?:tỉnh|thành\s+phố|TP\.?|huyện|quận))?"
    r"(?:\s+[A-ZĐ][\wÀ-ỹ&.-]*)*)\s+(?:đã\s+|vừa\s+|cũng\s+)?(?:yêu\s+cầu|chỉ\s+đạo|đề\s+nghị|có\s+văn\s+bản|"
    r"có\s+công\s+văn|ban\s+hành|kết\s+luận|giao)\s")


def find_chair(doc: Document) -> str | None:
    text = doc.text
    m = _CHAIR.search(text[:3000]) or _CHAIR2.search(text[:3000])
    if m:
        return m.group(1).strip()
    m = _DIRECTING_PERSON.search(text[:1500])  # "Thủ tướng Nguyễn Xuân Phúc yêu cầu …"
    if m:
        return m.group(1)
    tail = text[-800:]
    m = None
    for m in _SIGNER.finditer(tail):
        pass
    if m:
        return m.group(1).strip()
    return None


_DIRECTING_PERSON = re.compile(
    r"(?:Thủ\s+tướng(?:\s+Chính\s+phủ)?|Phó\s+Thủ\s+tướng(?:\s+Thường\s+trực)?|Bộ\s+trưởng(?:\s+Bộ(?:\s+[A-ZĐ][\wÀ-ỹ&-]*)+)?|"
    r"Chủ\s+tịch(?:\s+(?:UBND|Ủy\s+ban\s+nhân\s+dân)(?:\s+(?:tỉnh|thành\s+phố|TP\.?|huyện))?(?:\s+[A-ZĐ][\wÀ-ỹ.]*)*)?|"
    r"Tổng\s+cục\s+trưởng(?:\s+Tổng\s+cục(?:\s+[A-ZĐ][\wÀ-ỹ]*)+)?|Bí\s+thư(?:\s+(?:Tỉnh|Thành)\s+ủy(?:\s+[A-ZĐ][\wÀ-ỹ.]*)*)?)"
    r"\s+(" + PERSON.pattern + r")[^.;:]{0,80}?\s(?:đã\s+|vừa\s+)?(?:yêu\s+cầu|chỉ\s+đạo|đề\s+nghị|giao|kết\s+luận|"
    r"chủ\s+trì|chỉ\s+thị|nhấn\s+mạnh|phát\s+biểu)"
)


def find_title(doc: Document) -> str | None:
    if doc.hints.get("title"):
        return doc.hints["title"]
    lines = [ln.strip() for ln in doc.text.split("\n") if ln.strip()]
    for i, ln in enumerate(lines[:15]):
        if _DOC_TYPE_LINE.match(ln) and i + 1 < len(lines):
            title = lines[i + 1]
            if i + 2 < len(lines) and not re.match(r"(?:Căn\s+cứ|Ngày|Thực\s+hiện|Kính\s+gửi|Số)", lines[i + 2]) and len(lines[i + 2]) < 120 and not lines[i + 2].endswith("."):
                title += " " + lines[i + 2]
            return f"{ln.capitalize()} {title[0].lower() + title[1:]}" if re.match(r"^(?:CHỈ\s+THỊ)$", ln) else title
    v = _V_V.search(doc.text[:1500])
    if v:
        return v.group(1).strip()
    for ln in lines[:5]:
        if len(ln) > 15 and "|" not in ln and not re.match(r"(?i)lượt xem|trang chủ|cộng hòa|số:", ln):
            return ln
    return None


def extract_meta(doc: Document) -> Document:
    doc.meta = {
        "date": find_date(doc),
        "issuer": find_issuer(doc),
        "chair": find_chair(doc),
        "title": find_title(doc),
    }
    return doc
