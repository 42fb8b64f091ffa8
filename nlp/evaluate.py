"""Evaluate extraction against gold, with the matching rules of GUIDELINES.md.

Items match when the token F1 of their ``text`` (lower-cased syllables, punctuation
dropped) is ≥ 0.5, one-to-one, best pairs first. Owners/coordinators of matched tasks
match at token F1 ≥ 0.5; deadlines by ISO equality over matched tasks where either side
is set; targets' values need ``metric`` F1 ≥ 0.5 and equal ``value`` without spaces.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

from .normalise import normalise

FIELDS = ("tasks", "owners", "coordinators", "deadlines", "shortcomings", "targets", "target_values", "meta_date")


def tokens(s: str | None) -> list[str]:
    if not s:
        return []
    s = normalise(unicodedata.normalize("NFC", s)).lower()
    return re.findall(r"[^\W_]+", s)


def tf1(a: str | None, b: str | None) -> float:
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    p, r = common / len(ta), common / len(tb)
    return 2 * p * r / (p + r)


def match(pred: list[dict], gold: list[dict], key: str = "text", threshold: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) with F1 ≥ threshold, best pairs first."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            f = tf1(p.get(key), g.get(key))
            if f >= threshold:
                cands.append((f, i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, n_pred: int, n_gold: int):
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    def scores(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def _value(v) -> str | None:
    return re.sub(r"\s+", "", str(v)).lower() if v not in (None, "") else None


def score_document(pred: dict, gold: dict, tallies: dict[str, Tally], errors: list | None = None) -> None:
    name = gold.get("doc")
    for kind in ("tasks", "shortcomings", "targets"):
        P, G = pred.get(kind, []), gold.get(kind, [])
        pairs = match(P, G)
        tallies[kind].add(len(pairs), len(P), len(G))
        if errors is not None:
            mp, mg = {i for i, _ in pairs}, {j for _, j in pairs}
            errors.extend({"doc": name, "kind": kind, "error": "false_positive", "text": P[i].get("text")} for i in range(len(P)) if i not in mp)
            errors.extend({"doc": name, "kind": kind, "error": "false_negative", "text": G[j].get("text")} for j in range(len(G)) if j not in mg)
        if kind == "tasks":
            for i, j in pairs:
                for field in ("owners", "coordinators"):
                    po, go = P[i].get(field) or [], G[j].get(field) or []
                    sub = match([{"text": x} for x in po], [{"text": x} for x in go])
                    tallies[field].add(len(sub), len(po), len(go))
                    if errors is not None and (len(sub) != len(po) or len(sub) != len(go)):
                        errors.append({"doc": name, "kind": field, "error": "mismatch", "text": G[j].get("text"),
                                       "pred": po, "gold": go})
                pd, gd = P[i].get("deadline"), G[j].get("deadline")
                if pd or gd:
                    ok = int(pd == gd)
                    tallies["deadlines"].add(ok, int(bool(pd)), int(bool(gd)))
                    if errors is not None and not ok:
                        errors.append({"doc": name, "kind": "deadline", "error": "mismatch", "text": G[j].get("text"),
                                       "pred": pd, "gold": gd, "gold_text": G[j].get("deadline_text")})
        if kind == "targets":
            # a target's value counts when the metric and the value agree
            sub = 0
            for i, j in pairs:
                if tf1(P[i].get("metric"), G[j].get("metric")) >= 0.5 and _value(P[i].get("value")) == _value(G[j].get("value")):
                    sub += 1
            tallies["target_values"].add(sub, sum(1 for p in P if p.get("value")), sum(1 for g in G if g.get("value")))
    pd, gd = (pred.get("meta") or {}).get("date"), (gold.get("meta") or {}).get("date")
    if pd or gd:
        tallies["meta_date"].add(int(pd == gd), int(bool(pd)), int(bool(gd)))


def evaluate_corpus(corpus: str | Path, models_dir=None, errors_path: str | Path | None = None) -> dict:
    """Run the pipeline on every document that has gold in ``corpus/gold`` and score it."""
    from .pipeline import extract_file, load_pipeline

    corpus = Path(corpus)
    gold_dir = corpus / "gold"
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: no gold folder")
    pipeline = load_pipeline(models_dir)
    tallies = {f: Tally() for f in FIELDS}
    errors: list | None = [] if errors_path else None
    per_doc = []
    for gp in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        src = corpus / gold["doc"]
        try:
            pred = extract_file(src, pipeline)
        except Exception as e:  # a document that cannot be read scores as empty, and says why
            import sys

            print(f"warning: {src}: {e}", file=sys.stderr)
            pred = {"doc": gold["doc"], "meta": {}, "tasks": [], "shortcomings": [], "targets": []}
        before = {k: (t.tp, t.fp, t.fn) for k, t in tallies.items()}
        score_document(pred, gold, tallies, errors)
        t = tallies["tasks"]
        b = before["tasks"]
        per_doc.append({"doc": gold["doc"], "tasks_tp": t.tp - b[0], "tasks_fp": t.fp - b[1], "tasks_fn": t.fn - b[2]})
    report = {"corpus": str(corpus), "documents": len(per_doc), "scores": {f: t.scores() for f, t in tallies.items()},
              "per_document": per_doc}
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as fh:
            for e in errors:
                fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    return report


def format_table(report: dict) -> str:
    lines = [f"{report['documents']} documents in {report['corpus']}",
             f"{'field':<15}{'P':>8}{'R':>8}{'F1':>8}{'TP':>6}{'FP':>6}{'FN':>6}"]
    for f, s in report["scores"].items():
        lines.append(f"{f:<15}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}")
    return "\n".join(lines)
