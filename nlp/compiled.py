"""A trained :class:`~nlp.classify.SegmentClassifier` reduced to plain arrays.

Extraction only needs the fitted vocabularies, idf weights and coefficients; keeping the
scikit-learn objects would load scikit-learn and SciPy (~140 MB) into every worker
process. ``compile_classifier`` copies what the fitted ``FeatureUnion`` s and logistic
regressions learned; :class:`CompiledClassifier` reproduces their ``transform`` and
``predict_proba`` exactly (the tests compare both) with a dictionary look-up per feature
and one small dense product.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

KINDS = ("task", "shortcoming", "target")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # TfidfVectorizer's default token_pattern


class _Block:
    """One fitted branch of a FeatureUnion: which record field, how it is turned into terms."""

    def __init__(self, field: str, kind: str, vocab: dict, idf=None, ngram=(1, 1), lowercase=True, offset=0):
        self.field, self.kind, self.vocab, self.ngram, self.lowercase, self.offset = field, kind, vocab, ngram, lowercase, offset
        self.idf = None if idf is None else np.asarray(idf, dtype=np.float64)

    def features(self, record: dict) -> list[tuple[int, float]]:
        value = record[self.field]
        if self.kind == "dict":
            return [(self.offset + self.vocab[k], float(v)) for k, v in value.items() if k in self.vocab and v]
        if self.kind == "split":  # analyzer=str.split
            terms = value.split()
        else:
            toks = _TOKEN.findall(value.lower() if self.lowercase else value)
            lo, hi = self.ngram
            terms = [" ".join(toks[i:i + n]) for n in range(lo, hi + 1) for i in range(len(toks) - n + 1)]
        counts = Counter(t for t in terms if t in self.vocab)
        if not counts:
            return []
        idx = [self.vocab[t] for t in counts]
        vals = np.array([1.0 + math.log(c) for c in counts.values()]) * self.idf[idx]  # sublinear tf × idf
        vals /= np.sqrt((vals ** 2).sum())  # l2 norm
        return [(self.offset + i, float(v)) for i, v in zip(idx, vals)]


class _Linear:
    def __init__(self, blocks: list[_Block], coef, intercept):
        self.blocks = blocks
        self.coef = np.asarray(coef, dtype=np.float64)  # (classes, features)
        self.intercept = np.asarray(intercept, dtype=np.float64)

    def proba(self, records: list[dict]) -> np.ndarray:
        out = np.empty((len(records), self.coef.shape[0]))
        for r, record in enumerate(records):
            feats = [f for b in self.blocks for f in b.features(record)]
            z = self.intercept.copy()
            if feats:
                idx = np.fromiter((i for i, _ in feats), dtype=np.int64, count=len(feats))
                val = np.fromiter((v for _, v in feats), dtype=np.float64, count=len(feats))
                z += self.coef[:, idx] @ val
            out[r] = 1.0 / (1.0 + np.exp(-z))
        return out


class CompiledClassifier:
    """Same interface as SegmentClassifier's prediction side, without scikit-learn."""

    def __init__(self, kinds: _Linear, screen: _Linear | None):
        self.kinds, self.screen = kinds, screen

    def predict_proba(self, records: list[dict]) -> list[dict[str, float]]:
        if not records:
            return []
        P = self.kinds.proba(records)
        return [{k: float(P[i, j]) for j, k in enumerate(KINDS)} for i in range(len(records))]

    def screen_proba(self, records: list[dict]) -> list[float]:
        from .classify import cheap_view

        if not records or self.screen is None:
            return [1.0] * len(records)
        return [float(p) for p in self.screen.proba([cheap_view(r) for r in records])[:, 0]]


def _blocks(union) -> list[_Block]:
    """Read the fitted branches of a FeatureUnion built by SegmentClassifier."""
    blocks, offset = [], 0
    for _, pipe in union.transformer_list:
        pick, vec = pipe.steps[0][1], pipe.steps[-1][1]
        field = pick.kw_args["name"]
        vocab = {k: int(v) for k, v in vec.vocabulary_.items()}
        if hasattr(vec, "idf_"):
            if not (vec.sublinear_tf and vec.norm == "l2" and vec.use_idf):
                raise ValueError("compiled TF-IDF expects sublinear_tf, l2 norm and idf")
            kind = "split" if vec.analyzer is str.split else "words"
            block = _Block(field, kind, vocab, vec.idf_, vec.ngram_range, vec.lowercase, offset)
        else:
            block = _Block(field, "dict", vocab, offset=offset)
        blocks.append(block)
        offset += len(vocab)
    return blocks


def compile_classifier(clf) -> CompiledClassifier:
    """Plain-array copy of a fitted SegmentClassifier."""
    kinds = _Linear(_blocks(clf.vectorizer),
                    np.vstack([clf.models[k].coef_ for k in KINDS]),
                    np.concatenate([clf.models[k].intercept_ for k in KINDS]))
    screen = None
    if getattr(clf, "screen", None) is not None:
        screen = _Linear(_blocks(clf.screen_vectorizer), clf.screen.coef_, clf.screen.intercept_)
    return CompiledClassifier(kinds, screen)
