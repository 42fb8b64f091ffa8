"""taskreg's pipeline: ingest → normalise → segment → classify → extract slots → register → export.

Top-level functions for the common case, in underthesea's style::

    from nlp import extract_file
    record = extract_file("bao-cao.docx")   # dict: doc, meta, tasks, shortcomings, targets

Heavy libraries are imported lazily so the command line starts fast.
"""
from __future__ import annotations

__all__ = ["extract_file", "extract_text", "load_pipeline"]


def load_pipeline(models_dir=None):
    from .pipeline import load_pipeline as _load

    return _load(models_dir)


def extract_file(path, pipeline=None) -> dict:
    from .pipeline import extract_file as _extract_file

    return _extract_file(path, pipeline)


def extract_text(text: str, source: str = "-", pipeline=None) -> dict:
    from .pipeline import extract_text as _extract_text

    return _extract_text(text, source, pipeline)
