"""Slot extraction: owners, coordinators, assigner, deadline and refs of a directive.

Vietnamese directives have a fixed shape — "[assigner] giao/đề nghị/yêu cầu [owners]
[action …] [deadline]" or, in lists, "[owners] chủ trì, phối hợp với [coordinators]
[action …]". Unit names start with a head from the gazetteer (Sở, Phòng, UBND, Chủ tịch,
"các cơ quan, đơn vị" …) and end where a lower-case action verb begins; a list of units
splits at each new head. All offsets are absolute offsets into the document text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import ACTION, COLLECTIVE, GIAO, ROLE_HEADS, UNIT_HEAD, phrase_pattern

Span = tuple[int, int]

_LEAD_WORDS = re.compile(
    r"^(?:(?:Đồng\s+thời|Đồng\s+thời,|Bên\s+cạnh\s+đó,?|Ngoài\s+ra,?|Trong\s+đó,?|Riêng|Theo\s+đó,?|Cụ\s+thể,?|"
    r"(?:[Tt]iếp\s+tục|[Cc]ũng)(?=\s+(?:giao|đề\s+nghị|yêu\s+cầu)))\s+)?"
    r"(?:(?:giao\s+cho|" + GIAO + r"|đề\s+nghị|yêu\s+cầu|phân\s+công|ủy\s+quyền|uỷ\s+quyền|thống\s+nhất\s+giao)\s+)",
    re.I,
)
_UNIT_AT = re.compile(r"(?:" + UNIT_HEAD.pattern + r")|(?:" + COLLECTIVE.pattern + r")", re.I)
_SPLIT = re.compile(r"\s*(?:,|;|\s+và\s+|\s+cùng\s+)\s*")
_ROLE = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(phrase_pattern(r) for r in sorted(ROLE_HEADS, key=len, reverse=True)) + r")(?![\wÀ-ỹ])")
_NAMED_LIST = re.compile(r"(?:các|những)\s+(?:Bộ|Sở|bộ|sở|ngành|đơn\s+vị|cơ\s+quan|tỉnh|thành\s+phố|huyện|xã|phường)\s*$")
_COORD = re.compile(r"(?<![\wÀ-ỹ])(?:phối\s+hợp(?:\s+chặt\s+chẽ)?\s+với|với\s+sự\s+phối\s+hợp\s+của|cùng\s+với)\s+", re.I)


_INTRO_ONLY = re.compile(r"(?:Đồng\s+thời|Bên\s+cạnh\s+đó|Ngoài\s+ra|Trong\s+đó|Theo\s+đó|Cụ\s+thể|Mặt\s+khác)\s*,?\s*")
# Subjects outside the gazetteer that a modal makes owners: "Doanh nghiệp sử dụng lao động có
# trách nhiệm …", "người lao động nước ngoài … phải …", "Tỉnh cần …", "Cơ quan này cũng cần …".
_MODAL_SUBJECT = re.compile(
    r"((?:[Dd]oanh\s+nghiệp|DN|[Nn]gười\s+(?:lao\s+động|dân|sử\s+dụng|nộp\s+thuế|đứng\s+đầu)|[Hh]ãng|[Cc]hủ\s+đầu\s+tư|"
    r"Tỉnh|Thành\s+phố|Huyện|Xã|Phường|[Cc]ơ\s+quan\s+này|[Đđ]ơn\s+vị\s+này|[Nn]gành|[Nn]hà\s+trường|[Cc]ác\s+bên)"
    r"(?:\s+và\s+(?:DN|[Dd]oanh\s+nghiệp|[Hh]ãng\s+tàu|[Cc]hủ\s+đầu\s+tư|[Nn]hà\s+thầu))?"
    r"[^,;:.]{0,60}?)\s+(?:cũng\s+)?(?:có\s+trách\s+nhiệm|chịu\s+trách\s+nhiệm|phải|cần(?:\s+phải)?|"
    r"(?=phối\s+hợp\s+với|khẩn\s+trương|chủ\s+động|nghiêm\s+túc\s+thực\s+hiện))\s*(\S)"
)
# "Trường hợp không đủ chứng từ, hãng tàu và DN phối hợp với cảng …": the condition comes first
_CONDITION = re.compile(r"(?:Trường\s+hợp|Nếu|Khi)\s[^,;:]{3,100},\s+")


@dataclass
class Assignment:
    owners: list[Span] = field(default_factory=list)
    action_start: int | None = None  # where the directive's own words begin
    assigner: Span | None = None


def _trim(text: str, a: int, b: int) -> Span:
    while a < b and text[a] in " ,;:.-–(\"“":
        a += 1
    while b > a and text[b - 1] in " ,;:.-–\"”":
        b -= 1
    return a, b


# Heads that open a verb or a common noun rather than a unit: "Tổ chức", "Báo cáo", "Phòng, chống"
_NOT_UNIT = re.compile(
    r"(?:Tổ\s+chức|Báo\s+cáo|Ban\s+hành|Hội\s+nghị|Hội\s+thảo|Đội\s+ngũ|Trường\s+hợp|Sở\s+hữu|Phòng[,\s]+chống|"
    r"Phòng\s+ngừa|Phòng\s+tránh|Cục\s+bộ|Bộ\s+máy|Bộ\s+tiêu\s+chí|Bộ\s+hồ\s+sơ|Bộ\s+chỉ\s+số|Hội\s+viên|Đoàn\s+kết|Công\s+ty\s+hóa|"
    r"Cơ\s+quan\s+hóa|Trạm\s+dừng|Tổ\s+quốc|Ban\s+đêm|Ban\s+ngày|Đài\s+truyền)(?![\wÀ-ỹ])",
    re.I,
)


def unit_starts_at(text: str, pos: int) -> bool:
    m = _UNIT_AT.match(text, pos)
    if not m or _NOT_UNIT.match(text, pos):
        return False
    # "Sở" inside an ordinary word is excluded by the look-arounds; a body head must be capitalised
    word = m.group(0)
    return word[0].isupper() or COLLECTIVE.match(text, pos) is not None


_ASSIGNS_AT_END = re.compile(r"\s(?:chỉ\s+thị|yêu\s+cầu|đề\s+nghị|chỉ\s+đạo|kết\s+luận|nhấn\s+mạnh|quyết\s+định)\s*$")
_CHUNK_STOP = re.compile(r"\s(?:về\s+việc|để|nhằm|với\s+mục\s+tiêu|trong\s+việc|theo\s+chức\s+năng)\s")
# Adverbials that end a unit name even before any verb: "các cục hải quan | định kỳ hàng năm
# báo cáo …", "Lãnh đạo Cục Văn hóa cơ sở | căn cứ Thông tư …", "Ngân hàng Nhà nước, | một mặt …"
_ADVERBIAL = re.compile(r"\s(?:căn\s+cứ|định\s+kỳ|(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày)|khi|nếu|từ\s+nay|ngay|trước\s+mắt|là|trong\s+phạm\s+vi|theo\s+(?:nhiệm\s+vụ|chức\s+năng|thẩm\s+quyền)|có\s+(?:văn\s+bản|công\s+văn|ý\s+kiến))(?=[\s,])"
                        r"|,\s+(?:một\s+mặt|trước\s+mắt|trong\s+đó)\s")
# Verbs of saying: a chunk that holds one names a speaker, not the owners of an action.
_SAYS = re.compile(r"(?<![\wÀ-ỹ])(?:khẳng\s+định|nhấn\s+mạnh|cho\s+rằng|cho\s+biết|nêu\s+rõ|phát\s+biểu|thông\s+tin|"
                   r"ghi\s+nhận|đánh\s+giá|lưu\s+ý|nói|chia\s+sẻ|bày\s+tỏ|cũng)(?![\wÀ-ỹ])")


def action_boundary(text: str, start: int, end: int) -> int | None:
    """First lower-case action verb after ``start`` (end of a unit-name chunk)."""
    stop = _CHUNK_STOP.search(text, start, end)
    if stop:
        end = stop.start()
    for m in ACTION.finditer(text, start, end):
        if m.start() == start or re.search(r"(?:các|những|mọi|từng|của)\s+$", text[max(start, m.start() - 8):m.start()]):
            continue  # "các tổ chức chính trị - xã hội": a noun here, not the action
        word = m.group(0)
        if word[0].islower():
            return m.start()
    return None


# Lower-case verbs that belong inside unit names ("Bộ Giao thông vận tải", "Ban Quản lý dự án
# đầu tư xây dựng", "Trung tâm Phát triển quỹ đất"), so they do not end one.
_NAME_VERBS = frozenset("""vận tải|xây dựng|đầu tư|phát triển|quản lý|đăng ký|đào tạo|bảo vệ|kiểm soát|phòng chống|chống|
cứu nạn|cứu hộ|chữa cháy|điều tra|thi hành|giải phóng|bồi thường|tái định cư|thống kê|kiểm lâm|
dạy nghề|giáo dục|chữa bệnh|khám|xúc tiến|hỗ trợ|tư vấn|truyền thông|phát thanh|truyền hình|cấp nước|thoát nước|
chiếu sáng|quy hoạch|đo đạc|tìm kiếm|ứng phó|sản xuất|kinh doanh|khai thác|bảo trì|điều hành|giám sát|chấp hành|
kiểm tra|thẩm định|bảo hiểm|lao động|nuôi trồng|tiếp|dịch vụ|phục vụ|hành chính|công|thương mại|đô thị|vệ sinh|
môi trường|dân số|kế hoạch|hóa|chỉ huy|chỉ đạo|cứu trợ|khuyến nông|thú y|bảo tồn|phát hành|vận hành|kiểm sát|xét xử|thuộc|trực thuộc|liên quan|có liên quan""".replace("\n", "").split("|"))


def _name_words(word: str) -> bool:
    """"đầu tư xây dựng" is made of words of unit names."""
    syl = word.split()
    i = 0
    while i < len(syl):
        for n in (3, 2, 1):
            if " ".join(syl[i:i + n]) in _NAME_VERBS:
                i += n
                break
        else:
            return False
    return True


def verb_cut(text: str, a: int, b: int) -> int:
    """End of a unit name by part of speech: the first lower-case verb (underthesea's
    tagger) that is not a word of unit names — "UBND TP.HCM | có phản ứng kịp thời …",
    "Sở Xây dựng | trao đổi bằng văn bản …". ``b`` when there is none."""
    chunk = text[a:b]
    if len(chunk.split()) < 3:
        return b
    from underthesea import pos_tag

    pos, seen = 0, 0
    for word, tag in pos_tag(chunk):
        k = chunk.find(word, pos)
        if k == -1:
            continue
        pos = k + len(word)
        seen += 1
        if seen > 1 and tag == "V" and word[:1].islower() and not _name_words(word.lower()) \
                and not re.search(r"(?:các|những|của|và)\s*$", chunk[:k]):
            return _trim(text, a, a + k)[1]
    return b


def split_units(text: str, a: int, b: int) -> list[Span]:
    """Split "Sở Xây dựng, Thanh tra thành phố và UBND các quận" into unit spans.

    A piece that does not start with a unit head ("đơn vị" in "các cơ quan, đơn vị") stays
    with the unit before it, so collectives and "Sở Tài nguyên và Môi trường" stay whole.
    "các Bộ: Y tế, Nội vụ" gives "Y tế" and "Nội vụ".
    """
    a, b = _trim(text, a, b)
    if a >= b:
        return []
    colon = text.find(":", a, b)
    if colon != -1 and _NAMED_LIST.search(text[a:colon]):
        parts = []
        pos = colon + 1
        for m in re.finditer(r"[,;]", text[colon + 1:b] + ","):
            x, y = _trim(text, pos, colon + 1 + m.start())
            if y > x:
                parts.append((x, y))
            pos = colon + 1 + m.end()
        return parts
    cuts = [a]
    for m in _SPLIT.finditer(text, a, b):
        nxt = m.end()
        if "và" in m.group(0) and re.search(r"(?:Văn\s+phòng|Thường\s+trực)\s+(?:HĐND|Hội\s+đồng\s+nhân\s+dân|Đoàn\s+ĐBQH)\s*$", text[cuts[-1]:m.start()]):
            continue  # "Văn phòng HĐND và UBND huyện" is one office
        if nxt < b and unit_starts_at(text, nxt) and (text[nxt].isupper() or text[nxt:nxt + 3].lower() in ("các", "từn", "mỗi", "chí", "cấp", "nhữ", "toà", "ngư", "lãn")):
            cuts.append(m.start())
            cuts.append(nxt)
    cuts.append(b)
    spans = []
    for i in range(0, len(cuts), 2):
        x, y = _trim(text, cuts[i], cuts[i + 1])
        appositive = re.search(r"\s[-–]\s(?=(?:cơ\s+quan|đơn\s+vị|là|thành\s+viên)\s)", text[x:y])
        if appositive:  # "Sở Giáo dục và Đào tạo - cơ quan thường trực của Ban Chỉ đạo"
            y = x + appositive.start()
        if y > x:
            spans.append((x, y))
    return spans


def parse_owner_chunk(text: str, start: int, end: int, max_len: int = 220,
                      assigned: bool = False) -> tuple[list[Span], int] | None:
    """If a unit name starts at ``start``, return (owner spans, where the action starts).

    ``assigned``: the chunk follows "giao / yêu cầu / đề nghị", so whatever verb comes after
    the unit name is the action asked of it; without a cue, only the lexicon's action verbs
    make a directive ("Chủ tịch UBND thành phố phê bình …" reports the meeting)."""
    if not unit_starts_at(text, start):
        return None
    stop = action_boundary(text, start, end)
    colon = re.search(r"[:“\"]", text[start:stop if stop is not None else end])
    if colon:
        if text[start + colon.start()] != ":":
            return None  # "Phó Thủ tướng khẳng định: “…": a quote, not an owner list
        if _NAMED_LIST.search(text[start:start + colon.start()]):
            # "các Bộ: Y tế, Nội vụ, Kế hoạch và Đầu tư chú trọng …": the list runs to the action
            stop2 = action_boundary(text, start + colon.end(), end) or end
            return split_units(text, start, stop2), stop2
        if _SAYS.search(text, start, start + colon.start()):
            return None  # "Phó Thủ tướng cũng khẳng định: …": a speaker before the quote, not owners
        owners = split_units(text, start, start + colon.start())
        return (owners, start + colon.end()) if owners else None
    if stop is None and assigned:
        # no verb of the lexicon: after "giao/yêu cầu", the tagger's first verb ends the name
        limit = min(end, start + max_len)
        cut, action = _name_end(text, start, limit, assigned)
        if cut < limit:
            owners = split_units(text, start, cut)
            return (owners, action) if owners else None
    if stop is None:
        # "1. Ban Quản lý dự án đầu tư xây dựng thành phố:" — a lead-in naming only owners
        chunk_end = end
        if text[start:end].rstrip().endswith(":"):
            chunk_end = text.rfind(":", start, end)
        elif end - start > 120:
            return None
        stop = chunk_end
    if stop - start > max_len or _SAYS.search(text, start, stop):
        return None
    if _ASSIGNS_AT_END.search(text, start, stop):
        return None  # "Thủ tướng chỉ thị đẩy mạnh …": the unit gives the directive, it is not its owner
    cut, action = _name_end(text, start, stop, assigned)
    return split_units(text, start, cut), action


def _name_end(text: str, start: int, stop: int, assigned: bool) -> tuple[int, int]:
    """Where a unit name ends before ``stop`` and where the action then starts: at an adverbial,
    or (after an assignment cue) at a verb the lexicon does not know but the tagger does."""
    adv = _ADVERBIAL.search(text, start, stop)
    limit = adv.start() if adv else stop
    cut = verb_cut(text, start, limit) if assigned else limit
    if cut == stop:
        return cut, stop
    return cut, cut + len(text[cut:stop]) - len(text[cut:stop].lstrip(" ,"))


# "chỉ đạo" is left out: "Giám đốc Công an chỉ đạo Công an các quận …" is the owner's own action
_ASSIGN_MID = re.compile(r"(?<![\wÀ-ỹ])(?:đề\s+nghị|yêu\s+cầu|" + GIAO + r"|phân\s+công|ủy\s+quyền|uỷ\s+quyền|kêu\s+gọi|chỉ\s+đạo)(?![\wÀ-ỹ])", re.I)
_TOP_SPEAKER = re.compile(r"(?:(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à)\s+)?(?:Phó\s+)?(?:Thủ\s+tướng|Chủ\s+tịch|Bộ\s+trưởng|Bí\s+thư|Chính\s+phủ|Tổng\s+cục\s+trưởng|Trưởng\s+ban)")
_SPEAKER = re.compile(r"(?:[Đđ]ồng\s+chí|[Ôô]ng|[Bb]à|Phó|Thủ\s+tướng|Bộ\s+trưởng|Chủ\s+tịch|Lãnh\s+đạo|Văn\s+phòng|Tại|Trên|Để|Sau|Kết\s+luận)")


def find_assignment(text: str, a: int, b: int) -> Assignment:
    """Owners and the start of the action in the clause ``text[a:b]``.

    "[assigner] đề nghị/yêu cầu/giao [owners] [action]" is tried first, so the assigner
    never ends up among the owners; then a clause that opens with a cue or a unit.
    """
    res = Assignment()
    for cm in _ASSIGN_MID.finditer(text, a, min(b, a + 320)):
        if cm.start() == a:
            break
        before = text[a:cm.start()]
        subj = a
        if not (unit_starts_at(text, a) or _SPEAKER.match(text, a)):
            # "Theo đó, Thủ tướng yêu cầu …", "Tại buổi làm việc, Bộ trưởng đề nghị …"
            k = max(before.rfind(","), before.rfind(";"), before.rfind(":"))
            subj = a + k + 1 if k != -1 else a
            while subj < cm.start() and text[subj] == " ":
                subj += 1
            if subj < cm.start() and not (unit_starts_at(text, subj) or _SPEAKER.match(text, subj) or _TOP_SPEAKER.match(text, subj)):
                continue  # (a cue right after the comma has its subject earlier: "…, yêu cầu các sở …")
            before = text[subj:cm.start()]
        if re.search(r"[;:]", before):
            continue
        if re.search(r"(?<![\wÀ-ỹ])(?:để|sẽ|đã\s+được|được)\s*$", before):
            continue  # "đề xuất UBND thị xã để chỉ đạo": not an assignment
        after = cm.end()
        while after < b and text[after] in " :\"“":  # "Thủ tướng yêu cầu: “Bộ Công an …"
            after += 1
        if text.startswith("cho ", after):
            after += 4
        if cm.group(0).lower().startswith("chỉ") and not (
                unit_starts_at(text, after) and (_TOP_SPEAKER.match(text, subj) or re.search(r"đã\s+$", text[a:cm.start()]))):
            continue  # "Sở Y tế chỉ đạo Trung tâm Y tế …": the subject's own action; "Thủ tướng chỉ đạo Bộ …" assigns
        res.assigner = _assigner_in(text, subj, cm.start())
        got = parse_owner_chunk(text, after, b, assigned=True)
        if got:
            res.owners, res.action_start = got
        else:
            res.action_start = after
        return res
    m = _LEAD_WORDS.match(text[a:b])
    pos = a + (m.end() if m else 0)
    if not m:
        intro = _INTRO_ONLY.match(text, a, b)  # "Cụ thể, các bộ, ngành, địa phương phải …"
        if intro and unit_starts_at(text, intro.end()):
            pos = intro.end()
    got = parse_owner_chunk(text, pos, b, assigned=m is not None)
    if got:
        res.owners, res.action_start = got
        return res
    cond = _CONDITION.match(text, pos, b)
    subject = _MODAL_SUBJECT.match(text, cond.end() if cond else pos, b)
    if subject:  # "Doanh nghiệp sử dụng lao động có trách nhiệm chi trả …", "Tỉnh cần …"
        x, y = _trim(text, subject.start(1), subject.end(1))
        joint = re.search(r"\s+và\s+(?=DN|[Dd]oanh\s+nghiệp|[Hh]ãng\s+tàu|[Cc]hủ\s+đầu\s+tư|[Nn]hà\s+thầu)", text[x:y])
        res.owners = [(x, x + joint.start()), (x + joint.end(), y)] if joint else [(x, y)]  # "hãng tàu và DN": two
        res.action_start = subject.start(2)
        return res
    if m:
        res.action_start = pos
    return res


def _assigner_in(text: str, a: int, b: int) -> Span | None:
    """"Đồng chí Hà Duy Đạt - Chủ tịch UBND thị xã đề nghị" → "Chủ tịch UBND thị xã"."""
    seg = text[a:b]
    last = None
    for m in _ROLE.finditer(seg):
        last = m
    if last is None:
        m = UNIT_HEAD.search(seg)
        if not m:
            return None
        last = m
    x, y = _trim(text, a + last.start(), b)
    # cut at a clause break inside
    cut = re.search(r"[,;(]|\s+(?:đã|cũng|tiếp\s+tục|khi|tại|trong)\s", text[x:y])
    if cut:
        y = x + cut.start()
    if y - x > 80 or y <= x:
        return None
    return x, y


def find_coordinators(text: str, a: int, b: int) -> list[Span]:
    out: list[Span] = []
    for m in _COORD.finditer(text, a, b):
        s = m.end()
        if not unit_starts_at(text, s):
            continue
        stop = action_boundary(text, s, b) or b
        stop = min(stop, *(x for x in (text.find(";", s, b), text.find(".", s, b)) if x != -1), b) if True else stop
        if stop - s > 200:
            continue
        out.extend(split_units(text, s, stop))
    return out


def find_refs(text: str, a: int, b: int, sdoc=None) -> list[Span]:
    """Document references in ``text[a:b]``: the REF spans of the spaCy span ruler."""
    from .spans import sentence_doc, spans_in

    if sdoc is None:
        sdoc = sentence_doc(text[a:b])
    return [(x, y) for x, y in spans_in(text[a:b], a, sdoc, "REF")]


def clean_span(text: str, a: int, b: int) -> Span:
    """Drop list numbering, leading connectives and trailing punctuation of an item span."""
    a, b = _trim(text, a, b)
    m = re.match(r"(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-–+•])\s+", text[a:b])
    if m:
        a += m.end()
    return _trim(text, a, b)
