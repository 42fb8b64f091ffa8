"""Classify stage: label each sentence task / shortcoming / target / other.

Two parts live side by side, as rules and statistics do in spaCy:
- :func:`cue_features` reads the genre's cues (assignment verbs, action verbs at the
  start, "đã" of achievements, shortcoming and target words, the section heading in
  force, the lead-in of a list item);
- :class:`SegmentClassifier` is a scikit-learn ``Pipeline`` (cue features + TF-IDF of
  underthesea words and syllable n-grams → one logistic regression per kind), trained
  by ``taskreg train`` from annotated documents. Without a trained model the rule
  score alone decides.
"""
from __future__ import annotations

import re
from typing import Iterable

from .doc import Document, Segment
from .lexicon import (
    ACTION,
    AMOUNT,
    ASSIGN_CUE,
    FUTURE_SELF,
    PAST,
    PROBLEM_CUE,
    REPORTED_DIRECTIVE,
    SHORTCOMING_CUE,
    STRONG_ACTION,
    STRONG_ASSIGN,
    TARGET_CUE,
    reports_directive,
)
from .slots import unit_starts_at

KINDS = ("task", "shortcoming", "target")

_DIRECTIVE_LEAD = re.compile(
    r"đề\s+nghị|yêu\s+cầu|giao|chỉ\s+đạo|kết\s+luận|chỉ\s+thị|nhiệm\s+vụ|giải\s+pháp|như\s+sau|cụ\s+thể|phân\s+công|"
    r"trách\s+nhiệm|tập\s+trung|thực\s+hiện\s+(?:tốt\s+)?(?:các|một\s+số)\s+(?:nội\s+dung|nhiệm\s+vụ)|lưu\s+ý|chủ\s+trì|phối\s+hợp",
    re.I,
)
_SC_LEAD = re.compile(r"hạn\s+chế|tồn\s+tại|khó\s+khăn|vướng\s+mắc|bất\s+cập|yếu\s+kém|chưa|còn\s+(?:chậm|thấp|nhiều)|nguyên\s+nhân|do\s*:", re.I)
_PROPOSAL = re.compile(r"kiến\s+nghị|đề\s+xuất\s+(?:với\s+)?(?:UBND|Ủy\s+ban|Bộ|Chính\s+phủ|Thủ\s+tướng|cấp\s+trên|tỉnh)|đề\s+nghị\s+(?:UBND|Ủy\s+ban\s+nhân\s+dân)\s+(?:tỉnh|thành\s+phố)\s+(?:xem\s+xét|quan\s+tâm|hỗ\s+trợ|bố\s+trí|cho\s+phép)", re.I)
_NEED = re.compile(r"(?<![\wÀ-ỹ])(?:cần|phải|cần\s+phải|nghiêm\s+cấm|không\s+được|tuyệt\s+đối\s+không)(?![\wÀ-ỹ])", re.I)
_ACHIEVED = re.compile(r"(?<![\wÀ-ỹ])(?:đã|được|đạt\s+được|hoàn\s+thành\s+\d|kết\s+quả|cơ\s+bản\s+hoàn\s+thành|tiếp\s+tục\s+được)(?![\wÀ-ỹ])", re.I)


def lead_chain_text(doc: Document, seg: Segment, limit: int = 2) -> str:
    parts = []
    lead = seg.lead_in
    while lead is not None and limit:
        parts.append(doc.text[lead.start:lead.end])
        lead = lead.lead_in
        limit -= 1
    return " ".join(parts)


def _prev_directive(doc: Document, seg: Segment) -> bool:
    """The sentence before, in the same block, reports a directive ("… yêu cầu: …")."""
    if seg.parent is None or seg.start == seg.parent.start:
        return False
    before = doc.text[seg.parent.start:seg.start]
    last = re.split(r"(?<=[.!?])\s+", before.strip())[-1]
    return bool(REPORTED_DIRECTIVE.search(last) or re.search(r"(?:yêu\s+cầu|đề\s+nghị|giao|chỉ\s+đạo)[^.]{0,80}:\s*$", last))


def genre(doc: Document) -> str:
    """Formal document, portal page or news article: the same words weigh differently in each."""
    g = doc.hints.get("_genre")
    if g is None:
        head = doc.text[:1500]
        if re.search(r"CỘNG\s+HÒA\s+XÃ\s+HỘI|Số\s*:\s*\d+[^\n]{0,20}/|^\s*(?:THÔNG\s+BÁO|KẾ\s+HOẠCH|CHỈ\s+THỊ|BÁO\s+CÁO|NGHỊ\s+QUYẾT|CÔNG\s+VĂN)\s*$", head, re.M):
            g = "formal"
        elif doc.hints.get("furniture") or doc.fmt == "html" or re.search(r"(?i)lượt\s+xem|cổng\s+thông\s+tin", doc.text):
            g = "portal"
        else:
            g = "news"
        doc.hints["_genre"] = g
    return g


def add_context(doc: Document, sents: list[Segment], window: int = 3) -> None:
    """Mark each sentence with what the sentences just before it say.

    News lists a directive's parts after the sentence that reports it ("Tổng cục Hải quan
    yêu cầu các cục hải quan: … . Hướng dẫn DN … . Các cục hải quan báo cáo …"), and a
    report's weaknesses after "Tuy nhiên, … còn một số hạn chế".
    """
    recent: list[tuple[bool, bool]] = []
    for s in sents:
        s.context = {
            "ctx_directive": float(any(d for d, _ in recent)),
            "ctx_shortcoming": float(any(c for _, c in recent)),
        }
        text = doc.text[s.start:s.end]
        lead_colon = text.rstrip().endswith(":") and not re.search(r"(?:\bdo|như|gồm|là)\s*:\s*$", text)
        directive = reports_directive(text) or (
            lead_colon and bool(re.search(r"(?<!với\s)(?:yêu\s+cầu|đề\s+nghị|giao|chỉ\s+đạo|kết\s+luận|chỉ\s+thị)", text)))
        weakness = bool(SHORTCOMING_CUE.search(text)) and bool(
            re.match(r"(?:Tuy\s+nhiên|Bên\s+cạnh\s+đó|Song|Nhưng|Mặt\s+khác|Hạn\s+chế|Tồn\s+tại|Khó\s+khăn)", text)
            or re.search(r"hạn\s+chế|tồn\s+tại|khó\s+khăn|vướng\s+mắc|bất\s+cập|yếu\s+kém", text, re.I))
        recent = (recent + [(directive, weakness)])[-window:]


def cue_features(doc: Document, seg: Segment) -> dict[str, float]:
    """Features of the genre for one sentence (binary cues and context)."""
    text = doc.text[seg.start:seg.end]
    head = text[:60]
    lead = lead_chain_text(doc, seg)
    f: dict[str, float] = dict(seg.context)
    f["genre=" + genre(doc)] = 1
    f["kind=" + (seg.parent.kind if seg.parent else seg.kind)] = 1
    f["section=" + (seg.section or "none")] = 1
    f["has_lead"] = float(seg.lead_in is not None)
    f["lead_directive"] = float(bool(_DIRECTIVE_LEAD.search(lead)))
    f["lead_shortcoming"] = float(bool(_SC_LEAD.search(lead)))
    f["lead_target"] = float(bool(re.search(r"mục\s+tiêu|chỉ\s+tiêu", lead, re.I)))
    f["lead_proposal"] = float(bool(_PROPOSAL.search(lead)))
    f["reported_directive"] = float(reports_directive(text))
    f["prev_directive"] = float(_prev_directive(doc, seg))
    f["assign_cue"] = float(bool(STRONG_ASSIGN.search(text)))
    f["assign_any"] = float(bool(ASSIGN_CUE.search(text)))
    f["assign_then_unit"] = float(any(unit_starts_at(text, m.end() + 1) for m in STRONG_ASSIGN.finditer(text)))
    f["starts_unit"] = float(unit_starts_at(text, 0))
    f["starts_giao"] = float(bool(re.match(r"(?:Giao|Đề nghị|Yêu cầu|Chỉ đạo)\s", text)))
    first = ACTION.match(text)
    f["starts_action"] = float(first is not None or bool(re.match(r"[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s", text) and ACTION.match(text[0].lower() + text[1:])))
    f["strong_action"] = float(bool(STRONG_ACTION.search(text)))
    f["chu_tri"] = float(bool(re.search(r"chủ\s+trì", text, re.I)))
    f["phoi_hop"] = float(bool(re.search(r"phối\s+hợp", text, re.I)))
    f["need"] = float(bool(_NEED.search(text)))
    f["past"] = float(bool(PAST.search(head)))
    f["achieved"] = float(bool(_ACHIEVED.search(text)))
    f["future_self"] = float(bool(FUTURE_SELF.search(text)))
    f["proposal"] = float(bool(_PROPOSAL.search(text)))
    f["deadline"] = float(bool(re.search(r"trước\s+ngày|chậm\s+nhất|trong\s+quý|trong\s+tháng|trong\s+năm|hoàn\s+thành\s+trong", text, re.I)))
    f["sc_cue"] = float(bool(SHORTCOMING_CUE.search(text)))
    f["sc_count"] = min(len(SHORTCOMING_CUE.findall(text)), 4) / 4
    f["problem"] = float(bool(PROBLEM_CUE.search(text)))
    f["problem_count"] = min(len(PROBLEM_CUE.findall(text)), 4) / 4
    f["tuy_nhien"] = float(bool(re.match(r"(?:Tuy\s+nhiên|Bên\s+cạnh\s+đó|Song|Nhưng|Mặt\s+khác|Hạn\s+chế|Tồn\s+tại)", text, re.I)))
    f["target_cue"] = float(bool(TARGET_CUE.search(text)))
    f["percent"] = float("%" in text)
    f["quantity"] = float(bool(AMOUNT.search(text)))
    f["index_name"] = float(bool(re.search(r"PAPI|SIPAS|PAR\s+Index|PCI|DDCI|DTI|[Cc]hỉ\s+số", text, re.I)))
    f["phan_dau"] = float(bool(re.search(r"phấn\s+đấu|chỉ\s+tiêu|mục\s+tiêu", text, re.I)))
    f["table_row"] = float(bool(seg.cells))
    f["table_tasks"] = float(bool(seg.cells) and any(re.search(r"chủ\s+trì|thời\s+(?:gian|hạn)", c, re.I) for c in seg.columns))
    f["marker=" + ("num" if seg.marker and seg.marker[0].isdigit() else "alpha" if seg.marker and seg.marker[0].isalpha() else "bullet" if seg.marker else "none")] = 1
    f["ends_colon"] = float(text.rstrip().endswith(":"))
    f["short"] = float(len(text) < 40)
    f["long"] = float(len(text) > 300)
    f["quote"] = float(bool(re.search(r"[\"“”]", text)))
    return f


def rule_scores(f: dict[str, float]) -> dict[str, float]:
    """A hand-set score per kind from cue features: the fallback and a prior."""
    directive_ctx = f["lead_directive"] or f["section=tasks"] if "section=tasks" in f else f["lead_directive"]
    task = 0.0
    if f["table_tasks"]:
        task = 0.9
    elif f.get("kind=list_item") and directive_ctx and not f["past"]:
        task = 0.85
    elif f["reported_directive"]:
        task = 0.8
    elif f["assign_cue"] and (f["assign_then_unit"] or f["strong_action"]) and not f["past"]:
        task = 0.75
    elif f["starts_unit"] and (f["chu_tri"] or f["phoi_hop"] or f["strong_action"]) and not f["past"] and not f["achieved"]:
        task = 0.6
    elif f["need"] and not f["past"] and not f["sc_cue"]:
        task = 0.55
    if f["proposal"] or f["lead_proposal"] or f.get("section=proposals"):
        task *= 0.3
    if f.get("section=achievements") and not f["assign_cue"]:
        task *= 0.5
    if f["ends_colon"] and f["short"]:
        task *= 0.3
    sc = 0.0
    if f["sc_cue"] and (f.get("section=shortcomings") or f["lead_shortcoming"] or f["tuy_nhien"]):
        sc = 0.8
    elif f["sc_cue"] and f["sc_count"] >= 0.5 and not f["assign_cue"]:
        sc = 0.55
    if task >= 0.5 and not f.get("section=shortcomings"):
        sc *= 0.5
    tg = 0.0
    if f["phan_dau"] and (f["percent"] or f["index_name"] or f.get("quantity")):
        tg = 0.8
    elif f["index_name"] and f.get("kind=heading") is None and f["target_cue"] and not f["past"]:
        tg = 0.55
    elif f["percent"] and (f.get("section=targets") or f["lead_target"]):
        tg = 0.75
    return {"task": task, "shortcoming": sc, "target": tg}


def words(sdoc) -> list[str]:
    """The sentence's underthesea words, lower-cased, syllables joined with "_"."""
    return [t.lower_.replace(" ", "_") for t in sdoc]


def unit_text(doc: Document, seg: Segment) -> str:
    return doc.text[seg.start:seg.end]


def pick(records: list[dict], name: str) -> list:
    """One column of the unit records (a picklable step of the feature pipeline)."""
    return [r[name] for r in records]


def _column(name: str):
    """The pipeline step that picks one field of the records."""
    from sklearn.preprocessing import FunctionTransformer

    return FunctionTransformer(pick, kw_args={"name": name}, validate=False)


class SegmentClassifier:
    """One-vs-rest logistic regression over cue features and word/syllable n-grams.

    ``fit(records, labels)`` / ``predict_proba(records)`` where a record is
    ``{"text": str, "lead": str, "features": dict}`` and labels are sets of kinds.
    """

    def __init__(self, seed: int = 13, C: float = 10.0):
        self.seed = seed
        self.C = C
        self.models = {}
        self.vectorizer = None

    def _make_vectorizer(self):
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        col = _column
        return FeatureUnion([
            ("cues", Pipeline([("pick", col("features")), ("dict", DictVectorizer())])),
            ("words", Pipeline([("pick", col("words")), ("tfidf", TfidfVectorizer(
                analyzer=str.split, min_df=2, sublinear_tf=True, max_features=20000))])),
            ("syll", Pipeline([("pick", col("head")), ("tfidf", TfidfVectorizer(
                ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=20000))])),
            ("lead", Pipeline([("pick", col("lead")), ("tfidf", TfidfVectorizer(
                ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=5000))])),
        ])

    def _make_screen_vectorizer(self):
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        col = _column
        return FeatureUnion([
            ("cues", Pipeline([("pick", col("features")), ("dict", DictVectorizer())])),
            ("syll", Pipeline([("pick", col("text")), ("tfidf", TfidfVectorizer(
                ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=30000))])),
        ])

    def fit(self, records: list[dict], labels: list[set[str]]) -> "SegmentClassifier":
        """Fit the screen (cheap: cue features and syllables, no word segmentation) that
        decides which sentences are worth segmenting, and the full per-kind models."""
        from sklearn.linear_model import LogisticRegression

        self.vectorizer = self._make_vectorizer()
        X = self.vectorizer.fit_transform(records)
        for kind in KINDS:
            y = [int(kind in lab) for lab in labels]
            clf = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced", random_state=self.seed)
            clf.fit(X, y)
            self.models[kind] = clf
        self.screen_vectorizer = self._make_screen_vectorizer()
        Xs = self.screen_vectorizer.fit_transform([cheap_view(r) for r in records])
        self.screen = LogisticRegression(C=self.C, max_iter=2000, class_weight="balanced", random_state=self.seed)
        self.screen.fit(Xs, [int(bool(lab)) for lab in labels])
        return self

    def screen_proba(self, records: list[dict]) -> list[float]:
        """Chance that a sentence is any item, from cheap features only."""
        if not records or getattr(self, "screen", None) is None:
            return [1.0] * len(records)
        X = _transform(self.screen_vectorizer, [cheap_view(r) for r in records])
        w, b = self._weights("screen", lambda: (self.screen.coef_, self.screen.intercept_))
        return [float(p) for p in _sigmoid(X @ w.T + b)[:, 0]]

    def predict_proba(self, records: list[dict]) -> list[dict[str, float]]:
        if not records:
            return []
        X = _transform(self.vectorizer, records)
        import numpy as np

        w, b = self._weights("kinds", lambda: (np.vstack([self.models[k].coef_ for k in KINDS]),
                                               np.concatenate([self.models[k].intercept_ for k in KINDS])))
        P = _sigmoid(X @ w.T + b)
        return [{k: float(P[i, j]) for j, k in enumerate(KINDS)} for i in range(len(records))]

    def _weights(self, name: str, make):
        """The fitted coefficients as one dense matrix: one product scores every kind."""
        cache = self.__dict__.setdefault("_dense", {})
        if name not in cache:
            cache[name] = make()
        return cache[name]

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_dense", None)
        return state


def _transform(union, records: list[dict]):
    """FeatureUnion.transform without its per-call machinery (joblib, output wrapping):
    the same fitted steps, applied in order and stacked."""
    from scipy.sparse import hstack

    blocks = []
    for _, step in union.transformer_list:
        data = records
        for _, sub in step.steps:
            data = sub.transform(data) if not hasattr(sub, "func") else sub.func(data, **(sub.kw_args or {}))
        blocks.append(data)
    return hstack(blocks, format="csr")


def _sigmoid(z):
    import numpy as np

    z = np.asarray(z)
    return 1.0 / (1.0 + np.exp(-z))


def cheap_view(record: dict) -> dict:
    """The part of a record that needs no word segmentation (span features dropped)."""
    return {"text": record["text"].lower(),
            "features": {k: v for k, v in record["features"].items() if not k.startswith("span_")}}


def make_record(doc: Document, seg: Segment, segment_words: bool = True) -> dict:
    """What the classifier sees of one sentence.

    With ``segment_words`` it builds the sentence's spaCy Doc (underthesea words, ruler
    spans) — the costly part; without, only the cheap view the screen needs.
    """
    text = unit_text(doc, seg)
    f = cue_features(doc, seg)
    for k, v in rule_scores(f).items():
        f["rule_" + k] = v
    lead = lead_chain_text(doc, seg, 1)
    record = {
        "text": text,
        "head": " ".join(text.lower().split()[:12]),
        "lead": " ".join(lead.lower().split()[-12:]),
        "words": "",
        "features": f,
    }
    return add_words(record, seg) if segment_words else record


def add_words(record: dict, seg: Segment) -> dict:
    """Complete a record with the sentence's underthesea words and span-ruler labels."""
    from .spans import sentence_doc

    if seg.tokens is None:
        seg.tokens = sentence_doc(record["text"])
    for sp in seg.tokens.spans.get("ruler", []):
        record["features"]["span_" + sp.label_] = 1.0
    record["words"] = " ".join(words(seg.tokens))
    return record


# A sentence none of whose cue words occur cannot be an item: skip the costly bits.
_ANY_CUE = re.compile(
    "|".join(p.pattern for p in (STRONG_ASSIGN, SHORTCOMING_CUE, PROBLEM_CUE, TARGET_CUE, STRONG_ACTION, _NEED)) + r"|chủ\s+trì|phối\s+hợp",
    re.I,
)


_CONTRAST = re.compile(r"^(?:Tuy\s+nhiên|Bên\s+cạnh\s+đó|Song|Nhưng|Mặt\s+khác)\s*,")


def _weakness_by_structure(doc: Document, s: Segment) -> bool:
    """A weakness by the shape of the text: an item listed under a lead-in that names a
    weakness ("Tuy nhiên, tiến độ … còn chậm …, do:"), or a contrast sentence that names one."""
    text = doc.text[s.start:s.end]
    if not SHORTCOMING_CUE.search(text) or s.section in ("tasks", "proposals", "targets"):
        return False
    if s.marker and s.lead_in is not None:
        lead = doc.text[s.lead_in.start:s.lead_in.end].rstrip()
        return lead.endswith(":") and bool(SHORTCOMING_CUE.search(lead)) and not _assigns(lead)
    return bool(_CONTRAST.match(text)) and not _assigns(text)


def _reported_directive(doc: Document, s: Segment) -> bool:
    text = doc.text[s.start:s.end]
    return reports_directive(text) \
        and s.section not in ("proposals", "achievements")


# A leader's words quoted as an order: "“Kiên quyết xử lý các doanh nghiệp thua lỗ …”, Phó Thủ tướng
# nhấn mạnh", "Thủ tướng khẳng định: “Xác định rõ trách nhiệm, xử lý nghiêm …”".
_LEADER = re.compile(r"(?:Phó\s+)?(?:Thủ\s+tướng|Bộ\s+trưởng|Chủ\s+tịch|Bí\s+thư|Tổng\s+cục\s+trưởng|Cục\s+trưởng|Giám\s+đốc)")


def _quoted_order(doc: Document, s: Segment) -> bool:
    text = doc.text[s.start:s.end]
    if not _LEADER.search(text):
        return False
    for m in re.finditer(r"[“\"]\s*", text):
        rest = text[m.end():]
        if ACTION.match(rest[:1].lower() + rest[1:]) and not re.match(r"(?i)(?:chúng\s+ta|tôi)\b", rest):
            return True
    return False


def _vouched(doc: Document, s: Segment) -> bool:
    """A rule vouches for the sentence, so the cheap screen may not drop it."""
    return _reported_directive(doc, s) or _quoted_order(doc, s) or _weakness_by_structure(doc, s) or _goal_with_amount(doc, s)


def _goal_with_amount(doc: Document, s: Segment) -> bool:
    """"phấn đấu cả năm 2017 sẽ thu ngân sách đạt 29.000 tỷ đồng": a goal word and an amount."""
    text = doc.text[s.start:s.end]
    return bool(re.search(r"phấn\s+đấu|mục\s+tiêu|chỉ\s+tiêu", text, re.I)) and bool(AMOUNT.search(text))


def _assigns(text: str) -> bool:
    """"… yêu cầu các đơn vị …" assigns; "… so với yêu cầu" does not."""
    return any(unit_starts_at(text, m.end() + 1) for m in STRONG_ASSIGN.finditer(text))


def classify(doc: Document, sents: Iterable[Segment], model: SegmentClassifier | None, thresholds: dict | None = None) -> None:
    """Set ``label`` (a set encoded as "task+target") and ``proba`` on each sentence."""
    thresholds = thresholds or {"task": 0.5, "shortcoming": 0.5, "target": 0.5}
    screen_threshold = thresholds.get("screen", 0.0)
    sents = list(sents)
    add_context(doc, sents)
    todo = []
    for s in sents:
        if s.cells and s.columns and not any(re.search(r"chủ\s+trì|thời\s+(?:gian|hạn)|thực\s+hiện", c, re.I) for c in s.columns):
            s.proba, s.label = {k: 0.0 for k in KINDS}, "other"
            continue
        if not s.cells and not _ANY_CUE.search(doc.text[s.start:s.end]) and not (s.lead_in is not None and s.marker):
            s.proba, s.label = {k: 0.0 for k in KINDS}, "other"
            continue
        todo.append(s)
    if not todo:
        return
    if model is not None:
        # screen first: only sentences that may be items pay for word segmentation
        records = [make_record(doc, s, segment_words=False) for s in todo]
        screened = [(s, r) for s, r, p in zip(todo, records, model.screen_proba(records))
                    if p >= screen_threshold or _vouched(doc, s)]
        for s in todo:
            s.proba, s.label = {k: 0.0 for k in KINDS}, "other"
        todo = [s for s, _ in screened]
        probas = model.predict_proba([add_words(r, s) for s, r in screened])
    else:
        probas = [rule_scores(cue_features(doc, s)) for s in todo]
    for s, p in zip(todo, probas):
        if model is not None and (_reported_directive(doc, s) or _quoted_order(doc, s)):
            p = dict(p, task=max(p["task"], 0.5 + p["task"] / 2))  # a reported directive: the rule vouches for it
        if model is not None and _weakness_by_structure(doc, s):
            p = dict(p, shortcoming=min(1.0, 0.5 + p["shortcoming"]))  # the structure vouches for it
        s.proba = p
        kinds = [k for k in KINDS if p[k] >= thresholds[k]]
        s.label = "+".join(kinds) if kinds else "other"
