"""Ingest stage: read a file of any supported type into a :class:`Document`.

Every reader ends in the same place: one decoded string (``raw``), its normalised
form (``text``, which all offsets point into) and ``hints`` about the container
(HTML title and date, DOCX table count, the encoding a text file was in, and the
spans of portal furniture the segmenter must never take items from).

Heavy libraries (trafilatura, python-docx, pdfplumber, lxml) are imported inside the
readers that need them, so importing this module stays cheap.
"""
from __future__ import annotations

import codecs
import copy
import re
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

from .doc import Document
from .normalise import normalise

SUPPORTED = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


class IngestError(Exception):
    """A file that cannot be read; ``str()`` is the one-line message for the user."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # one line, whatever the library said
        super().__init__(f"{self.path}: {self.reason}")


# --------------------------------------------------------------------------------------
# Portal furniture: the lines around an article that are not its content
# --------------------------------------------------------------------------------------

_MAX_FURNITURE_LINE = 250  # furniture is short; a long line is somebody's paragraph

# Whole lines that are furniture whatever follows the keyword.
_FURNITURE_START = re.compile(
    r"""^[\s\W]*(?:
        (?:số\s+)?lượt\s+(?:xem|đọc|truy\s+cập)|đã\s+xem\s*:|lượt\s+truy\s+cập|
        đang\s+(?:online|truy\s+cập|trực\s+tuyến)|tổng\s+(?:số\s+)?(?:lượt\s+)?truy\s+cập|thống\s+kê\s+truy\s+cập|
        hôm\s+nay\s*:\s*\d|trong\s+(?:tuần|tháng)\s*:\s*\d|
        (?:các\s+|những\s+)?(?:tin|bài|bài\s+viết|tin\s+tức)\s+(?:khác|liên\s+quan|cùng\s+(?:chuyên\s+mục|loại|lĩnh\s+vực)|
            mới(?:\s+hơn)?|cũ\s+hơn|đã\s+đưa|xem\s+nhiều|đọc\s+nhiều|nổi\s+bật|mới\s+nhất)\s*:?\s*$|
        xem\s+thêm\s*:?\s*$|có\s+thể\s+bạn\s+quan\s+tâm|đọc\s+thêm\s*:?\s*$|liên\s+kết\s+website|
        anh\s+tin\s+bai|image\s+banner|ảnh\s*:|ảnh\s+minh\s+h[oọ]|
        địa\s+chỉ\s*:|điện\s+thoại\s*:|đt\s*:|fax\s*:|e-?mail\s*:|website\s*:|hotline\s*:|
        thiết\s+kế(?:\s+và\s+phát\s+triển)?\s+bởi|phát\s+triển\s+bởi|bản\s+quyền\s*(?:thuộc|©|:|\(c\))|copyright|©|
        chịu\s+trách\s+nhiệm\s+(?:nội\s+dung|chính|xuất\s+bản|quản\s+lý\s+nội\s+dung)\s*:|ghi\s+rõ\s+nguồn|
        cơ\s+quan\s+chủ\s+quản\s*:|cơ\s+quan\s+thường\s+trực\s*:|(?:trưởng\s+)?ban\s+biên\s+tập\s*:|
        giấy\s+phép\s+(?:số|thiết\s+lập|hoạt\s+động).*?(?:/GP|GP-|TTĐT|thông\s+tin\s+điện\s+tử|trang\s+tin)|
        (?:tác\s+giả(?:\s+bài\s+viết)?|nguồn\s+tin|nguồn|người\s+viết)\s*:|
        cập\s+nhật\s*(?:lúc|ngày)?\s*:|ngày\s+(?:đăng|cập\s+nhật|xuất\s+bản)\s*:|đăng\s+(?:ngày|lúc)\s*:|
        chia\s+sẻ\s*(?::|\||$)|in\s+(?:bài(?:\s+viết)?|trang)\s*$|gửi\s+(?:email|bài\s+viết|cho\s+bạn\s+bè)\s*(?:\||$)|
        về\s+đầu\s+trang|bình\s+luận\s*(?:\(\d+\))?\s*$|ý\s+kiến\s+bạn\s+đọc|từ\s+khóa\s*:|tags?\s*:|
        trang\s+chủ\s*(?:[|>»/›]|$)|sơ\s+đồ\s+(?:site|trang)|đăng\s+nhập\s*(?:[|]|$)
    )""",
    re.I | re.X,
)
# A footer field after a separator ("Cơ quan thường trực: … - Địa chỉ: …").
_FOOTER_FIELD = re.compile(r"(?:^|[|\-–•]\s*)(?:địa\s+chỉ|điện\s+thoại|e-?mail|fax|website)\s*:", re.I)
# Counters anywhere on a short line ("Cập nhật: 18/09/2024 07:15 | Lượt xem: 412").
_COUNTER = re.compile(r"(?:lượt\s+(?:xem|đọc)|đã\s+xem|số\s+lần\s+xem)\s*:?\s*\d", re.I)
_WEEKDAY = r"(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ\s+nhật)"
# A bare time stamp: "Thứ Hai, 08/01/2024 - 09:15", "03/06/2024 16:42".
_STAMP = re.compile(
    rf"^\s*(?:(?:ngày\s+)?{_WEEKDAY}\W*)?\d{{1,2}}/\d{{1,2}}/\d{{4}}"
    r"(?:[\s,|-]*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\W*(?:AM|PM|SA|CH|\(?GMT\s*\+\s*7\)?))?)?\s*$",
    re.I,
)
_PAGINATION = re.compile(r"^\W*(?:«|‹|trước|đầu)?\W*(?:\d{1,3}\s+){2,}\d{0,3}\s*(?:\.\.\.|…|»|›|>|sau|tiếp|cuối)?\W*$", re.I)
_CAPTION_END = re.compile(r"(?:\(|\.\s*|^)\s*(?:ảnh|nguồn\s+ảnh|photo)\s*:\s*[^.:]{1,60}\)?\s*$", re.I)
_IMAGE_LINE = re.compile(r"^\s*(?:anh\s+tin\s+bai|ảnh\s+tin\s+bài|image|hình\s+ảnh|!\[[^\]]*\]\([^)]*\))\s*$", re.I)
_RELATED_HEAD = re.compile(
    r"^\W*(?:(?:các|những)\s+)?(?:tin|bài|bài\s+viết|tin\s+tức)\s+(?:khác|liên\s+quan|cùng\s+(?:chuyên\s+mục|loại|lĩnh\s+vực)|"
    r"mới(?:\s+hơn)?|cũ\s+hơn|đã\s+đưa|xem\s+nhiều|đọc\s+nhiều|nổi\s+bật|mới\s+nhất)\W*$|^\W*(?:xem\s+thêm|đọc\s+thêm|có\s+thể\s+bạn\s+quan\s+tâm)\W*$",
    re.I,
)
# Lines that are never a caption: list items, numbered or Markdown headings.
_NOT_CAPTION = re.compile(r"^\s*(?:[-+•*●▪◦»›]\s|\d{1,2}[.)]\s|[a-zđ]\)\s|[IVX]{1,4}[.)]\s|#|\*\*)", re.I)
# Link texts of portal navigation, each the whole text of a menu entry.
_MENU_ENTRY = re.compile(
    r"trang\s+chủ|giới\s+thiệu(?:\s+chung)?|liên\s+hệ|tin\s+tức(?:\s*-\s*sự\s+kiện)?|đăng\s+nhập|đăng\s+ký|"
    r"sơ\s+đồ\s+(?:site|trang|cổng)|hỏi\s+đáp|dịch\s+vụ\s+công(?:\s+trực\s+tuyến)?|quản\s+trị|facebook|zalo|"
    r"twitter|youtube|gửi\s+email|in\s+trang|in\s+bài(?:\s+viết)?|về\s+đầu\s+trang|chia\s+sẻ|tìm\s+kiếm|english|"
    r"văn\s+bản|thủ\s+tục\s+hành\s+chính|góp\s+ý|lịch\s+công\s+tác|cỡ\s+chữ\W*(?:a\W*)*",
    re.I,
)
# Lines a portal puts its own name on ("CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN …"): short, no sentence.
_PORTAL_NAME = re.compile(r"^(?:cổng|trang)\s+(?:thông\s+tin\s+điện\s+tử|TTĐT)\b[^.;:]{0,100}$", re.I)


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) of every line of ``text``, end excluding the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _is_menu(line: str) -> bool:
    """A row of short links: "Trang chủ | Giới thiệu | Tin tức", "Trang chủ > Tin tức > Y tế".

    Table rows written as "a | b | c" are kept: a menu has short entries, two of them
    navigation words (or it starts at one, as breadcrumbs do), and no numbered cell.
    """
    parts = [p.strip() for p in re.split(r"\s[»>›/]\s|\|", line) if p.strip()]
    if len(parts) < 2:
        return False
    if any(len(p) > 40 or len(p.split()) > 6 or p.isdigit() for p in parts):
        return False
    entries = sum(1 for p in parts if _MENU_ENTRY.fullmatch(p))
    crumbs = "|" not in line and _MENU_ENTRY.fullmatch(parts[0]) is not None  # "Tin tức > Kinh tế"
    return entries >= 2 or crumbs or re.fullmatch(r"trang\s+chủ", parts[0], re.I) is not None


def _is_furniture_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _MAX_FURNITURE_LINE:
        return False
    return bool(
        _FURNITURE_START.match(s)
        or _FOOTER_FIELD.search(s)
        or _COUNTER.search(s)
        or _STAMP.match(s)
        or _PAGINATION.match(s)
        or _IMAGE_LINE.match(s)
        or _CAPTION_END.search(s)
        or _PORTAL_NAME.match(s)
        or _is_menu(s)
    )


def _looks_like_link(line: str) -> bool:
    """A line of a "Tin khác" list: a headline, not a sentence of the article."""
    s = line.strip()
    if len(s) > 220:
        return False
    if re.search(r"\(\d{1,2}/\d{1,2}(?:/\d{2,4})?\)\s*$", s):
        return True
    return not s.endswith((".", ":", ";", "!", "?", "…", '."', ".”"))


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the lines of ``text`` that are portal furniture, not the article.

    Line based, so the article's own offsets are untouched: counters ("Lượt xem: 1.205"),
    time stamps, menus and breadcrumbs, image markers and the caption under them,
    "Tin khác"/"Tin liên quan" headings and the headlines listed under them, footers
    (address, phone, e-mail, copyright, "Thiết kế bởi"), share and print links.
    """
    spans: list[tuple[int, int]] = []
    after_image = False  # the next non-blank line is the image's caption
    in_related = False  # inside a list of other articles' headlines
    for start, end, line in _lines(text):
        s = line.strip()
        if not s:
            continue
        hit = _is_furniture_line(s)
        if not hit and after_image and len(s) <= _MAX_FURNITURE_LINE and not _NOT_CAPTION.match(s) and not s.endswith(":"):
            hit = True  # a caption
        if not hit and in_related and _looks_like_link(s):
            hit = True
        after_image = bool(_IMAGE_LINE.match(s))
        if _RELATED_HEAD.match(s):
            in_related = True
        elif not hit:
            in_related = False
        if hit:
            spans.append((start, end))
    return spans


def strip_furniture(text: str) -> str:
    """``text`` without its furniture lines (for extracted web text, whose offsets are ours)."""
    drop = set(furniture_spans(text))
    kept = [line for start, end, line in _lines(text) if (start, end) not in drop]
    out = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", out).strip("\n")


# --------------------------------------------------------------------------------------
# Bytes to text
# --------------------------------------------------------------------------------------

_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"\x1f\x8b")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when NULs fall on every other byte, as in ASCII-heavy UTF-16."""
    if len(data) < 4 or len(data) % 2:
        return None
    half = len(data) // 2
    odd, even = data[1::2].count(0) / half, data[0::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


# What decoded text looks like: ASCII, Latin letters, Vietnamese, general punctuation.
_TEXT_CHAR = re.compile(r"[\t\n\r\x20-\x7e\u00a0-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f\u20ab\u2100-\u215f]")


def _plausible_text(text: str) -> bool:
    """Whether a decoding gave text (a wrong UTF-16 guess gives Hangul, Syriac, controls …)."""
    return bool(text) and len(_TEXT_CHAR.findall(text)) >= 0.9 * len(text)


def decode_bytes(data: bytes, path: Any = "-") -> tuple[str, str]:
    """(text, encoding name) of a text file's bytes.

    UTF-8 (BOM or not) and UTF-16 (BOM, or BOM-less told by its NUL pattern) first;
    otherwise the legacy single-byte encodings (Windows-1258, TCVN3, VNI) are tried
    and scored by how many words come out as Vietnamese syllables.
    """
    from .encodings_vn import best_decoding

    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        try:
            return data.decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM on something else: fall through to the checks below
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            raise IngestError(path, f"undecodable text (broken UTF-16: {e.reason})") from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            text = data.decode(utf16)
            if _plausible_text(text):
                return text, utf16
        except UnicodeDecodeError:
            pass
    if data.startswith(_BINARY_MAGIC) or b"\x00" in data or len(_CONTROL_BYTES.findall(data)) > max(2, len(data) // 200):
        raise IngestError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken bytes (a truncated or patched file): keep UTF-8.
    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = sum(1 for c in loose if ord(c) > 0x7F) - bad
    if good >= 20 * bad:
        return loose, "utf-8 (damaged)"
    encoding, text, share = best_decoding(data)
    if share >= 0.6:
        return text, encoding
    high = sum(1 for b in data if b >= 0x80)
    if high <= len(data) // 100:  # ASCII text with a stray smart quote or two
        return data.decode("cp1258", errors="replace"), "windows-1258"
    raise IngestError(path, "undecodable text (not UTF-8, UTF-16, Windows-1258, TCVN3 or VNI)")


# --------------------------------------------------------------------------------------
# Readers: path + bytes -> (raw text, fmt, hints)
# --------------------------------------------------------------------------------------

def _read_plain(path: Path, data: bytes) -> tuple[str, dict]:
    text, encoding = decode_bytes(data, path)
    return text, {"encoding": encoding}


# Class/id words of page parts that are never the article.
_FURNITURE_ATTR = {
    "menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "footer", "sidebar", "side", "related",
    "relate", "other", "tinkhac", "tinlienquan", "lienquan", "share", "social", "sharing", "tools", "widget",
    "banner", "topbar", "logo", "search", "copyright", "comment", "comments", "caption", "counter", "thongke",
    "statistic", "stats", "advert", "ads", "quangcao", "meta", "views", "author", "tags", "pagination",
    "paging", "slogan", "brand",
}
# A header is furniture only when it holds no paragraph (some themes put the lead in it).
_HEADER_ATTR = {"header", "topheader", "masthead"}
# Class/id words of the lead paragraph ("sapo" in Vietnamese newsrooms), which
# trafilatura often leaves out because it sits beside the body container.
_LEAD_ATTR = {"sapo", "lead", "summary", "hometext", "description", "intro", "tomtat", "chapeau", "excerpt", "abstract", "teaser"}
_DROP_TAGS = "nav footer aside form select button iframe figcaption".split()


def _attr_words(el) -> set[str]:
    value = f"{el.get('class', '')} {el.get('id', '')}".lower()
    return set(re.split(r"[\s\-_]+", value)) - {""}


def _drop(el) -> None:
    """Remove ``el`` and its children, keeping the text that follows it."""
    if el.getparent() is not None:
        el.drop_tree()


def _caption_like(el) -> bool:
    """A short block right under an image: italic, centred or a caption class."""
    text = " ".join(el.text_content().split())
    if not text or len(text) > _MAX_FURNITURE_LINE:
        return False
    styled = " ".join(e.text_content() for e in el.iter("em", "i", "small"))
    return (
        "center" in (el.get("style") or "").lower()
        or "caption" in (el.get("class") or "").lower()
        or len(" ".join(styled.split())) >= 0.8 * len(text)
    )


def _holds_article(el, total: int) -> bool:
    """Whether ``el`` carries the article: most of the page's text, or a real paragraph.

    Menus, footers, counters and headline lists are short lines; a paragraph of more
    than 200 characters is somebody's prose, whatever class the theme gave its box.
    """
    if len(el.text_content()) >= 0.5 * total:
        return True
    for part in el.iter("p", "div", "li", "td", "section", "article", "blockquote"):
        own = part.text_content() if part.tag == "p" else (part.text or "") + "".join(c.tail or "" for c in part)
        if len(" ".join(own.split())) > 200:
            return True
    return False


def _clean_html_tree(root) -> None:
    """Drop the page parts that are never the article, before trafilatura looks at it.

    Navigation, sidebars, footers, share bars and counters by tag or class/id words;
    images with their captions. An element that carries the article (see
    :func:`_holds_article`) is never dropped, whatever its tag or class says.
    """
    body = root.find("body")
    total = len((body if body is not None else root).text_content())
    for el in list(root.iter("script", "style", "noscript", "template")):
        _drop(el)
    for el in list(root.iter(*_DROP_TAGS)):
        if el.getparent() is not None and not _holds_article(el, total):
            _drop(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in ("html", "head", "body") or el.getparent() is None:
            continue
        words = _attr_words(el)
        header = el.tag == "header" or words & _HEADER_ATTR
        if not (words & _FURNITURE_ATTR or header and not any(True for _ in el.iter("p"))):
            continue
        if not _holds_article(el, total):
            _drop(el)
    for img in list(root.iter("img")):
        block = img
        while block.getparent() is not None and block.tag not in ("p", "div", "figure", "table", "center", "body"):
            block = block.getparent()
        if block.tag == "body" or block.getparent() is None:
            continue
        text = " ".join(block.text_content().split())
        if block.tag == "table" and len(text) <= _MAX_FURNITURE_LINE or not text:
            nxt = block.getnext()
            if nxt is not None and nxt.tag in ("p", "div") and _caption_like(nxt):
                _drop(nxt)
            _drop(block)


def _lead_paragraphs(root) -> list[str]:
    """Texts of the page's lead ("sapo") blocks, in page order."""
    leads: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "meta"):
            continue
        if _attr_words(el) & _LEAD_ATTR:
            text = " ".join(el.text_content().split())
            if 20 <= len(text) <= 1500 and not any(text in other or other in text for other in leads):
                leads.append(text)
    return leads


def _with_leads(text: str, leads: list[str], title: str | None) -> str:
    """Put the lead paragraphs trafilatura left out at the head of the text (after the title line)."""
    flat = " ".join(text.split())
    missing = [lead for lead in leads if lead not in flat]
    if not missing:
        return text
    lines = text.split("\n")
    at = 1 if title and lines and " ".join(lines[0].split()) == title else 0
    return "\n".join(lines[:at] + missing + lines[at:])


def _html_text_dump(root) -> str:
    """Plain text of the page body, one block per line: the fallback when trafilatura finds nothing."""
    blocks = "p div li tr h1 h2 h3 h4 h5 h6 br table ul ol section article blockquote pre".split()
    for el in root.iter(*blocks):
        el.tail = "\n" + (el.tail or "")
    for cell in root.iter("td", "th"):
        cell.tail = " | " + (cell.tail or "")
    body = root.find("body")
    text = (body if body is not None else root).text_content()
    lines = [" ".join(line.split()).strip(" |") for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _tidy_tables(text: str) -> str:
    """trafilatura's Markdown table rows ("| a | b |", "|---|") as our rows: "a | b"."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|"):
            cells = [c.strip() for c in s.strip("|").split("|")]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells if c):
                continue
            line = " | ".join(c for c in cells if c)
        out.append(line)
    return "\n".join(out)


def _html_charset(data: bytes) -> str | None:
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", data[:4096], re.I)
    return m.group(1).decode("ascii").lower() if m else None


def _decode_html(path: Path, data: bytes) -> str:
    """UTF-8, else the declared charset, except that a Western one (what old pages in
    TCVN3/VNI fonts declare) is checked against the Vietnamese legacy encodings first."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    charset = _html_charset(data)
    western = charset in (None, "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii", "ascii")
    if western:
        try:
            return decode_bytes(data, path)[0]
        except IngestError:
            pass
    try:
        return data.decode(charset or "cp1252")
    except (LookupError, UnicodeDecodeError):
        return decode_bytes(data, path)[0]


def _read_html(path: Path, data: bytes) -> tuple[str, dict]:
    import trafilatura
    from lxml import etree
    from lxml import html as lhtml
    from trafilatura.metadata import extract_metadata

    # XHTML pages open with <?xml … encoding=…?>, which lxml refuses on decoded text
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", _decode_html(path, data))
    try:
        root = lhtml.document_fromstring(html)
    except (etree.ParserError, ValueError) as e:
        raise IngestError(path, f"not a valid HTML page ({e})") from None
    hints: dict[str, Any] = {}
    meta = extract_metadata(copy.deepcopy(root))
    if meta is not None:
        if meta.title:
            hints["title"] = normalise(" ".join(meta.title.split()))
        if meta.date:
            hints["date"] = meta.date
    _clean_html_tree(root)
    cleaned = lhtml.tostring(root, encoding="unicode")
    text = trafilatura.extract(
        cleaned, output_format="txt", include_tables=True, include_images=False, include_comments=False,
        include_links=False, favor_recall=True, deduplicate=False,
    ) or ""
    if not text.strip():
        text = _html_text_dump(lhtml.document_fromstring(cleaned))
    text = _with_leads(text, _lead_paragraphs(root), hints.get("title"))
    text = strip_furniture(normalise(_tidy_tables(text)))
    if not text.strip():
        raise IngestError(path, "no text found in the page")
    return text, hints


def _docx_blocks(body) -> Iterator[Any]:
    """The body's paragraphs and tables in reading order (content controls opened up)."""
    from docx.oxml.ns import qn

    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _docx_blocks(content)


def _row_line(row) -> str:
    """One table row as "cell | cell", each merged cell once."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join(cell.text.split()))
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells) if any(cells) else ""


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


_NUM_FORMATS = {
    "decimal": str, "decimalZero": lambda n: f"{n:02d}", "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(), "lowerRoman": _roman, "upperRoman": lambda n: _roman(n).upper(),
}


def _bullet(char: str) -> str:
    """A bullet as a list marker the segmenter knows; Symbol-font bullets sit in the private use area."""
    if char and 0xF020 <= ord(char[0]) <= 0xF0FF:
        char = chr(ord(char[0]) - 0xF000)
    return char if char in ("-", "+", "–", "•", "*") else "•"


class _Numbering:
    """The numbers Word draws before list paragraphs ("1.", "a)", "-"), which are not in the text.

    Government plans number their tasks with Word's lists; without the numbers the
    segmenter sees no list. Counters run per list, deeper levels restart when a
    shallower one moves on.
    """

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.document = document
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> (fmt, text, start)
        self.nums: dict[str, tuple[str, bool]] = {}  # numId -> (abstractNumId, restarts)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                fmt, text, start = self._val(lvl, "w:numFmt") or "decimal", self._val(lvl, "w:lvlText") or "", self._val(lvl, "w:start")
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = (fmt, text, int(start) if start and start.isdigit() else 1)
            self.levels[abstract.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            abstract = self._val(num, "w:abstractNumId")
            restarts = num.find(".//" + qn("w:startOverride")) is not None
            self.nums[num.get(qn("w:numId"))] = (abstract, restarts)

    def _val(self, el, tag: str) -> str | None:
        child = el.find(self.qn(tag))
        return None if child is None else child.get(self.qn("w:val"))

    def _num_pr(self, p) -> tuple[str | None, int]:
        """(numId, level) of a paragraph: its own numbering, else its style's."""
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None and ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            style_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
            try:
                style = self.document.styles.element.get_by_id(style_id)
            except Exception:
                style = None
            seen = set()
            while style is not None and num_pr is None and style_id not in seen:
                seen.add(style_id)
                num_pr = style.find(".//" + qn("w:numPr"))
                based = style.find(qn("w:basedOn"))
                style_id = based.get(qn("w:val")) if based is not None else None
                style = self.document.styles.element.get_by_id(style_id) if style_id else None
        if num_pr is None:
            return None, 0
        num_id, ilvl = self._val(num_pr, "w:numId"), self._val(num_pr, "w:ilvl")
        return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0

    def marker(self, p) -> str:
        """The number or bullet Word shows before paragraph ``p`` ("" for none)."""
        num_id, level = self._num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, restarts = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return ""
        key = num_id if restarts else abstract
        counts = self.counters.setdefault(key, {})
        counts[level] = counts.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        fmt, text, _ = levels[level]
        if fmt == "bullet":
            return _bullet(text)
        if fmt == "none":
            return ""

        def number(m: re.Match) -> str:
            at = int(m.group(1)) - 1
            lvl_fmt, _, start = levels.get(at, ("decimal", "", 1))
            value = counts.get(at, start)
            return _NUM_FORMATS.get(lvl_fmt, str)(value)

        return re.sub(r"%(\d)", number, text).strip()


def _read_docx(path: Path, data: bytes) -> tuple[str, dict]:
    import zipfile

    from docx import Document as open_docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(path, "not a valid .docx (an old Word .doc file: save it as .docx)")
    if not zipfile.is_zipfile(path):
        raise IngestError(path, "not a valid .docx (corrupt zip)")
    try:
        docx = open_docx(str(path))
    except zipfile.BadZipFile:
        raise IngestError(path, "not a valid .docx (corrupt zip)") from None
    except KeyError as e:
        raise IngestError(path, f"not a valid .docx (missing part {e})") from None
    except Exception as e:  # lxml XMLSyntaxError, PackageNotFoundError, ValueError …
        raise IngestError(path, f"not a valid .docx ({type(e).__name__}: {e})") from None
    lines, tables = [], 0
    numbering = _Numbering(docx)
    for el in _docx_blocks(docx.element.body):
        if el.tag == qn("w:p"):
            text = Paragraph(el, docx).text
            marker = numbering.marker(el) if text.strip() else ""
            lines.append(f"{marker} {text}" if marker else text)
        else:
            tables += 1
            for row in Table(el, docx).rows:
                line = _row_line(row)
                if line:
                    lines.append(line)
    text = "\n".join(lines)
    if not text.strip():
        raise IngestError(path, "no text in the document")
    return text, {"tables": tables}


def _read_pdf(path: Path, data: bytes) -> tuple[str, dict]:
    import pdfplumber

    if b"%PDF-" not in data[:1024]:
        raise IngestError(path, "not a valid .pdf (no PDF header)")
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as e:  # pdfminer's PDFSyntaxError, PdfminerException, encrypted files …
        reason = str(e) or type(e).__name__
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise IngestError(path, "encrypted .pdf (password protected)") from None
        raise IngestError(path, f"not a valid .pdf ({reason})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise IngestError(path, "no text layer (scanned?)")
    if len(re.findall(r"\(cid:\d+\)", text)) * 8 > len(text):
        raise IngestError(path, "no usable text layer (fonts without a Unicode map)")
    return text, {"pages": len(pages)}


_READERS = {
    ".txt": ("txt", _read_plain),
    ".md": ("md", _read_plain),
    ".html": ("html", _read_html),
    ".htm": ("html", _read_html),
    ".docx": ("docx", _read_docx),
    ".pdf": ("pdf", _read_pdf),
}


# --------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------

def _document(source: str, raw: str, fmt: str, hints: dict, path: str | None = None) -> Document:
    text = normalise(raw)
    hints = dict(hints)
    hints["furniture"] = [[a, b] for a, b in furniture_spans(text)]
    return Document(source=source, raw=raw, text=text, path=path, fmt=fmt, hints=hints)


def read_text(text: str, source: str = "-") -> Document:
    """A document from a string already in memory (tests, the API, stdin)."""
    return _document(source, text, "txt", {})


def read_stdin() -> Document:
    """A document from standard input, decoded like a text file (source "-")."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    if not data.strip():
        raise IngestError("-", "empty input")
    text, encoding = decode_bytes(data, "-")
    if not text.strip():
        raise IngestError("-", "empty input")
    return _document("-", text, "txt", {"encoding": encoding})


def read_document(path) -> Document:
    """Read one file into a Document, or raise :class:`IngestError` saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise IngestError(path, "file not found")
    if path.is_dir():
        raise IngestError(path, "is a folder, not a file")
    if suffix not in SUPPORTED:
        raise IngestError(path, f"unknown file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(path, f"cannot read ({e.strerror or e})") from None
    if not data.strip():
        raise IngestError(path, "empty file")
    fmt, reader = _READERS[suffix]
    raw, hints = reader(path, data)
    if not raw.strip():
        raise IngestError(path, "empty file")
    return _document(path.name, raw, fmt, hints, str(path))


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the files inside folders named (sorted).

    Inside a folder, hidden files, ``gold/`` folders, ``*.json`` and the corpus'
    README/SOURCES notes are skipped: they are annotations, not reports.
    """
    for p in map(Path, paths):
        if not p.is_dir():
            yield p
            continue
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p).parts
            if not f.is_file() or any(part.startswith(".") or part == "gold" for part in rel):
                continue
            if f.suffix.lower() == ".json" or f.name in {"README.md", "SOURCES.md"}:
                continue
            yield f
