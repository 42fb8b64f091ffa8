"""spaCy ``Doc`` s over underthesea words, with a SpanRuler for refs, deadlines and units.

underthesea segments Vietnamese into words ("Kế hoạch", "số", "11", "/", "KH-UBND");
those words become a spaCy ``Doc`` whose tokens keep their character offsets, and a
``span_ruler`` marks document references (REF), deadline phrases (DEADLINE) and unit
names (UNIT) with token patterns. The classifier reads the words and span labels; the
slot stage takes a task's refs from the REF spans.
"""
from __future__ import annotations

from functools import lru_cache

DOC_TYPES = ["nghị quyết", "nghị định", "quyết định", "chỉ thị", "thông tư", "thông báo", "kế hoạch", "công văn",
             "văn bản", "hướng dẫn", "chương trình", "đề án", "phương án", "báo cáo", "công điện", "tờ trình",
             "quy chế", "quy định", "kết luận", "thông tri", "nghị quyết liên tịch"]
NUMBER = r"^\d+[a-zA-Z]?(?:/\d{4})?$"
ISSUER_CODE = r"^[A-ZĐ][A-Za-zĐđ&.\-]*$"
FULL_DATE = r"^\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4}$"
UNIT_HEADS = ["Sở", "Phòng", "Ban", "Bộ", "Cục", "Chi cục", "Tổng cục", "Trung tâm", "Văn phòng", "Thanh tra",
              "Công an", "UBND", "HĐND", "Ủy ban", "Uỷ ban", "Kho bạc", "Chi nhánh", "Đài", "Báo", "Hội", "Đoàn",
              "Ngân hàng", "Trường", "Trạm", "Bệnh viện", "Hạt", "Đội", "Tổ", "BQLDA", "BHXH", "MTTQ",
              "Chủ tịch", "Giám đốc", "Thủ trưởng", "Thủ tướng", "Bộ trưởng", "Tổng công ty", "Tập đoàn", "Viện"]


CAPITALISED = {"TEXT": {"REGEX": r"^[A-ZĐÀ-Ỹ]"}}


def _ref_patterns() -> list[dict]:
    head = {"LOWER": {"IN": DOC_TYPES}}
    so = {"LOWER": "số", "OP": "?"}
    num = [{"TEXT": {"REGEX": NUMBER}}, {"TEXT": "/"}, {"TEXT": {"REGEX": ISSUER_CODE}}]
    dates = [
        [],
        [{"LOWER": "ngày"}, {"TEXT": {"REGEX": FULL_DATE}}],
        [{"LOWER": "ngày"}, {"IS_DIGIT": True}, {"LOWER": "tháng"}, {"IS_DIGIT": True}, {"LOWER": "năm"}, {"IS_DIGIT": True}],
    ]
    pats = [{"label": "REF", "pattern": [head, so, *num, *d]} for d in dates]
    # "Luật Đất đai năm 2024"
    pats.append({"label": "REF", "pattern": [{"TEXT": "Luật"}, CAPITALISED, {"TEXT": {"REGEX": r"^[\wÀ-ỹ]+$"}, "OP": "{0,4}"}, {"LOWER": "năm"},
                                             {"TEXT": {"REGEX": r"^\d{4}$"}}]})
    return pats


def _deadline_patterns() -> list[dict]:
    date = {"TEXT": {"REGEX": r"^\d{1,2}[/\-.]\d{1,2}(?:[/\-.]\d{4})?$"}}
    long_date = [{"IS_DIGIT": True}, {"LOWER": "tháng"}, {"IS_DIGIT": True}, {"LOWER": "năm", "OP": "?"}, {"IS_DIGIT": True, "OP": "?"}]
    pats = []
    for lead in ([{"LOWER": "trước"}], [{"LOWER": "chậm"}, {"LOWER": "nhất"}], [{"LOWER": "đến"}, {"LOWER": "hết"}]):
        pats.append([*lead, {"LOWER": {"IN": ["ngày", "là", "vào"]}, "OP": "*"}, date])
        pats.append([*lead, {"LOWER": {"IN": ["ngày", "là", "vào"]}, "OP": "*"}, *long_date])
    pats.append([{"LOWER": "trong"}, {"LOWER": {"IN": ["vòng", "thời hạn"]}, "OP": "?"}, {"IS_DIGIT": True},
                 {"LOWER": "ngày"}, {"LOWER": "làm việc", "OP": "?"}])
    pats.append([{"LOWER": {"IN": ["trong", "hoàn thành", "trước"]}}, {"LOWER": {"REGEX": r"^quý\s+(?:i{1,3}|iv|[1-4])$"}},
                 {"TEXT": "/", "OP": "?"}, {"TEXT": {"REGEX": r"^\d{4}$"}, "OP": "?"}])
    pats.append([{"LOWER": {"IN": ["trong", "hoàn thành"]}}, {"LOWER": "tháng"}, {"TEXT": {"REGEX": r"^\d{1,2}/\d{4}$"}}])
    pats.append([{"LOWER": {"IN": ["thường xuyên", "hằng tháng", "hằng tuần", "hằng quý", "hằng năm", "định kỳ"]}}])
    return [{"label": "DEADLINE", "pattern": p} for p in pats]


def _unit_patterns() -> list[dict]:
    return [{"label": "UNIT", "pattern": [{"TEXT": {"IN": UNIT_HEADS}},
                                          {**CAPITALISED, "OP": "*"},
                                          {"LOWER": {"IN": ["và", "-"]}, "OP": "?"},
                                          {**CAPITALISED, "OP": "*"}]},
            {"label": "UNIT", "pattern": [{"LOWER": {"IN": ["các", "từng"]}},
                                          {"LOWER": {"IN": ["cơ quan", "đơn vị", "sở", "ban", "ngành", "địa phương",
                                                            "xã", "phường", "bộ", "huyện", "tỉnh"]}},
                                          {"TEXT": ",", "OP": "?"},
                                          {"LOWER": {"IN": ["đơn vị", "ngành", "địa phương", "ban", "phường", "thị trấn"]}, "OP": "*"}]}]


@lru_cache(maxsize=1)
def span_pipeline():
    """A blank multilingual spaCy pipeline with one ``span_ruler`` (built once per process)."""
    import spacy

    nlp = spacy.blank("xx")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": "ruler", "overwrite": True,
                                               "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"}})
    ruler.add_patterns(_ref_patterns() + _deadline_patterns() + _unit_patterns())
    return nlp


@lru_cache(maxsize=1)
def _word_tokenize():
    from underthesea import word_tokenize

    return word_tokenize


def words_and_spaces(text: str, words: list[str]) -> tuple[list[str], list[bool]]:
    """Align underthesea words to ``text`` so the spaCy Doc keeps exact character offsets."""
    out, spaces, pos = [], [], 0
    for w in words:
        k = text.find(w, pos)
        if k == -1:  # underthesea normalised something: fall back to the raw stretch
            continue
        if k > pos and out and not spaces[-1]:
            gap = text[pos:k]
            if gap.strip():
                out.append(gap.strip())
                spaces.append(True)
        out.append(w)
        pos = k + len(w)
        spaces.append(pos < len(text) and text[pos] == " ")
        while pos < len(text) and text[pos] == " ":
            pos += 1
    return out, spaces


def sentence_doc(text: str):
    """A spaCy Doc of one sentence: underthesea words as tokens, ruler spans in ``doc.spans["ruler"]``."""
    from spacy.tokens import Doc

    nlp = span_pipeline()
    flat = " ".join(text.split())  # offsets of the Doc are into the whitespace-folded sentence
    words, spaces = words_and_spaces(flat, _word_tokenize()(flat))
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def spans_in(text: str, base: int, sdoc, label: str) -> list[tuple[int, int]]:
    """Character spans (absolute offsets) of the ruler's ``label`` spans, mapped from the
    folded sentence back into ``text`` (which starts at ``base``)."""
    import re

    out = []
    for sp in sdoc.spans.get("ruler", []):
        if sp.label_ != label:
            continue
        pattern = r"\s*".join(re.escape(tok.text) for tok in sp)
        m = re.search(pattern, text)
        if m:
            out.append((base + m.start(), base + m.end()))
    return out
