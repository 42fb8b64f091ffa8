"""The register: a persistent, deduplicated store of extracted tasks (SQLAlchemy 2.x).

One per-document record (``Document.to_dict()``) is stored in one transaction: the
document row, its tasks, shortcomings and targets. A failure rolls back that record
only. Re-adding the same record adds nothing; a directive repeated across reports
(near-identical text, same canonical owner) becomes one task that lists every source.

Works the same on SQLite (the default, ``sqlite:///taskreg.sqlite``) and PostgreSQL
(``postgresql+psycopg://user:pass@host/db``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    selectinload,
    sessionmaker,
)

from .units import canonical_unit, fold, unit_key

#: Token-set Jaccard similarity from which two task texts are the same directive.
SIMILARITY = 0.85
DEFAULT_DB = "sqlite:///taskreg.sqlite"

# --- statuses ---------------------------------------------------------------------------

STATUSES = ("new", "in_progress", "done", "overdue")
STATUS_LABELS = {"new": "mới", "in_progress": "đang thực hiện", "done": "hoàn thành", "overdue": "quá hạn"}
_STATUS_ALIASES = {
    "new": "new", "moi": "new", "open": "new", "todo": "new",
    "in_progress": "in_progress", "in progress": "in_progress", "inprogress": "in_progress",
    "doing": "in_progress", "dang thuc hien": "in_progress", "dang lam": "in_progress",
    "done": "done", "completed": "done", "complete": "done", "closed": "done", "hoan thanh": "done",
    "overdue": "overdue", "late": "overdue", "qua han": "overdue",
}


def parse_status(value: str) -> str:
    """The status code for Vietnamese (with or without diacritics) or English input."""
    key = fold(value).replace("-", " ").replace("_", " ").strip()
    code = _STATUS_ALIASES.get(key) or _STATUS_ALIASES.get(key.replace(" ", "_"))
    if not code:
        choices = ", ".join(f"{label} ({code})" for code, label in STATUS_LABELS.items())
        raise ValueError(f"unknown status {value!r}; use one of: {choices}")
    return code


def effective_status(stored: str, deadline: date | None, today: date | None = None) -> str:
    """The status shown: "quá hạn" is derived on read, when not done and the deadline has passed."""
    today = today or date.today()
    if stored != "done" and deadline is not None and deadline < today:
        return "overdue"
    return stored


# --- text keys ---------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Case, spacing, punctuation and tone placement folded: the form tasks are compared in."""
    from .units import normalise_spelling

    text = normalise_spelling(text).lower()
    return " ".join(re.findall(r"\w+", text))


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def owner_key(canonical_owners: Iterable[str]) -> str:
    """The canonical owners as one comparable key (order and spelling do not matter)."""
    return "|".join(sorted({unit_key(c) for c in canonical_owners if c}))


def task_id(owners_key: str, norm_text: str) -> str:
    """Stable id from content — canonical owner + normalised text — never from row ids."""
    return hashlib.sha1(f"task\x1f{owners_key}\x1f{norm_text}".encode("utf-8")).hexdigest()[:16]


def record_hash(record: dict) -> str:
    """Content hash of a per-document record; confidences (model noise) left out."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "confidence"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    body = {k: strip(v) for k, v in record.items() if k != "doc"}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


# --- database URL ------------------------------------------------------------------------


def default_url(db: str | None = None) -> str:
    """``--db`` value, else ``$TASKREG_DB``, else ``sqlite:///taskreg.sqlite`` here.

    A bare file path becomes an SQLite URL; ``postgresql://`` gets the psycopg 3 driver.
    """
    value = db or os.environ.get("TASKREG_DB") or DEFAULT_DB
    if value == ":memory:":
        return "sqlite://"
    if "://" not in value:
        return "sqlite:///" + os.path.expanduser(value)
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


# --- models ------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    """One stored per-document record; (name, content_hash) makes re-adding a no-op."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("name", "content_hash", name="uq_documents_name_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    content_hash: Mapped[str] = mapped_column(String(64))
    doc_date: Mapped[date | None] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class TaskRow(Base):
    """A directive; its id is derived from its content, its sources list every mention."""

    __tablename__ = "tasks"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    norm_text: Mapped[str] = mapped_column(Text)
    n_tokens: Mapped[int] = mapped_column(Integer, index=True)
    owner_key: Mapped[str] = mapped_column(String(1000), index=True)
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    assigned_by: Mapped[str | None] = mapped_column(Text)
    refs: Mapped[list] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    sources: Mapped[list["TaskSource"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskSource.id"
    )
    units: Mapped[list["TaskUnit"]] = relationship(
        back_populates="task", cascade="all, delete-orphan", order_by="TaskUnit.id"
    )


class TaskSource(Base):
    """Where a task was read: the document, the span and the verbatim words."""

    __tablename__ = "task_sources"
    __table_args__ = (UniqueConstraint("task_id", "document_id", "span_start", "span_end", name="uq_task_sources_span"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[str] = mapped_column(String(16), index=True)  # the id this mention alone would get
    item_id: Mapped[str | None] = mapped_column(String(64))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_text: Mapped[str | None] = mapped_column(Text)
    assigned_by: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Float)

    task: Mapped[TaskRow] = relationship(back_populates="sources")
    document: Mapped[DocumentRow] = relationship()


class TaskUnit(Base):
    """An owner or coordinator of a task: the name as written and its canonical form."""

    __tablename__ = "task_units"
    __table_args__ = (UniqueConstraint("task_id", "role", "name", name="uq_task_units_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # owner | coordinator
    name: Mapped[str] = mapped_column(String(1000))
    canonical: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)  # name and canonical without case/diacritics, for search

    task: Mapped[TaskRow] = relationship(back_populates="units")


class _DocumentItem:
    """Columns of an item read from one document: where, what and how sure."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[float | None] = mapped_column(Float)

    @declared_attr
    def document(cls) -> Mapped[DocumentRow]:
        return relationship(DocumentRow)


class ShortcomingRow(_DocumentItem, Base):
    __tablename__ = "shortcomings"

    topic: Mapped[str | None] = mapped_column(Text)


class TargetRow(_DocumentItem, Base):
    __tablename__ = "targets"

    metric: Mapped[str | None] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(20))


class PushRow(Base):
    """A task version a portal accepted, so it is never sent to that portal again."""

    __tablename__ = "pushes"
    __table_args__ = (UniqueConstraint("endpoint", "push_key", name="uq_pushes_endpoint_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(1000))
    task_id: Mapped[str] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    push_key: Mapped[str] = mapped_column(String(100))
    pushed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


# --- read side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRef:
    name: str
    canonical: str


@dataclass(frozen=True)
class SourceRef:
    doc: str
    doc_date: date | None
    issuer: str | None
    start: int | None
    end: int | None
    text: str


@dataclass(frozen=True)
class TaskView:
    """A task as read from the register, with its status as of ``today``."""

    id: str
    text: str
    owners: list[UnitRef]
    coordinators: list[UnitRef]
    deadline: date | None
    deadline_text: str | None
    assigned_by: str | None
    refs: list[str]
    stored_status: str
    status: str  # effective: "overdue" when not done and past the deadline
    confidence: float | None
    sources: list[SourceRef]
    first_seen: datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def owner_names(self) -> list[str]:
        return _unique(u.canonical or u.name for u in self.owners)

    def coordinator_names(self) -> list[str]:
        return _unique(u.canonical or u.name for u in self.coordinators)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of a task (nlp/schema/task.schema.json)."""
        return {
            "id": self.id,
            "text": self.text,
            "owners": [{"name": u.name, "canonical": u.canonical} for u in self.owners],
            "coordinators": [{"name": u.name, "canonical": u.canonical} for u in self.coordinators],
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": self.deadline_text,
            "assigned_by": self.assigned_by,
            "refs": list(self.refs),
            "status": self.status,
            "status_label": self.status_label,
            "confidence": self.confidence,
            "sources": [
                {
                    "doc": s.doc,
                    "date": s.doc_date.isoformat() if s.doc_date else None,
                    "issuer": s.issuer,
                    "start": s.start,
                    "end": s.end,
                    "text": s.text,
                }
                for s in self.sources
            ],
            "first_seen": _utc(self.first_seen).isoformat(),
        }


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v and v not in seen:
            seen[v] = None
    return list(seen)


def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


# --- write side --------------------------------------------------------------------------


class RecordError(ValueError):
    """A per-document record that cannot be stored as it is."""


@dataclass
class AddStats:
    """What adding records did; ``errors`` names each record that was rolled back."""

    documents: int = 0
    skipped: int = 0
    failed: int = 0
    tasks_new: int = 0
    tasks_merged: int = 0
    shortcomings: int = 0
    targets: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.documents} documents stored, {self.skipped} already in the register, "
            f"{self.failed} failed; {self.tasks_new} new tasks, {self.tasks_merged} merged into existing ones"
        )


@dataclass
class RecordResult:
    doc: str
    stored: bool
    tasks_new: int = 0
    tasks_merged: int = 0
    shortcomings: int = 0
    targets: int = 0


class Register:
    """The task register at a database URL (tables are created on first use)."""

    def __init__(self, url: str | None = None, *, echo: bool = False) -> None:
        self.url = default_url(url)
        self.engine = create_engine(self.url, echo=echo, **_engine_options(self.url))
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # adding ------------------------------------------------------------------------------

    def add_records(self, records: Iterable[dict], on_error: Callable[[str], None] | None = None) -> AddStats:
        """Store every record, each in its own transaction; returns what happened."""
        stats = AddStats()
        for _ in self.add_stream(records, on_error=on_error, stats=stats):
            pass
        return stats

    def add_stream(
        self,
        records: Iterable[dict],
        on_error: Callable[[str], None] | None = None,
        stats: AddStats | None = None,
    ) -> Iterator[dict]:
        """Store each record as it comes and pass it on, so ``extract --db`` streams.

        A record that fails is rolled back alone, reported to ``on_error``, and still
        passed on: what was extracted is not lost because the register refused it.
        """
        stats = stats if stats is not None else AddStats()
        self.last_stats = stats
        for record in records:
            try:
                result = self.add_record(record)
            except Exception as exc:  # one bad record must not stop the stream
                name = record.get("doc", "?") if isinstance(record, dict) else "?"
                message = f"{name}: not stored in the register: {exc}"
                stats.failed += 1
                stats.errors.append(message)
                if on_error:
                    on_error(message)
                else:  # never silently: Python prints unhandled errors of a logger to stderr
                    logging.getLogger("taskreg.store").error(message)
            else:
                if result.stored:
                    stats.documents += 1
                    stats.tasks_new += result.tasks_new
                    stats.tasks_merged += result.tasks_merged
                    stats.shortcomings += result.shortcomings
                    stats.targets += result.targets
                else:
                    stats.skipped += 1
            yield record

    def add_record(self, record: dict, retries: int = 3) -> RecordResult:
        """Store one record in one transaction; a record already stored is skipped.

        A concurrent writer can insert the same task id first; the transaction then
        fails on the unique key and is simply run again, finding that task.
        """
        _check_record(record)
        for attempt in range(retries):
            try:
                with self._session.begin() as session:
                    return self._store(session, record)
            except (IntegrityError, OperationalError):
                if attempt == retries - 1:
                    raise
        raise AssertionError("unreachable")

    def _store(self, session: Session, record: dict) -> RecordResult:
        name = record["doc"]
        digest = record_hash(record)
        exists = session.scalar(
            select(DocumentRow.id).where(DocumentRow.name == name, DocumentRow.content_hash == digest)
        )
        if exists is not None:
            return RecordResult(name, stored=False)
        meta = record.get("meta") or {}
        doc = DocumentRow(
            name=name,
            content_hash=digest,
            doc_date=_to_date(meta.get("date"), "meta.date"),
            issuer=meta.get("issuer"),
            title=meta.get("title"),
            meta=meta,
            stored_at=_now(),
        )
        session.add(doc)
        session.flush()
        result = RecordResult(name, stored=True)
        for item in record.get("tasks") or []:
            if self._store_task(session, doc, item):
                result.tasks_new += 1
            else:
                result.tasks_merged += 1
        for item in record.get("shortcomings") or []:
            session.add(
                ShortcomingRow(
                    document_id=doc.id,
                    item_id=item.get("id"),
                    text=item["text"],
                    topic=item.get("topic"),
                    span_start=item.get("start"),
                    span_end=item.get("end"),
                    confidence=item.get("confidence"),
                )
            )
            result.shortcomings += 1
        for item in record.get("targets") or []:
            session.add(
                TargetRow(
                    document_id=doc.id,
                    item_id=item.get("id"),
                    text=item["text"],
                    metric=item.get("metric"),
                    value=None if item.get("value") is None else str(item.get("value")),
                    deadline=_to_date(item.get("deadline"), "target deadline"),
                    status=item.get("status"),
                    span_start=item.get("start"),
                    span_end=item.get("end"),
                    confidence=item.get("confidence"),
                )
            )
            result.targets += 1
        return result

    def _store_task(self, session: Session, doc: DocumentRow, item: dict) -> bool:
        """Attach one extracted task to the register; True when it is a new task."""
        issuer, as_of = doc.issuer, doc.doc_date
        owners = [(n, canonical_unit(n, issuer, as_of)) for n in item.get("owners") or []]
        coordinators = [(n, canonical_unit(n, issuer, as_of)) for n in item.get("coordinators") or []]
        key = owner_key(c for _, c in owners)
        norm = normalise_text(item["text"])
        variant = task_id(key, norm)
        deadline = _to_date(item.get("deadline"), "deadline")

        task = session.get(TaskRow, variant) or self._find_variant(session, variant) or self._find_similar(session, key, norm)
        is_new = task is None
        if task is None:
            task = TaskRow(
                id=variant,
                text=item["text"],
                norm_text=norm,
                n_tokens=len(set(norm.split())),
                owner_key=key,
                deadline=deadline,
                deadline_text=item.get("deadline_text"),
                assigned_by=item.get("assigned_by"),
                refs=list(item.get("refs") or []),
                confidence=item.get("confidence"),
                status="new",
                first_seen=_now(),
                updated_at=_now(),
            )
            session.add(task)
        else:
            _merge_into(task, item, deadline)
        start, end = item.get("start"), item.get("end")
        if not any(s.document_id == doc.id and s.span_start == start and s.span_end == end for s in task.sources):
            task.sources.append(
                TaskSource(
                    document_id=doc.id,
                    variant_id=variant,
                    item_id=item.get("id"),
                    span_start=start,
                    span_end=end,
                    text=item["text"],
                    deadline=deadline,
                    deadline_text=item.get("deadline_text"),
                    assigned_by=item.get("assigned_by"),
                    confidence=item.get("confidence"),
                )
            )
        present = {(u.role, u.name) for u in task.units}
        for role, units in (("owner", owners), ("coordinator", coordinators)):
            for name, canonical in units:
                if (role, name) not in present:
                    present.add((role, name))
                    task.units.append(
                        TaskUnit(role=role, name=name, canonical=canonical, folded=f"{fold(name)} | {fold(canonical)}")
                    )
        session.flush()
        return is_new

    def _find_variant(self, session: Session, variant: str) -> TaskRow | None:
        """A task one of whose mentions had exactly this content."""
        return session.scalar(select(TaskRow).join(TaskSource).where(TaskSource.variant_id == variant).limit(1))

    def _find_similar(self, session: Session, key: str, norm: str) -> TaskRow | None:
        """The most similar task of the same canonical owner, if similar enough to be the same."""
        tokens = set(norm.split())
        n = len(tokens)
        low, high = int(n * SIMILARITY), int(n / SIMILARITY) + 1  # Jaccard bounds the size ratio
        candidates = session.execute(
            select(TaskRow.id, TaskRow.norm_text).where(
                TaskRow.owner_key == key, TaskRow.n_tokens >= low, TaskRow.n_tokens <= high
            )
        ).all()
        best_id, best = None, SIMILARITY
        for cid, ctext in candidates:
            score = jaccard(tokens, set(ctext.split()))
            if score >= best and (best_id is None or score > best or cid < best_id):
                best_id, best = cid, score
        return session.get(TaskRow, best_id) if best_id else None

    # reading -----------------------------------------------------------------------------

    def tasks(
        self,
        *,
        unit: str | None = None,
        status: str | None = None,
        date_from: date | str | None = None,
        date_to: date | str | None = None,
        doc: str | None = None,
        today: date | None = None,
    ) -> list[TaskView]:
        """Tasks matching every filter given, in the order they were first read.

        ``unit`` matches an owner or coordinator as written or canonical, as a case- and
        diacritic-insensitive substring; ``date_from``/``date_to`` bound the deadline;
        ``status`` is the effective status (so "quá hạn" finds overdue tasks).
        """
        today = today or date.today()
        query = select(TaskRow).options(
            selectinload(TaskRow.units), selectinload(TaskRow.sources).selectinload(TaskSource.document)
        )
        if unit:
            needle = fold(unit)
            query = query.where(
                TaskRow.id.in_(select(TaskUnit.task_id).where(TaskUnit.folded.contains(needle, autoescape=True)))
            )
        if date_from:
            query = query.where(TaskRow.deadline >= _to_date(date_from, "from"))
        if date_to:
            query = query.where(TaskRow.deadline <= _to_date(date_to, "to"))
        if doc:
            query = query.where(
                TaskRow.id.in_(select(TaskSource.task_id).join(DocumentRow).where(DocumentRow.name == doc))
            )
        if status:
            query = query.where(_status_clause(parse_status(status), today))
        with self._session() as session:
            rows = session.scalars(query).all()
            views = [_view(row, today) for row in rows]
        return sorted(views, key=_reading_order)

    def task(self, ref: str, today: date | None = None) -> TaskView:
        """One task by id, by a unique id prefix, or by the id of one of its mentions."""
        with self._session() as session:
            row = self._resolve(session, ref)
            return _view(row, today or date.today())

    def set_status(self, ref: str, status: str, today: date | None = None) -> TaskView:
        """Record progress on a task. "quá hạn" is derived from the deadline, not set."""
        code = parse_status(status)
        if code == "overdue":
            raise ValueError("'quá hạn' (overdue) is computed from the deadline; set mới, đang thực hiện or hoàn thành")
        with self._session.begin() as session:
            row = self._resolve(session, ref)
            if row.status != code:
                row.status = code
                row.status_changed_at = _now()
                row.updated_at = _now()
            session.flush()
            return _view(row, today or date.today())

    def _resolve(self, session: Session, ref: str) -> TaskRow:
        ref = (ref or "").strip().lower()
        row = session.get(TaskRow, ref) or self._find_variant(session, ref)
        if row is not None:
            return row
        if len(ref) >= 4:
            ids = session.scalars(select(TaskRow.id).where(TaskRow.id.startswith(ref, autoescape=True)).limit(2)).all()
            if len(ids) == 1:
                return session.get(TaskRow, ids[0])
            if len(ids) > 1:
                raise KeyError(f"task id prefix {ref!r} is ambiguous")
        raise KeyError(f"no task {ref!r} in the register")

    def documents(self) -> list[dict]:
        with self._session() as session:
            rows = session.scalars(select(DocumentRow).order_by(DocumentRow.id)).all()
            return [
                {"name": d.name, "content_hash": d.content_hash, "date": d.doc_date, "issuer": d.issuer,
                 "title": d.title, "stored_at": _utc(d.stored_at)}
                for d in rows
            ]

    def shortcomings(self) -> list[dict]:
        with self._session() as session:
            rows = session.scalars(select(ShortcomingRow).options(selectinload(ShortcomingRow.document)).order_by(ShortcomingRow.id)).all()
            return [
                {"doc": r.document.name, "id": r.item_id, "text": r.text, "topic": r.topic,
                 "start": r.span_start, "end": r.span_end, "confidence": r.confidence}
                for r in rows
            ]

    def targets(self) -> list[dict]:
        with self._session() as session:
            rows = session.scalars(select(TargetRow).options(selectinload(TargetRow.document)).order_by(TargetRow.id)).all()
            return [
                {"doc": r.document.name, "id": r.item_id, "text": r.text, "metric": r.metric, "value": r.value,
                 "deadline": r.deadline.isoformat() if r.deadline else None, "status": r.status,
                 "start": r.span_start, "end": r.span_end, "confidence": r.confidence}
                for r in rows
            ]

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func

        with self._session() as session:
            return {
                table.__tablename__: session.scalar(select(func.count()).select_from(table))
                for table in (DocumentRow, TaskRow, TaskSource, TaskUnit, ShortcomingRow, TargetRow, PushRow)
            }

    # portal pushes -----------------------------------------------------------------------

    def pushed_keys(self, endpoint: str) -> set[str]:
        with self._session() as session:
            return set(session.scalars(select(PushRow.push_key).where(PushRow.endpoint == endpoint)).all())

    def record_pushes(self, endpoint: str, accepted: Iterable[tuple[str, str]]) -> int:
        """Remember (task id, push key) pairs the portal accepted; returns how many were new."""
        accepted = list(accepted)
        with self._session.begin() as session:
            known = set(
                session.scalars(
                    select(PushRow.push_key).where(
                        PushRow.endpoint == endpoint, PushRow.push_key.in_([k for _, k in accepted])
                    )
                ).all()
            )
            added = 0
            for tid, key in accepted:
                if key not in known:
                    known.add(key)
                    session.add(PushRow(endpoint=endpoint, task_id=tid, push_key=key, pushed_at=_now()))
                    added += 1
            return added


def _status_clause(code: str, today: date):
    """SQL for an effective status (the counterpart of :func:`effective_status`)."""
    from sqlalchemy import and_, or_

    not_late = or_(TaskRow.deadline.is_(None), TaskRow.deadline >= today)
    if code == "done":
        return TaskRow.status == "done"
    if code == "overdue":
        return and_(TaskRow.status != "done", TaskRow.deadline.is_not(None), TaskRow.deadline < today)
    return and_(TaskRow.status == code, not_late)


def _view(row: TaskRow, today: date) -> TaskView:
    units = list(row.units)
    return TaskView(
        id=row.id,
        text=row.text,
        owners=[UnitRef(u.name, u.canonical) for u in units if u.role == "owner"],
        coordinators=[UnitRef(u.name, u.canonical) for u in units if u.role == "coordinator"],
        deadline=row.deadline,
        deadline_text=row.deadline_text,
        assigned_by=row.assigned_by,
        refs=list(row.refs or []),
        stored_status=row.status,
        status=effective_status(row.status, row.deadline, today),
        confidence=row.confidence,
        sources=[
            SourceRef(s.document.name, s.document.doc_date, s.document.issuer, s.span_start, s.span_end, s.text)
            for s in sorted(row.sources, key=lambda s: (s.document_id, s.span_start or 0, s.id))
        ],
        first_seen=_utc(row.first_seen),
    )


def _reading_order(view: TaskView) -> tuple:
    """Documents in the order stored, tasks in the order of the text."""
    first = view.sources[0] if view.sources else None
    return (view.first_seen, first.doc if first else "", (first.start or 0) if first else 0, view.id)


def _merge_into(task: TaskRow, item: dict, deadline: date | None) -> None:
    """A new mention completes what earlier ones left empty; it never overwrites."""
    if task.deadline is None and deadline is not None:
        task.deadline = deadline
        task.deadline_text = item.get("deadline_text")
    if not task.assigned_by and item.get("assigned_by"):
        task.assigned_by = item["assigned_by"]
    refs = list(task.refs or [])
    for ref in item.get("refs") or []:
        if ref not in refs:
            refs.append(ref)
    task.refs = refs
    confidence = item.get("confidence")
    if confidence is not None and (task.confidence is None or confidence > task.confidence):
        task.confidence = confidence
    task.updated_at = _now()


def _check_record(record: Any) -> None:
    """Refuse a record the register cannot represent, before touching the database."""
    if not isinstance(record, dict):
        raise RecordError(f"a record must be an object, not {type(record).__name__}")
    if not isinstance(record.get("doc"), str) or not record["doc"]:
        raise RecordError("record has no 'doc' name")
    for kind in ("tasks", "shortcomings", "targets"):
        items = record.get(kind) or []
        if not isinstance(items, list):
            raise RecordError(f"'{kind}' must be a list")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
                raise RecordError(f"an item of '{kind}' has no text")
            for role in ("owners", "coordinators", "refs"):
                values = item.get(role) or []
                if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                    raise RecordError(f"'{role}' of a {kind[:-1]} must be a list of strings")


def _to_date(value: Any, what: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise RecordError(f"{what} {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite enforces foreign keys only when asked."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
