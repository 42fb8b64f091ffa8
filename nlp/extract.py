"""Extract stage: turn classified sentences into items with their fields.

Tasks: one per independent clause (or list item, or task-table row) with owners,
coordinators, deadline, assigner and refs; list items inherit from their lead-in.
Shortcomings: one per ";"-separated weakness. Targets: one per metric with its value.
"""
from __future__ import annotations

import re
from datetime import date

from .dates import find_deadline, resolve
from .doc import Document, Item, Segment
from .lexicon import ACTION, AMOUNT, INDEX_NAMES, PROBLEM_CUE, SHORTCOMING_CUE, STRONG_ASSIGN
from .slots import (
    Assignment,
    clean_span,
    find_assignment,
    find_coordinators,
    find_refs,
    split_units,
    unit_starts_at,
)

_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?=(?:đồng\s+thời\s+)?(?:giao|yêu\s+cầu|đề\s+nghị)\s+[A-ZĐÀ-Ỹ])|\.\s+(?=[A-ZĐ])")
_INTRO = re.compile(
    r"^(?:Tuy\s+nhiên|Bên\s+cạnh\s+đó|Mặt\s+khác|Ngoài\s+ra|Đồng\s+thời|Song|Nhưng|Trong\s+khi\s+đó|Hiện\s+nay|Hiện|Qua\s+đó|Cụ\s+thể|Đó\s+là|Như)\s*[,:]?\s*",
    re.I,
)


def _doc_date(doc: Document) -> date | None:
    d = doc.meta.get("date")
    try:
        return date.fromisoformat(d) if d else None
    except ValueError:
        return None


def _doc_year(doc: Document) -> int | None:
    """The year a document without a date speaks of (for dates written without one)."""
    if "_year" not in doc.hints:
        from .meta import _text_year

        d = _doc_date(doc)
        doc.hints["_year"] = d.year if d else _text_year(doc)
    return doc.hints["_year"]


def _span_text(doc: Document, span) -> str:
    """A field's words as written, on one line: a name broken over two lines reads as one."""
    return " ".join(doc.text[span[0]:span[1]].split())


# ---------------------------------------------------------------- tasks

def clauses(text: str, a: int, b: int, split_actions: bool = True) -> list[tuple[int, int]]:
    """Split a sentence where a new owner or a new assignment starts.

    "…; kiểm tra, rà soát …" also starts a task of its own (a different action); a bare
    deadline after ";" ("…; hoàn thành trước ngày 30/11") never does.
    """
    cuts = [a]
    for m in _CLAUSE_BREAK.finditer(text, a, b):
        nxt = m.end()
        rest = text[nxt:b]
        if unit_starts_at(text, nxt) or STRONG_ASSIGN.match(rest) or (
                split_actions and m.group(0).startswith(";") and _starts_action(rest) and not _BARE_DEADLINE.match(rest)) or re.match(r"(?:đồng\s+thời\s+)(?:giao|yêu\s+cầu|đề\s+nghị)", rest, re.I):
            cuts.extend([m.start(), nxt])
    cuts.append(b)
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2) if cuts[i + 1] > cuts[i]]


_BARE_DEADLINE = re.compile(r"(?:hoàn\s+thành|xong|báo\s+cáo[^;,.]{0,40}?|thực\s+hiện[^;,.]{0,30}?)\s+(?:trong|trước|chậm\s+nhất|đến|vào)\s+[^;]{0,40}$", re.I)


# Words that open a noun phrase or an adverbial, not an action, after ";".
_NOT_ACTION_START = re.compile(
    r"(?:các|những|mọi|việc|công\s+tác|tình\s+trạng|số|tỷ\s+lệ|trong|đối\s+với|nhất\s+là|trừ|đặc\s+biệt|đồng\s+thời|"
    r"trường\s+hợp|nếu|khi|riêng|với|theo|tại|do|vì|nhưng|song|tuy|mặc\s+dù|hiện|đến|từ|là|và|hoặc|cũng|đã|đang|"
    r"được|bị|có\s+\d|gồm|như|\d|[A-ZĐ]{2,})(?![\wÀ-ỹ])",
    re.I,
)


def _starts_action(rest: str) -> bool:
    """"…; kiểm tra, rà soát …" — the next part opens with an action of its own: a known
    action verb, or any word that does not open a noun phrase or an adverbial."""
    if len(rest.split()) < 3:
        return False
    m = ACTION.match(rest) or ACTION.match(rest[:1].lower() + rest[1:])
    return m is not None or not _NOT_ACTION_START.match(rest)


# "… thực hiện tốt các nội dung sau:", "… tập trung vào các giải pháp sau. Cụ thể:" — a lead-in
# whose list spells out all of it is not a task of its own (GUIDELINES).
_GENERIC_LEAD = re.compile(
    r"^(?:(?:tập\s+trung|triển\s+khai|thực\s+hiện|khẩn\s+trương|nghiêm\s+túc|quan\s+tâm|chú\s+trọng|chỉ\s+đạo|tổ\s+chức)[\w\s,]{0,40}?)?"
    r"(?:(?:thực\s+hiện|triển\s+khai)\s+(?:tốt\s+|nghiêm\s+|ngay\s+)?)?(?:(?:một\s+số|các|những)\s+)?(?:nội\s+dung|nhiệm\s+vụ|giải\s+pháp|việc|công\s+việc|yêu\s+cầu|biện\s+pháp)"
    r"(?:\s+(?:trọng\s+tâm|chủ\s+yếu|cụ\s+thể|sau\s+đây|sau|như\s+sau|chính))*\s*(?:[.,]?\s*(?:cụ\s+thể|như\s+sau)\s*)?:?$",
    re.I,
)


class _LeadInfo:
    def __init__(self, owners, coordinators, deadline, assigner):
        self.owners, self.coordinators, self.deadline, self.assigner = owners, coordinators, deadline, assigner


def lead_info(doc: Document, seg: Segment | None, cache: dict) -> _LeadInfo | None:
    """What a list item inherits: owners, coordinators, deadline, assigner of its lead-in chain."""
    if seg is None:
        return None
    key = id(seg)
    if key in cache:
        return cache[key]
    parent = lead_info(doc, seg.lead_in, cache)
    text = doc.text
    # the lead-in's last sentence is the one that introduces the list
    # the clause that introduces the list: the last one that assigns or names owners
    asg, span = Assignment(), (seg.start, seg.end)
    # the lead-in's last sentence introduces the list ("… Trong đó, Sở Giáo dục và Đào tạo
    # tập trung thực hiện:"); earlier sentences only if it names nobody
    sents = [(seg.start, seg.end)]
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text[seg.start:seg.end]):
        sents = [(seg.start, seg.start + m.start()), (seg.start + m.end(), seg.end)] if len(sents) == 1 else \
            [(sents[0][0], seg.start + m.start()), (seg.start + m.end(), seg.end)]
    cands = [c for sa, sb in reversed(sents) for c in reversed(clauses(text, sa, sb))]
    for ca, cb in cands:
        span = clean_span(text, ca, cb)
        asg = find_assignment(text, *span)
        if asg.owners or asg.assigner:
            break
    owners = [_span_text(doc, s) for s in asg.owners] or (parent.owners if parent else [])
    coords = [_span_text(doc, s) for s in find_coordinators(text, seg.start, seg.end)] or (parent.coordinators if parent else [])
    # only a deadline the assignment itself sets is inherited, not the date of a purpose
    # ("Để … khai giảng vào ngày 05/9, Chủ tịch yêu cầu:") or of a goal ("phấn đấu … trước …")
    own_from = asg.action_start if asg.action_start is not None else span[0]
    dl = find_deadline(text[own_from:span[1]], _doc_date(doc), own_from, _doc_year(doc))
    if dl and re.search(r"phấn\s+đấu|mục\s+tiêu|(?:^|[,.]\s*)Để\s", text[own_from:dl.start]):
        dl = None
    deadline = dl if dl and dl.iso else (parent.deadline if parent else None)
    assigner = _span_text(doc, asg.assigner) if asg.assigner else (parent.assigner if parent else None)
    info = _LeadInfo(owners, coords, deadline, assigner)
    cache[key] = info
    return info


def task_items(doc: Document, sent: Segment, state: dict) -> list[Item]:
    if sent.cells:
        item = table_task(doc, sent)
        return [item] if item else []
    text = doc.text
    lead = lead_info(doc, sent.lead_in, state.setdefault("lead_cache", {}))
    out = []
    for a, b in clauses(text, sent.start, sent.end):
        a, b = clean_span(text, a, b)
        if b - a < 8:
            continue
        asg: Assignment = find_assignment(text, a, b)
        if asg.assigner:
            state["assigner"] = _span_text(doc, asg.assigner)
        start = asg.action_start if asg.action_start is not None else a
        start, end = clean_span(text, start, b)
        if end - start < 8 or text[start:end].endswith(":") and not re.search(r"[.;]", text[start:end]):
            # a lead-in that names only owners ("1. Phòng Tài chính - Kế hoạch:")
            if end - start < 8 or not re.search(r"\s(?:và|,)\s", text[start:end]):
                continue
        if _GENERIC_LEAD.match(text[start:end].strip()) or len(re.findall(r"\w+", text[start:end])) < 5:
            continue  # a generic lead-in, or a fragment ("Ngoài ra") too short to be a directive
        owners = [_span_text(doc, s) for s in asg.owners]
        coords = [_span_text(doc, s) for s in find_coordinators(text, start, end)]
        if not owners and lead:
            owners = list(lead.owners)
            if not coords:
                coords = list(lead.coordinators)
        if not owners and out:
            owners = list(out[-1].fields["owners"])
        dl = find_deadline(text[start:end], _doc_date(doc), start, _doc_year(doc))
        if dl is None and start > a:
            # "Trong năm 2017, Chính phủ đã giao các bộ … thanh tra …": the time stands before the assignment
            pre = find_deadline(text[a:start], _doc_date(doc), a, _doc_year(doc))
            if pre and pre.iso and not re.search(r"phấn\s+đấu|mục\s+tiêu|(?:^|[,.]\s*)Để\s", text[a:pre.start]):
                dl = pre
        if dl is None and lead and lead.deadline:
            dl = lead.deadline
        assigner = (_span_text(doc, asg.assigner) if asg.assigner else None) or (lead.assigner if lead else None) \
            or state.get("assigner")
        fields = {
            "owners": owners,
            "coordinators": [c for c in coords if c not in owners],
            "deadline": dl.iso if dl else None,
            "deadline_text": dl.text if dl else None,
            "assigned_by": assigner,
            "refs": [_span_text(doc, s) for s in find_refs(text, start, end, sent.tokens)],
        }
        out.append(Item("task", start, end, text[start:end], fields, confidence=sent.proba.get("task", 1.0), segment=sent))
    return out


_COLS = {
    "text": re.compile(r"nội\s+dung|nhiệm\s+vụ|công\s+việc|hoạt\s+động|^tên|giải\s+pháp", re.I),
    "owners": re.compile(r"chủ\s+trì|thực\s+hiện|phụ\s+trách|đơn\s+vị\s+(?:thực\s+hiện|chịu)|cơ\s+quan\s+(?:thực|chủ)|trách\s+nhiệm", re.I),
    "coordinators": re.compile(r"phối\s+hợp", re.I),
    "deadline": re.compile(r"thời\s+(?:gian|hạn|điểm)|tiến\s+độ|hoàn\s+thành|^hạn|ngày\s+hoàn", re.I),
}


def table_columns(columns: list[str]) -> dict[str, int]:
    """Which column holds what, by header words: time words first ("Thời gian thực hiện" is a
    deadline), then content ("Nội dung thực hiện" is the task), then phối hợp, then chủ trì."""
    found: dict[str, int] = {}
    for i, name in enumerate(columns):
        for key in ("deadline", "text", "coordinators", "owners"):
            if key not in found and _COLS[key].search(name):
                found[key] = i
                break
    return found


def table_task(doc: Document, row: Segment) -> Item | None:
    cols = table_columns(row.columns)
    if "text" not in cols or ("owners" not in cols and "deadline" not in cols):
        return None

    def cell(key):
        i = cols.get(key)
        if i is None or i >= len(row.cells):
            return None
        return clean_span(doc.text, *row.cells[i])

    ts = cell("text")
    if not ts or ts[1] - ts[0] < 5:
        return None
    owners = split_units(doc.text, *cell("owners")) if cell("owners") else []
    coords = split_units(doc.text, *cell("coordinators")) if cell("coordinators") else []
    dl_span = cell("deadline")
    deadline = deadline_text = None
    if dl_span and dl_span[1] > dl_span[0]:
        deadline_text = doc.text[dl_span[0]:dl_span[1]]
        deadline = resolve(deadline_text, _doc_date(doc), _doc_year(doc))
    fields = {
        "owners": [_span_text(doc, s) for s in owners],
        "coordinators": [_span_text(doc, s) for s in coords],
        "deadline": deadline,
        "deadline_text": deadline_text,
        "assigned_by": None,
        "refs": [_span_text(doc, s) for s in find_refs(doc.text, *ts, row.tokens)],
    }
    return Item("task", ts[0], ts[1], doc.text[ts[0]:ts[1]], fields, confidence=row.proba.get("task", 1.0), segment=row)


# ---------------------------------------------------------------- shortcomings

_SC_SPLIT = re.compile(r";\s*|\.\s+(?=[A-ZĐ])")
_SUBJECT_START = re.compile(
    r"(?:việc|tỷ\s+lệ|công\s+tác|tình\s+trạng|một\s+số|nhiều|các|số|hồ\s+sơ|tiến\s+độ|chất\s+lượng|hệ\s+thống|cơ\s+sở|"
    r"nguồn|đội\s+ngũ|hạ\s+tầng|kinh\s+phí|trang\s+thiết\s+bị|dữ\s+liệu|phần\s+mềm|ý\s+thức|năng\s+lực|người|"
    r"[A-ZĐ][\wÀ-ỹ]*)\s",
)


# Weaker signs of a weakness, enough inside a sentence the classifier calls a shortcoming.
_WEAK_SC = re.compile(
    r"(?<![\wÀ-ỹ])(?:còn\s+[\wÀ-ỹ]+|mới\s+(?:đạt|hoàn\s+thành|thành\s+lập|có)|chỉ\s+(?:đạt|có)|bị\s+[\wÀ-ỹ]+|giảm\s+\d|"
    r"không\s+[\wÀ-ỹ]+|thấp|mỏng|yếu|hạn\s+hẹp|thiếu|chậm|tăng\s+\d+[,.]?\d*\s*%?\s+so\s+với)(?![\wÀ-ỹ])",
    re.I,
)


# Frames around a weakness in news: the cause of a reaction ("Trước việc …", "Bức xúc về
# tình trạng …"), a source ("Theo Bộ KH-ĐT, …", "Kết quả kiểm tra cho thấy, …").
_SC_FRAME = re.compile(
    r"^(?:[Nn]guyên\s+nhân[^,;:]{0,60}?(?:là|do)\s+(?:(?:một\s+phần\s+)?do\s+)?|(?:[Mm]ột\s+phần\s+)?do\s+|(?:Trước|Bức\s+xúc\s+về|Liên\s+quan\s+đến|Về|[^,;:]{0,40}xung\s+quanh)\s+(?=(?:việc|tình\s+trạng|thực\s+trạng|hiện\s+tượng|những|các)\s)"
    r"|(?:Theo|Qua)\s[^,;:]{0,80},\s+|[^,;:]{0,80}(?:cho\s+biết|cho\s+thấy|nhận\s+thấy|phản\s+ánh|chỉ\s+ra)(?:\s+là)?\s*[,:]?\s+)",
    re.I,
)


_SC_JOINT = re.compile(r",\s+|\s+và\s+")
_NAMED_WEAKNESSES = re.compile(r"(?:tồn\s+tại|hạn\s+chế|bất\s+cập|yếu\s+kém|khó\s+khăn|vướng\s+mắc)[^,;:.]{0,60}?\s(?:là|gồm)\s+", re.I)
# A clause that reacts to the weakness before it: "…, cử tri và nhân dân yêu cầu …", "…, Bộ trưởng chỉ đạo …".
_REACTION = re.compile(r"[^,;]{0,60}?\s(?:yêu\s+cầu|đề\s+nghị|kiến\s+nghị|chỉ\s+đạo|cho\s+hay|cho\s+biết|khẳng\s+định)\s", re.I)


def _weak(text: str) -> bool:
    """A weakness word of reports, or a problem word of news."""
    return bool(SHORTCOMING_CUE.search(text) or PROBLEM_CUE.search(text))


def shortcoming_items(doc: Document, sent: Segment) -> list[Item]:
    text = doc.text
    a, b = sent.start, sent.end
    colon = text.find(":", a, b)
    if colon != -1 and colon - a < 220 and re.search(r"hạn\s+chế|tồn\s+tại|khó\s+khăn|vướng\s+mắc|như\s+sau|đó\s+là|cụ\s+thể|bất\s+cập|yếu\s+kém|nguyên\s+nhân", text[a:colon], re.I):
        a = colon + 1
    parts = []
    pos = a
    for m in _SC_SPLIT.finditer(text, a, b):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, b))
    # "X còn cao, Y còn thấp": split at a comma between two complete weaknesses
    fine = []
    for x, y in parts:
        cur = x
        m = _NAMED_WEAKNESSES.search(text, x, y)
        if m and y - m.end() > 12:
            cur = m.end()  # "những tồn tại lớn … là giải ngân vốn chậm và …": the list after "là"
        for m in _SC_JOINT.finditer(text, cur, y):
            if m.start() < cur:
                continue
            m_start, m_end = m.start(), m.end()
            left, right = text[cur:m_start], text[m_end:y]
            if m.group(0).strip() == "và":
                split = _weak(left) and _weak(right) and bool(re.match(r"(?:một\s+số|nhiều|các|việc|tình\s+trạng)\s", right))
            elif _REACTION.match(right):
                fine.append((cur, m_start))  # "…, cử tri và nhân dân yêu cầu …": the reaction is no weakness
                cur = y
                break
            else:
                split = _weak(left) and _weak(right) and bool(
                    re.search(r"(?:còn|chưa|không)\s+\S+\s*$", left) and _SUBJECT_START.match(right)
                    or re.match(r"(?:việc|tình\s+trạng|hiện\s+tượng|một\s+phần\s+do)\s", right))  # "…, việc sử dụng mail công vụ … chưa thực hiện tốt"
            if split:
                fine.append((cur, m_start))
                cur = m_end
        if cur < y:
            fine.append((cur, y))
    out = []
    for x, y in fine:
        x, y = clean_span(text, x, y)
        m = _INTRO.match(text[x:y])
        if m:
            x += m.end()
        m = _SC_FRAME.match(text[x:y])
        if m and y - x - m.end() >= 12:
            x += m.end()  # "Trước việc …", "Theo Bộ KH-ĐT, …": the weakness is what follows
        x, y = clean_span(text, x, y)
        seg = text[x:y]
        if y - x < 12 or not (_weak(seg) or _WEAK_SC.search(seg) or sent.section == "shortcomings" or sent.marker):
            continue
        topic = None
        cm = SHORTCOMING_CUE.search(seg)
        if cm and cm.start() > 3:
            topic = re.sub(r"\s+(?:còn|vẫn|chưa|vẫn\s+còn)$", "", seg[:cm.start()].strip(" ,"))
        out.append(Item("shortcoming", x, y, seg, {"topic": topic}, confidence=sent.proba.get("shortcoming", 1.0), segment=sent))
    return out


# ---------------------------------------------------------------- targets

VALUE = AMOUNT  # a target's value: the number with its unit
def _status(seg: str) -> str | None:
    if re.search(r"chưa\s+đạt|không\s+đạt|thấp\s+hơn\s+(?:chỉ\s+tiêu|kế\s+hoạch|mục\s+tiêu)|chưa\s+hoàn\s+thành", seg, re.I):
        return "not_met"
    if re.search(r"(?:đã|vượt)\s+(?:đạt|hoàn\s+thành|vượt)|vượt\s+(?:chỉ\s+tiêu|kế\s+hoạch)|hoàn\s+thành\s+(?:vượt\s+)?chỉ\s+tiêu|đạt\s+chỉ\s+tiêu", seg, re.I):
        return "met"
    return None


_PREFER = re.compile(r"(?:chỉ\s+tiêu|mục\s+tiêu|tối\s+thiểu|ít\s+nhất|phấn\s+đấu|không\s+dưới|không\s+thấp\s+hơn|là)[^,;]{0,40}$", re.I)
# where the words a value qualifies end: a clause break, a comparison, a time, a place
_AFTER_STOP = re.compile(r"[;.()]|,\s+(?!(?:hộ|học\s+sinh|người|doanh\s+nghiệp|cơ\s+sở|thị\s+trấn|phường|xã)\s)|\s(?:so\s+với|"
                         r"(?:trong|trước|đến|vào|tới)\s+(?:ngày|năm|tháng|quý|hết|cuối|thời\s+gian|giai\s+đoạn|\d)|trên\s+địa\s+bàn|"
                         r"để|nhằm|nhưng|do)\s", re.I)


_FIRST_VERB = re.compile(r"(?<![\wÀ-ỹ])(?:chỉ\s+đạt|mới\s+đạt|đạt|giảm|tăng|lên|xuống|còn|là|vượt|chưa\s+đạt|không\s+đạt|ở\s+mức|bằng)(?![\wÀ-ỹ])", re.I)
_METRIC_LEAD = re.compile(
    r"^.*(?:phấn\s+đấu|đặt\s+(?:ra\s+)?(?:mục\s+tiêu|chỉ\s+tiêu)(?:\s+là)?|mục\s+tiêu(?:\s+là)?|chỉ\s+tiêu(?:\s+là)?|"
    r"bảo\s+đảm|đảm\s+bảo|đặt\s+ra\s+là|trong\s+đó|cụ\s+thể)\s+", re.I)
_METRIC_TIME = re.compile(r"^(?:(?:đến|trong|tới)\s+(?:hết\s+|cuối\s+)?(?:ngày\s+[\d/.\-]+|năm\s+\d{4}|quý\s+\S+|tháng\s+\S+)|năm\s+\d{4}|và|để|nhằm|[,;:])\s*", re.I)


def _metric(seg: str, vm: re.Match) -> str | None:
    """What a target measures, as written: the subject before its verb ("tỷ lệ hồ sơ … đạt 60%"),
    or the words the value qualifies ("vận động 100% trẻ em … ra lớp")."""
    before = seg[:vm.start()]
    fv = _FIRST_VERB.search(before)
    head = before[:fv.start()] if fv else before
    head = re.split(r"[(]", head)[0]
    head = _METRIC_LEAD.sub("", head.strip() + " ").strip()
    head = re.sub(r"^(?:một\s+mặt|mặt\s+khác)\s*,?\s*", "", head)
    # "phấn đấu đạt được số thu tối thiểu 254.000 tỷ đồng": the subject after the verb
    middle = before[fv.end():] if fv else ""
    middle = re.sub(r"(?i)^\s*(?:được\s+)?", "", middle)
    middle = re.split(r"(?i)\s+(?:vượt|so\s+với|chiếm)\s", middle)[0]
    middle = re.sub(r"(?i)\s*(?:tối\s+thiểu|ít\s+nhất|trên|từ|khoảng|ở\s+mức|mức)?\s*$", "", middle).strip(" ,")
    while True:
        m = _METRIC_TIME.match(head)
        if not m or not m.group(0):
            break
        head = head[m.end():]
    head = re.sub(r"^(?:toàn\s+(?:huyện|tỉnh|xã|thị\s+xã|thành\s+phố|quận|ngành)|của\s+\S+(?:\s+xã)?|cấp\s+\S+)(?:\s+|$)", "", head.strip(" ,;:"))
    head = re.sub(r"\s+(?:trở\s+lên|từ|trên|ít\s+nhất|tối\s+thiểu|khoảng|tỷ\s+lệ)$", "", head.strip(" ,;:")).strip()
    head = re.sub(r"(?:^|\s+)(?:sẽ|phải|cần)$", "", head).strip()
    if re.fullmatch(r"(?i)(?:phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu|đặt\s+ra|xã|huyện|tỉnh|dịch)?", head):
        head = ""  # only a frame word is left: no subject
    after = re.sub(r"^\s*trở\s+lên", "", seg[vm.end():])
    stop = _AFTER_STOP.search(after)
    tail = " ".join((after[:stop.start()] if stop else after).split()[:16])
    if not re.match(r"[\wÀ-ỹ]", tail) or re.match(r"(?i)(?:đối\s+với|trong|tại|của|theo|cho|với|do)\s", tail):
        tail = ""  # a preposition follows the value, not the thing it counts
    if re.search(r"(?i)(?:vượt|đạt|so\s+với|hơn)\s+(?:mức\s+)?(?:chỉ\s+tiêu|kế\s+hoạch|mục\s+tiêu)(?:\s+(?:giảm|tăng|là|đề\s+ra))?\s*$", before) and (head or middle):
        return head or middle  # "… đạt 98,9%, vượt chỉ tiêu 95% tỉnh giao": the clause's subject is measured
    parsed = VALUE.match(vm.group(0))
    unit = parsed.group(2) if parsed and parsed.lastindex and parsed.group(2) and parsed.group(2) != "%" else ""
    if unit and re.fullmatch(r"(?i)hộ|người|lao\s+động|trẻ|học\s+sinh|doanh\s+nghiệp|xã|thôn|trường|cơ\s+sở|hồ\s+sơ|dự\s+án|công\s+trình", unit):
        tail = f"{unit} {tail}".strip()  # "giảm 110 hộ nghèo": what is counted is "hộ nghèo"
    if tail and re.match(r"(?i)(?:kế\s+hoạch|dự\s+toán|chỉ\s+tiêu|so\s+với)\b", tail):
        # "giải ngân 100% kế hoạch vốn …": a share of a plan, measured by the action before it
        return f"{head} {tail}" if head and not fv else head or None
    if tail:
        # "vận động 100% trẻ em …", "giảm ít nhất 10% số ca mắc …": the value qualifies what follows
        return tail
    return head or (middle if len(middle.split()) >= 2 and not re.search(r"\d", middle) else None)


_TARGET_SEP = re.compile(r"[;,]\s+|:\s+|\s+và\s+(?!\d)")
# "…, vượt chỉ tiêu 70% được giao": a comparison belongs to the target before it
_COMPARATIVE = re.compile(r"^(?:vượt|chiếm|chưa\s+đạt|không\s+đạt|bằng|thấp\s+hơn|cao\s+hơn|so\s+với|tăng|giảm)\s", re.I)
# where a target's own words start after a directive lead ("UBND thành phố giao huyện X chỉ tiêu …")
_TARGET_LEAD = re.compile(r"^.*?(?:chỉ\s+tiêu|mục\s+tiêu(?:\s+là)?|yêu\s+cầu|đề\s+nghị|giao[^,;]{0,60}?(?=chỉ\s+tiêu))\s+(?=\S)", re.I)


def _target_parts(text: str, a: int, b: int) -> list[tuple[int, int, list[re.Match]]]:
    """Cut a sentence into target clauses, each with the values it names."""
    cuts = [a]
    for m in _TARGET_SEP.finditer(text, a, b):
        cuts.extend([m.start(), m.end()])
    cuts.append(b)
    parts = []
    for i in range(0, len(cuts), 2):
        x, y = cuts[i], cuts[i + 1]
        vals = [m for m in VALUE.finditer(text, x, y) if not re.fullmatch(r"\d{4}", m.group(1) or "")]
        joins = parts and parts[-1][2] and (
            _COMPARATIVE.match(text[x:y]) or text[x:y].startswith("(")
            # "100% trạm y tế xã, thị trấn quản lý …": a comma inside the noun phrase
            or (not vals and "," in text[parts[-1][1]:x] and len(text[x:y].split()) < 12
                and not re.match(r"(?:đồng\s+thời|tuy\s+nhiên|trong\s+đó|việc|công\s+tác|tình\s+trạng|tỷ\s+lệ)\s", text[x:y], re.I)))
        # "Tỷ lệ thanh toán trực tuyến phí, lệ phí đạt …", "tỷ lệ giải quyết đúng hạn và trước hạn
        # đạt …": a comma or "và" inside the subject, whose first half names no value
        subject = vals and parts and not parts[-1][2] and _SUBJECT_PIECE.match(text[parts[-1][0]:parts[-1][1]]) \
            and len(text[parts[-1][0]:parts[-1][1]].split()) <= 12 and not _FIRST_VERB.search(text[parts[-1][0]:parts[-1][1]])
        if joins or subject:
            px, _, pv = parts[-1]
            parts[-1] = (px, y, pv + vals)
        else:
            parts.append((x, y, vals))
    return parts


_SUBJECT_PIECE = re.compile(r"(?!(?:Trong\s+đó|Tuy\s+nhiên|Đồng\s+thời|Ngoài\s+ra|Năm|Đến|Phấn\s+đấu|Mục\s+tiêu|Chỉ\s+tiêu|Cụ\s+thể)\b)"
                            r"(?:[Tt]ỷ\s+lệ|[Ss]ố|[Đđ]iểm|[Cc]hỉ\s+số|[Tt]ổng|[Mm]ức|[a-zà-ỹđ])[^\d:]*$")


# A value is a target's when its clause frames it as one, or the sentence sets goals.
_GOAL_WORDS = re.compile(r"phấn\s+đấu|chỉ\s+tiêu|mục\s+tiêu|tối\s+thiểu|ít\s+nhất|không\s+dưới|không\s+thấp\s+hơn|kế\s+hoạch\s+đề\s+ra|bảo\s+đảm|đảm\s+bảo|100\s*%", re.I)


def target_items(doc: Document, sent: Segment) -> list[Item]:
    """One target per clause that names a value (or per named index) in a target sentence."""
    text = doc.text
    out = []
    a, b = sent.start, sent.end
    if sent.cells:
        return out
    ddate = _doc_date(doc)
    parts = [p for p in _target_parts(text, a, b) if p[2]]
    if parts:
        dm_all = re.search(r"(?:đến|trong|năm|cuối)\s+(?:năm\s+)?(\d{4})|(?:đến|trước)\s+(?:hết\s+)?ngày\s+\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4}", text[a:b])
        sentence_goal = bool(_GOAL_WORDS.search(text[a:b])) or sent.section == "targets" or bool(
            sent.lead_in is not None and re.search(r"mục\s+tiêu|chỉ\s+tiêu", doc.text[sent.lead_in.start:sent.lead_in.end], re.I))
        for x, y, vals in parts:
            x, y = clean_span(text, x, y)
            if not (_GOAL_WORDS.search(text[x:y]) or sentence_goal and re.search(r"đạt|giảm|tăng|xuống|lên|vượt|trên|dưới|còn", text[x:y], re.I)):
                continue  # a figure of the past ("toàn huyện có 436 hộ nghèo"), not a goal
            lead = _TARGET_LEAD.match(text[x:y])
            if lead and lead.end() < vals[0].start() - x and len(re.findall(r"\w+", text[x + lead.end():vals[0].start()])) >= 3:
                x += lead.end()
            seg = text[x:y]
            # the value the clause sets as goal ("đạt 38,6%, chưa đạt chỉ tiêu 60%" → 60%)
            best = next((vm for vm in vals if _PREFER.search(text[max(a, vm.start() - 60):vm.start()])), vals[0])
            local = re.search(re.escape(best.group(0)), seg)
            if local is None:
                continue
            dm = re.search(r"(?:đến|trong|năm|cuối)\s+(?:năm\s+)?(\d{4})|(?:đến|trước)\s+(?:hết\s+)?ngày\s+\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4}", seg) or dm_all
            dl = resolve(dm.group(0), ddate) if dm else None
            value = best.group(0).strip() if not best.group(1) else f"{best.group(1)}{'' if best.group(2) == '%' else ' '}{best.group(2)}"
            out.append(Item("target", x, y, seg, {
                "metric": _metric(seg, local), "value": value, "deadline": dl, "status": _status(seg) or _status(text[a:b])},
                confidence=sent.proba.get("target", 1.0), segment=sent))
        return out
    seg = text[a:b]
    dm = re.search(r"(?:đến|trong|năm|cuối)\s+(?:năm\s+)?(\d{4})", seg)
    dl = resolve(dm.group(0), ddate) if dm else None
    for im in INDEX_NAMES.finditer(seg):
        name = im.group(0)
        if not re.search(r"PAPI|SIPAS|PAR|PCI|DDCI|DTI|ICT|[Cc]hỉ\s+số", name, re.I):
            continue
        out.append(Item("target", a + im.start(), a + im.end(), name, {
            "metric": name, "value": None, "deadline": dl, "status": _status(seg)},
            confidence=sent.proba.get("target", 1.0), segment=sent))
    return out
