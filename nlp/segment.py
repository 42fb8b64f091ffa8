"""Segment stage: cut the normalised text into blocks and sentences.

Blocks are lines of the document: headings, paragraphs, list items (with the lead-in
that introduces them: "… như sau:", "1. Phòng Tài chính - Kế hoạch:"), table rows (cells
separated by " | ", as ingest writes tables), and furniture (portal menus, footers,
"Nơi nhận:" and signature blocks) that never yields items. Sentences are cut inside
each block; they are what the classifier labels.
"""
from __future__ import annotations

import re

from .doc import Document, Segment

LIST_MARKER = re.compile(
    r"^(?P<m>(?:\d{1,2}(?:\.\d{1,2}){0,3}[.)](?!\d))|(?:[a-zđ][)\.](?=\s))|[-–+•*●▪◦]|\(\d{1,2}\)|\([a-zđ]\))\s*"
)
ROMAN_HEADING = re.compile(r"^(?:PHẦN\s+)?[IVX]{1,5}[.\-–)]\s+\S")
TABLE_SEP = " | "

# Section headings that switch what a list means (DOMAIN.md "Section headings").
SECTION_CUES = [
    ("proposals", re.compile(r"kiến\s+nghị|đề\s+xuất", re.I)),
    ("causes", re.compile(r"^\W*(?:\d+\.\s*)?nguyên\s+nhân", re.I)),
    ("shortcomings", re.compile(r"tồn\s+tại|hạn\s+chế|khó\s+khăn|vướng\s+mắc|yếu\s+kém|bất\s+cập", re.I)),
    ("tasks", re.compile(r"nhiệm\s+vụ|giải\s+pháp|tổ\s+chức\s+thực\s+hiện|kết\s+luận|phương\s+hướng|chỉ\s+đạo|phân\s+công|trách\s+nhiệm", re.I)),
    ("targets", re.compile(r"mục\s+tiêu|chỉ\s+tiêu", re.I)),
    ("achievements", re.compile(r"kết\s+quả|tình\s+hình|đánh\s+giá|đạt\s+được", re.I)),
    ("purpose", re.compile(r"mục\s+đích|^\W*(?:[IVX]+[.)]\s*)?yêu\s+cầu\W*$", re.I)),
]

# Re-posting sites repeat the article's lead as a teaser: "more(HDDTVN) – …", "[:gift:Xem chi tiết …]".
_REPOST_TEASER = re.compile(r"^\s*(?:more\s*\(|\[:gift:|\[Xem\s+chi\s+tiết)", re.I)
HEADER_LINE = re.compile(
    r"CỘNG\s+HÒA\s+XÃ\s+HỘI|Độc\s+lập\s*-\s*Tự\s+do|^\s*-{3,}\s*$|^\s*Số\s*:\s*\S+/|^(?:KT|TM|TL|Q)\.\s|"
    r"^(?:PHÓ\s+)?CHỦ\s+TỊCH\s*$|^(?:PHÓ\s+)?CHÁNH\s+VĂN\s+PHÒNG\s*$|^(?:PHÓ\s+)?GIÁM\s+ĐỐC\s*$"
)
# After these, nothing is the document's own content: recipients, or a portal's list of other news.
# ("Tin liên quan" boxes stand mid-article: ingest marks them and their headlines as furniture.)
END_MATTER = re.compile(r"^\s*(?:(?:Nơi\s+nhận|Nơi\s+gửi)\s*:|(?:Các\s+)?tin\s+(?:khác|cùng\s+chuyên\s+mục)\s*:?\s*$)", re.I)

_ABBREV_BEFORE_DOT = re.compile(r"(?:\b(?:TP|Tp|Q|P|TT|TS|ThS|PGS|GS|BS|Th\.S|St|Mr|Ms|ông|bà|v\.v|KT|TM|TL|Đ/c|đ/c|No|Tr))$")
_SENT_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“(]?[A-ZĐÀ-ỸÁÂĂÊÔƠƯ0-9])")


def is_heading(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 160:
        return False
    if ROMAN_HEADING.match(s):
        return True
    letters = [c for c in s if c.isalpha()]
    if len(letters) >= 6 and all(c.isupper() for c in letters) and len(s.split()) >= 2:
        return True
    return False


def section_of(heading: str) -> str | None:
    for name, rx in SECTION_CUES:
        if rx.search(heading):
            return name
    return None


def _marker_type(marker: str) -> str:
    if marker[0].isdigit():
        return "num%d" % marker.count(".")
    if marker.startswith("("):
        return "paren"
    if marker[0].isalpha():
        return "alpha"
    return "bullet" + marker[0]


# "… biển số 80A - Ảnh minh họa: Nguyễn Tiến Thực hiện ý kiến …": a photo caption glued into
# scraped news. The caption ends at the photographer's name; the next sentence starts with
# the last capitalised word of the run.
_CAPTION = re.compile(r"\s[-–]?\s*Ảnh(?:\s+minh\s+họa)?\s*:\s*((?:[A-ZĐÀ-Ỹ][\wÀ-ỹ/.&-]*\s+){2,5})(?=[a-zđà-ỹ])")


def _split_captions(text: str, a: int, b: int) -> list[tuple[int, int]]:
    m = _CAPTION.search(text, a, b)
    if not m:
        return [(a, b)]
    run = m.group(1).split()
    cut = m.start(1) + len(" ".join(run[:-1]))  # after the name, before the next sentence's first word
    nxt = text.find(run[-1], cut)
    # the caption itself (a description of a photo) is dropped
    return _split_captions(text, nxt, b)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets inside ``text[start:end]`` (absolute), dots after abbreviations kept."""
    out: list[tuple[int, int]] = []
    s = start
    for m in _SENT_BOUNDARY.finditer(text, start, end):
        before = text[s:m.start()]
        if _ABBREV_BEFORE_DOT.search(before.rstrip(".!?…\"”’) ")):
            continue
        if text[s:m.start()].strip():
            out.append((s, m.start()))
        s = m.end()
    if text[s:end].strip():
        out.append((s, end))
    out = [piece for a, b in out for piece in _split_captions(text, a, b)]
    # trim whitespace at both ends
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            trimmed.append((a, b))
    return trimmed


def _furniture_ranges(doc: Document) -> list[tuple[int, int]]:
    """Portal furniture as ingest found it (menus, counters, captions, footers, "Tin khác")."""
    from .ingest import furniture_spans

    return [tuple(x) for x in doc.hints.get("furniture", [])] + list(furniture_spans(doc.text))


_CONTINUES = re.compile(r"^[a-zđà-ỹ(]")
_ENDS = re.compile(r"[.:;!?…\"”)]\s*$|^\s*$")


def _lines(text: str):
    """Line spans, with hard-wrapped lines (PDF/text exports) joined back into one.

    A line that ends mid-sentence and a next line that starts in lower case are one line
    of the document; list items and table rows are never joined.
    """
    spans = []
    pos = 0
    for raw in text.split("\n"):
        spans.append([pos, pos + len(raw)])
        pos += len(raw) + 1
    # a text wrapped at a fixed width (scraped resolutions, PDF exports): many full lines
    # that stop mid-sentence; there a line may go on with a number or a capital too
    full = [b - a for a, b in spans if b - a >= 55]
    wrapped = len(full) >= 5 and sum(1 for a, b in spans if 55 <= b - a <= 100 and not _ENDS.search(text[a:b])) >= 0.5 * len(full)
    out = []
    for a, b in spans:
        line = text[a:b]
        first = line.lstrip()
        goes_on = _CONTINUES.match(first) or (
            wrapped and first[:1].isdigit() or wrapped and first[:1].isupper() and not first.isupper())
        if out and line.strip() and goes_on and TABLE_SEP not in line and not LIST_MARKER.match(first):
            pa, pb = out[-1]
            prev = text[pa:pb]
            if prev.strip() and not _ENDS.search(prev) and TABLE_SEP not in prev and not is_heading(prev) \
                    and (_CONTINUES.match(first) or len(prev) >= 55):
                out[-1][1] = b
                continue
        out.append([a, b])
    return [tuple(x) for x in out]


def _names_only_units(text: str, a: int, b: int) -> bool:
    """"1. Phòng Giáo dục và Đào tạo" (no colon): a heading that names the owners of the items below."""
    from .slots import action_boundary, unit_starts_at

    body = text[a:b].rstrip()
    return (len(body) < 100 and not body.endswith((".", ";")) and unit_starts_at(text, a)
            and action_boundary(text, a, b) is None)


def _opens_with_action(line: str) -> bool:
    from .lexicon import ACTION

    return bool(ACTION.match(line[:1].lower() + line[1:]))


def segment(doc: Document) -> Document:
    """Fill ``doc.segments`` with blocks and their sentences (sentences carry ``parent``)."""
    text = doc.text
    furniture = _furniture_ranges(doc)
    blocks: list[Segment] = []
    section: str | None = None
    heading: str | None = None
    base_lead: Segment | None = None
    stack: list[tuple[str, Segment]] = []
    columns: list[str] = []
    ended = False
    for a, b in _lines(text):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a == b:
            continue
        line = text[a:b]
        if ended or END_MATTER.match(line):
            ended = True
            blocks.append(Segment(a, b, "furniture"))
            continue
        if any(fa <= a and b <= fb for fa, fb in furniture) or _REPOST_TEASER.match(line) \
                or len(line) < 160 and HEADER_LINE.search(line):
            blocks.append(Segment(a, b, "furniture"))
            continue
        if re.fullmatch(r"[-|:+=\s]+", line) and "|" in line:
            blocks.append(Segment(a, b, "furniture"))  # a Markdown table rule: keep the columns
            continue
        if line.count(TABLE_SEP) >= 2 or (line.count(TABLE_SEP) == 1 and len(line) < 200 and columns):
            cells, c0 = [], a
            for part in line.split(TABLE_SEP):
                cells.append((c0, c0 + len(part)))
                c0 += len(part) + len(TABLE_SEP)
            names = [text[x:y].strip() for x, y in cells]
            if re.search(r"(?i)\b(?:STT|TT)\b|nội\s+dung|chủ\s+trì|thời\s+(?:gian|hạn)", " ".join(names)) and not any(
                re.fullmatch(r"\d+\.?", n) for n in names[:1]
            ):
                columns = names
                blocks.append(Segment(a, b, "table_header", section=section, heading=heading, cells=cells, columns=names))
                continue
            seg = Segment(a, b, "table_row", section=section, heading=heading, cells=cells, columns=list(columns),
                          lead_in=base_lead)
            blocks.append(seg)
            continue
        columns = []
        if is_heading(line) and not LIST_MARKER.match(line):
            heading = line
            section = section_of(line) or section
            base_lead, stack = None, []
            blocks.append(Segment(a, b, "heading", section=section, heading=heading))
            continue
        m = LIST_MARKER.match(line)
        if m and len(line) > len(m.group(0)):
            marker = m.group("m")
            mtype = _marker_type(marker)
            # a short numbered line that names a section ("1. Tồn tại, hạn chế") is a heading
            body = line[m.end():]
            if len(body) < 80 and not body.rstrip().endswith((".", ";", ":")) and section_of(body) and mtype.startswith("num") and not re.search(r"(?i)\b(?:giao|đề nghị|yêu cầu)\b", body):
                heading = line
                section = section_of(body) or section
                base_lead, stack = None, []
                blocks.append(Segment(a, b, "heading", section=section, heading=heading))
                continue
            if any(t == mtype for t, _ in stack):
                while stack:
                    t, _ = stack.pop()
                    if t == mtype:
                        break
            lead = stack[-1][1] if stack else base_lead
            seg = Segment(a + m.end(), b, "list_item", lead_in=lead, section=section, heading=heading,
                          marker=marker, depth=len(stack))
            blocks.append(seg)
            if line.rstrip().endswith(":") or _names_only_units(text, seg.start, seg.end):
                stack.append((mtype, seg))
            continue
        if base_lead is not None and not stack and _opens_with_action(line):
            # news sets a list out as paragraphs without numbers: "Tổng cục Hải quan yêu cầu các
            # cục hải quan tỉnh, thành phố:" ¶ "Hướng dẫn DN khai báo …" ¶ "Rà soát toàn bộ dữ liệu …"
            blocks.append(Segment(a, b, "list_item", lead_in=base_lead, section=section, heading=heading))
            continue
        seg = Segment(a, b, "paragraph", section=section, heading=heading)
        blocks.append(seg)
        stack = []
        base_lead = seg if line.rstrip().endswith(":") else None
        if len(line) < 100 and line.rstrip().endswith(":") and section_of(line):
            section = section_of(line)
    sentences: list[Segment] = []
    for blk in blocks:
        if blk.kind in ("furniture", "heading", "table_header"):
            continue
        if blk.kind == "table_row":
            sentences.append(Segment(blk.start, blk.end, "sentence", lead_in=blk.lead_in, section=blk.section,
                                     heading=blk.heading, cells=blk.cells, columns=blk.columns, parent=blk))
            continue
        for x, y in split_sentences(text, blk.start, blk.end):
            sentences.append(Segment(x, y, "sentence", lead_in=blk.lead_in, section=blk.section, heading=blk.heading,
                                     marker=blk.marker, depth=blk.depth, parent=blk))
    doc.segments = blocks + sentences
    return doc


def sentences(doc: Document) -> list[Segment]:
    return [s for s in doc.segments if s.kind == "sentence"]
