"""The pipeline: named components a :class:`Document` flows through, in spaCy's manner.

    ingest → normalise → segment → meta → classify → extract → (register → export)

``load_pipeline()`` loads the trained models once per process; ``Pipeline(doc)`` runs
every component in order. The register and export stages live in ``store``/``export``.
"""
from __future__ import annotations

import json
import pickle
import re
from collections import Counter
from pathlib import Path
from typing import Callable

from .classify import SegmentClassifier, classify, genre
from .doc import Document, Item
from .evaluate import tf1, tokens
from .extract import shortcoming_items, target_items, task_items
from .ingest import read_document, read_text
from .meta import extract_meta
from .segment import segment, sentences

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
MODEL_FILE = "segment_classifier.pkl"
CONFIG_FILE = "pipeline.json"


def containment(a: str | Counter, b: str | Counter) -> float:
    """Share of the shorter text's words that the longer one repeats (headline vs. body)."""
    ta, tb = _bag(a), _bag(b)
    small = min(sum(ta.values()), sum(tb.values()))
    return sum((ta & tb).values()) / small if small >= 5 else 0.0


def _bag(x: str | Counter) -> Counter:
    return x if isinstance(x, Counter) else Counter(tokens(x))


def _f1(ta: Counter, tb: Counter) -> float:
    """:func:`~nlp.evaluate.tf1` over word bags made once per item."""
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def title_end(text: str) -> int:
    """End of a headline: the first line, when it is short and not a sentence of the body."""
    line = text.lstrip().split("\n", 1)[0]
    start = len(text) - len(text.lstrip())
    return start + len(line) if 0 < len(line) < 220 and not line.rstrip().endswith((".", ":", ";")) else -1


def deduplicate(items: list[Item], text: str = "") -> list[Item]:
    """One item per directive: a repeat (lead and body, title and text) keeps its fuller mention."""
    bags = {id(it): Counter(tokens(it.text)) for it in items}  # each text normalised once
    kept: list[Item] = []
    for it in items:
        dup = None
        for k in kept:
            if k.kind != it.kind:
                continue
            overlap = min(k.end, it.end) - max(k.start, it.start)
            if overlap > 0.6 * min(k.end - k.start, it.end - it.start) or _f1(bags[id(k)], bags[id(it)]) >= 0.8:
                dup = k
                break
        if dup is None:
            kept.append(it)
        elif len(it.text) > len(dup.text) and it.kind != "target":
            kept[kept.index(dup)] = it
    # a headline restates a directive of the body: the body's fuller mention is the task
    headline_end = title_end(text) if text else -1
    kept = [it for it in kept if not (it.kind == "task" and it.end <= headline_end and any(
        o is not it and o.kind == "task" and o.start > headline_end and containment(bags[id(it)], bags[id(o)]) >= 0.6 for o in kept))]
    # the lead paragraph of news sums up a directive the body then gives in full
    lead_end = lead_paragraph_end(text) if text else -1
    kept = [it for it in kept if not (it.kind == "task" and it.end <= lead_end and any(
        o is not it and o.kind == "task" and o.start > lead_end and len(o.text) >= len(it.text)
        and _same_owners(it, o) and containment(bags[id(it)], bags[id(o)]) >= 0.7 for o in kept))]
    return sorted(kept, key=lambda i: (i.start, i.kind))


def lead_paragraph_end(text: str) -> int:
    """End of a news lead: the headline and the paragraph after it."""
    lines, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            lines.append(pos + len(line))
        pos += len(line) + 1
        if len(lines) == 2:
            break
    return lines[-1] if lines else -1


def _same_owners(a: Item, b: Item) -> bool:
    oa, ob = a.fields.get("owners") or [], b.fields.get("owners") or []
    return not oa or not ob or any(tf1(x, y) >= 0.5 for x in oa for y in ob)


class Pipeline:
    """Named components over one Document; ``model`` is the trained segment classifier."""

    def __init__(self, model: SegmentClassifier | None = None, thresholds: dict | None = None):
        self.model = model
        self.thresholds = thresholds or {"task": 0.5, "shortcoming": 0.5, "target": 0.5}
        self.components: list[tuple[str, Callable[[Document], Document]]] = [
            ("segment", segment),
            ("meta", extract_meta),
            ("classify", self._classify),
            ("extract", self._extract),
        ]

    @property
    def pipe_names(self) -> list[str]:
        return [name for name, _ in self.components]

    def __call__(self, doc: Document) -> Document:
        for _, component in self.components:
            doc = component(doc)
        return doc

    def _classify(self, doc: Document) -> Document:
        classify(doc, sentences(doc), self.model, self.thresholds)
        return doc

    def _extract(self, doc: Document) -> Document:
        items: list[Item] = []
        state: dict = {}
        title = " ".join((doc.meta.get("title") or "").split())
        formal = genre(doc) == "formal"
        for s in sentences(doc):
            label = s.label or "other"
            if formal and title and len(title) > 20 and " ".join(doc.text[s.start:s.end].split()) in title:
                continue  # a formal document's title names its subject; its items are in the body
            if "task" in label:
                items.extend(task_items(doc, s, state))
            else:
                # keep the assigner of "Chủ tịch … kết luận như sau:" for the list that follows
                pass
            if "shortcoming" in label:
                items.extend(shortcoming_items(doc, s))
            if "target" in label or ("task" in label and _GOAL_IN_TASK.search(doc.text[s.start:s.end])):
                # "…, bảo đảm 100% hộ gia đình tham gia": a directive that sets a figure sets a target
                items.extend(target_items(doc, s))
        doc.items = deduplicate(items, doc.text)
        return doc


_GOAL_IN_TASK = re.compile(r"(?:bảo\s+đảm|đảm\s+bảo|phấn\s+đấu|tối\s+thiểu|ít\s+nhất|không\s+dưới|đạt(?:\s+trên)?)\s+(?:tỷ\s+lệ\s+)?\d+(?:[,.]\d+)?\s*%|(?<![\d,.])100\s*%", re.I)

_CACHE: dict[str, Pipeline] = {}


def load_pipeline(models_dir: str | Path | None = None) -> Pipeline:
    """The pipeline with the trained models of ``models_dir`` (loaded once per process)."""
    d = Path(models_dir) if models_dir else MODELS_DIR
    key = str(d.resolve())
    if key in _CACHE:
        return _CACHE[key]
    model = None
    thresholds = None
    if (d / MODEL_FILE).exists():
        with open(d / MODEL_FILE, "rb") as fh:
            model = pickle.load(fh)
    if (d / CONFIG_FILE).exists():
        thresholds = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8")).get("thresholds")
    _CACHE[key] = Pipeline(model, thresholds)
    return _CACHE[key]


def process(doc: Document, pipeline: Pipeline | None = None) -> dict:
    return (pipeline or load_pipeline())(doc).to_dict()


def extract_file(path, pipeline: Pipeline | None = None) -> dict:
    return process(read_document(path), pipeline)


def extract_text(text: str, source: str = "-", pipeline: Pipeline | None = None) -> dict:
    return process(read_text(text, source), pipeline)
