"""The objects that flow through the pipeline.

One :class:`Document` per input file: its source, the normalised text every offset
points into, the meta fields, the :class:`Segment` s the segmenter cut, and the
:class:`Item` s (tasks, shortcomings, targets) the extractor hung off them.
Modelled on spaCy's ``Doc``/``Span``: objects hold character offsets, text is
always sliced from the one normalised string, so every row of the register can
point back to the exact words of its source.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

ITEM_KINDS = ("tasks", "shortcomings", "targets")


@dataclass
class Segment:
    """A stretch of the document: paragraph, list item, table row, sentence or clause.

    ``lead_in`` is the segment that introduces a list item ("... như sau:"), so items
    can inherit owner, deadline and assigner from it. ``section`` is the heading kind
    in force ("shortcomings", "tasks", "achievements", "proposals" …) or None.
    """

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | list_item | table_row | heading | sentence | furniture
    lead_in: "Segment | None" = None
    section: str | None = None
    heading: str | None = None
    marker: str | None = None  # list marker as written ("1.", "a)", "-")
    cells: list[tuple[int, int]] = field(default_factory=list)  # table rows: offsets of each cell
    columns: list[str] = field(default_factory=list)  # table rows: header names of the cells
    depth: int = 0
    parent: "Segment | None" = None  # sentences: the paragraph, list item or row they belong to
    label: str | None = None  # classifier verdict: task | shortcoming | target | other
    proba: dict[str, float] = field(default_factory=dict)
    tokens: Any = None  # spaCy Doc of the sentence (underthesea words, ruler spans), when built
    context: dict[str, float] = field(default_factory=dict)  # cues of the sentences before it

    def text(self, doc: "Document") -> str:
        return doc.text[self.start:self.end]


@dataclass
class Item:
    """One extracted register entry: kind, verbatim span, fields, confidence."""

    kind: str  # "task" | "shortcoming" | "target"
    start: int
    end: int
    text: str
    fields: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0
    segment: Segment | None = None

    @property
    def id(self) -> str:
        """Stable id from content: the same words of the same kind give the same id."""
        basis = f"{self.kind}|{' '.join(self.text.lower().split())}"
        return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "text": self.text}
        out.update(self.fields)
        out.update({"start": self.start, "end": self.end, "confidence": round(self.confidence, 3)})
        return out


@dataclass
class Document:
    """A document as it flows through the stages.

    ``raw`` is what ingest read (already decoded), ``text`` the normalised text that
    every offset refers to, ``hints`` what ingest learned from the container (HTML
    title/date, DOCX tables) that the meta stage may use.
    """

    source: str  # the input file's name (the ``doc`` field of the output)
    raw: str
    text: str = ""
    path: str | None = None
    fmt: str = "txt"
    hints: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)

    def items_of(self, kind: str) -> list[Item]:
        return [it for it in self.items if it.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        """The output record: GUIDELINES fields plus ids, offsets and confidences."""
        return {
            "doc": self.source,
            "meta": {k: self.meta.get(k) for k in ("date", "issuer", "chair", "title")},
            "tasks": [it.to_dict() for it in self.items_of("task")],
            "shortcomings": [it.to_dict() for it in self.items_of("shortcoming")],
            "targets": [it.to_dict() for it in self.items_of("target")],
        }
