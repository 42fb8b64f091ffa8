"""Ingest stage: read a file of any supported type into a :class:`Document`."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .doc import Document
from .normalise import normalise

SUPPORTED = {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


class IngestError(Exception):
    """A file that cannot be read; ``str()`` is the one-line message for the user."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def read_text(text: str, source: str = "-") -> Document:
    return Document(source=source, raw=text, text=normalise(text), fmt="txt")


def read_document(path) -> Document:
    path = Path(path)
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError(path, f"unknown file type {path.suffix or '(none)'}")
    raw = path.read_bytes().decode("utf-8-sig")
    doc = read_text(raw, path.name)
    doc.path = str(path)
    return doc


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
