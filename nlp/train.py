"""Train every model in ``models/`` from annotated documents (``taskreg train``).

Each gold item is located in its document; every sentence the segmenter cuts gets the
kinds of the gold items it overlaps (task / shortcoming / target, or none), and the
:class:`~nlp.classify.SegmentClassifier` learns them. Fixed seeds and sorted inputs make
the same data give the same models.
"""
from __future__ import annotations

import json
import pickle
import random
import re
import time
from pathlib import Path

from .classify import KINDS, SegmentClassifier, _ANY_CUE, add_context, make_record
from .compiled import compile_classifier
from .doc import Document
from .ingest import read_document
from .normalise import normalise
from .pipeline import CONFIG_FILE, MODEL_FILE
from .segment import segment, sentences
from .meta import extract_meta

_KIND_OF = {"tasks": "task", "shortcomings": "shortcoming", "targets": "target"}


def folded_index(text: str) -> tuple[str, list[int]]:
    """``text`` with every whitespace run folded to one space, and a map back to offsets."""
    out, idx = [], []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            idx.append(i)
            prev_space = True
        else:
            out.append(ch)
            idx.append(i)
            prev_space = False
    return "".join(out), idx


def locate(doc: Document, s: str, folded=None) -> tuple[int, int] | None:
    """Offsets of a gold string in the document text (NFC + whitespace folding as GUIDELINES)."""
    if not s:
        return None
    folded, idx = folded or folded_index(doc.text)
    needle = re.sub(r"\s+", " ", normalise(s)).strip()
    k = folded.find(needle)
    if k == -1:
        k = folded.lower().find(needle.lower())
    if k == -1:
        return None
    return idx[k], idx[k + len(needle) - 1] + 1


def gold_documents(folders: list[Path]) -> list[tuple[Document, dict]]:
    docs = []
    for folder in folders:
        for gp in sorted((Path(folder) / "gold").glob("*.json")):
            gold = json.loads(gp.read_text(encoding="utf-8"))
            src = Path(folder) / gold["doc"]
            if not src.exists():
                continue
            try:
                doc = read_document(src)
            except Exception as e:  # noqa: BLE001 — a bad training file is reported, not fatal
                print(f"skip {src}: {e}")
                continue
            docs.append((doc, gold))
    return docs


def labelled_units(doc: Document, gold: dict) -> tuple[list, list[set[str]]]:
    """Sentences of ``doc`` with the set of gold kinds each one carries."""
    segment(doc)
    extract_meta(doc)
    folded = folded_index(doc.text)
    spans: list[tuple[str, int, int]] = []
    for key, kind in _KIND_OF.items():
        for it in gold.get(key, []):
            loc = locate(doc, it.get("text"), folded)
            if loc:
                spans.append((kind, *loc))
    units, labels = [], []
    sents = sentences(doc)
    add_context(doc, sents)
    for s in sents:
        kinds = set()
        for kind, a, b in spans:
            ov = min(b, s.end) - max(a, s.start)
            if ov > 0 and (ov >= 0.5 * (b - a) or ov >= 0.5 * (s.end - s.start)):
                kinds.add(kind)
        if not s.cells and not _ANY_CUE.search(doc.text[s.start:s.end]) and not (s.lead_in is not None and s.marker):
            continue  # the pipeline never asks the model about these
        units.append(make_record(doc, s))
        labels.append(kinds)
    return units, labels


def tune_thresholds(records: list[dict], labels: list[set[str]], groups: list[int], seed: int,
                    folds: int = 3) -> dict[str, float]:
    """Per-kind decision thresholds that maximise sentence-level F1 on held-out documents.

    Documents, not sentences, are split between folds (a document's sentences are alike),
    so the thresholds are chosen on text the model has not seen.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    probs = {k: np.zeros(len(records)) for k in KINDS}
    screen = np.zeros(len(records))
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(records, groups=groups):
        clf = SegmentClassifier(seed=seed).fit([records[i] for i in train_idx], [labels[i] for i in train_idx])
        held = [records[i] for i in test_idx]
        for i, p, sp in zip(test_idx, clf.predict_proba(held), clf.screen_proba(held)):
            screen[i] = sp
            for k in KINDS:
                probs[k][i] = p[k]
    out = {}
    # the screen may drop a sentence only where held-out documents show it loses ≤ 2% of the
    # items of every kind: rare kinds (targets in news) must not pay for common ones
    cuts = []
    for k in KINDS:
        positives = np.sort(screen[np.array([k in lab for lab in labels])])
        if len(positives):
            cuts.append(float(positives[int(0.02 * len(positives))]) * 0.9)
    out["screen"] = round(min(cuts), 4) if cuts else 0.0
    grid = np.arange(0.2, 0.91, 0.025)
    passed = screen >= out["screen"]  # sentences the screen drops are lost to every kind
    for k in KINDS:
        y = np.array([k in lab for lab in labels])
        f1 = []
        for t in grid:
            pred = (probs[k] >= t) & passed
            tp = float((pred & y).sum())
            f1.append(2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0)
        # the middle of a plateau, not a lucky spike: F1 averaged over ±0.1 around each threshold
        smooth = np.convolve(np.pad(f1, 4, mode="edge"), np.ones(9) / 9, mode="valid")
        out[k] = round(float(grid[int(np.argmax(smooth))]), 3)
    return out


def train_models(folders: list[Path], out: Path, seed: int = 13) -> list[str]:
    random.seed(seed)
    t0 = time.time()
    docs = gold_documents([Path(f) for f in folders])
    records, labels, groups = [], [], []
    for i, (doc, gold) in enumerate(docs):
        r, lab = labelled_units(doc, gold)
        records.extend(r)
        labels.extend(lab)
        groups.extend([i] * len(r))
    thresholds = tune_thresholds(records, labels, groups, seed)
    clf = SegmentClassifier(seed=seed).fit(records, labels)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / MODEL_FILE, "wb") as fh:
        # the vocabularies and weights as plain arrays: extraction then needs no scikit-learn
        pickle.dump(compile_classifier(clf), fh, protocol=pickle.HIGHEST_PROTOCOL)
    counts = {k: sum(1 for lab in labels if k in lab) for k in KINDS}
    config = {
        "thresholds": thresholds,
        "trained_on": [str(f) for f in folders],
        "documents": len(docs),
        "units": len(records),
        "positives": counts,
        "seed": seed,
    }
    (out / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    size = (out / MODEL_FILE).stat().st_size
    return [
        f"trained on {len(docs)} documents, {len(records)} sentences ({counts})",
        f"decision thresholds from {3}-fold cross-validation by document: {thresholds}",
        f"wrote {out / MODEL_FILE} ({size / 1e6:.1f} MB) in {time.time() - t0:.0f} s",
    ]
