"""Export stage: write extraction records as jsonl / json / csv / xlsx.

Two shapes are written: per-document records (``taskreg extract``: :func:`write_records`)
and register tasks (``taskreg export``: :func:`write_tasks`). CSV is UTF-8 with a BOM so
Excel reads Vietnamese correctly; XLSX follows the layout offices keep their registers
in (STT, Nội dung nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời hạn, Văn bản/nguồn,
Trạng thái) with a frozen header, filters, wrapped text and real Excel dates.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable

FORMATS = ("jsonl", "json", "csv", "xlsx")


def format_for(out: Path | None, fmt: str | None) -> str:
    """The format asked for, else the one -o's extension names, else jsonl."""
    if fmt:
        return fmt
    if out is not None and out.suffix.lower().lstrip(".") in FORMATS:
        return out.suffix.lower().lstrip(".")
    return "jsonl"


def write_records(records: Iterable[dict], out: Path | None, fmt: str) -> int:
    """Write per-document records; jsonl streams. Returns the number of documents written."""
    n = 0
    if fmt == "jsonl":
        fh = open(out, "w", encoding="utf-8") if out else sys.stdout
        try:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
                fh.flush()
                n += 1
        finally:
            if out:
                fh.close()
        return n
    if fmt == "csv":
        return _records_csv(records, out)
    if fmt == "xlsx":
        return _records_xlsx(records, out)
    recs = list(records)
    if fmt == "json":
        data = json.dumps(recs, ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(data + "\n", encoding="utf-8")
        else:
            sys.stdout.write(data + "\n")
        return len(recs)
    raise ValueError(f"format {fmt} not supported yet")


# --- per-document records: csv and xlsx ---------------------------------------------------

RECORD_CSV_COLUMNS = (
    "doc", "STT", "text", "owners", "coordinators", "deadline", "deadline_text",
    "assigned_by", "refs", "confidence", "id",
)


def _records_csv(records: Iterable[dict], out: Path | None) -> int:
    """One row per task, streamed; owners, coordinators and refs joined with "; "."""
    n = stt = 0
    with _text_output(out) as fh:
        writer = csv.writer(fh)
        writer.writerow(RECORD_CSV_COLUMNS)
        for rec in records:
            n += 1
            for task in rec.get("tasks") or []:
                stt += 1
                writer.writerow(_csv_safe([
                    rec.get("doc"), stt, task.get("text"), _join(task.get("owners")),
                    _join(task.get("coordinators")), task.get("deadline"), task.get("deadline_text"),
                    task.get("assigned_by"), _join(task.get("refs")), task.get("confidence"), task.get("id"),
                ]))
            fh.flush()
    return n


def _records_xlsx(records: Iterable[dict], out: Path | None, today: date | None = None) -> int:
    """Tasks on the first sheet; shortcomings and targets on "Tồn tại, hạn chế" and "Chỉ tiêu"."""
    from .store import STATUS_LABELS, effective_status

    today = today or date.today()
    tasks: list[list] = []
    shortcomings: list[list] = []
    targets: list[list] = []
    n = 0
    for rec in records:
        n += 1
        source = _record_source(rec)
        for task in rec.get("tasks") or []:
            deadline = _as_date(task.get("deadline"))
            status = effective_status("new", deadline if isinstance(deadline, date) else None, today)
            tasks.append([
                len(tasks) + 1, task.get("text"), _join(task.get("owners")), _join(task.get("coordinators")),
                deadline, source, STATUS_LABELS[status], task.get("deadline_text"), task.get("assigned_by"),
                _join(task.get("refs"), "\n"), task.get("confidence"), task.get("id"),
            ])
        for item in rec.get("shortcomings") or []:
            shortcomings.append([
                len(shortcomings) + 1, item.get("text"), item.get("topic"), source,
                item.get("confidence"), item.get("id"),
            ])
        for item in rec.get("targets") or []:
            targets.append([
                len(targets) + 1, item.get("text"), item.get("metric"), item.get("value"),
                _as_date(item.get("deadline")), _TARGET_STATUS.get(item.get("status"), item.get("status")),
                source, item.get("confidence"), item.get("id"),
            ])
    book = _workbook()
    _fill_sheet(book.active, "Nhiệm vụ", TASK_SHEET + RECORD_TASK_EXTRA, tasks)
    _fill_sheet(book.create_sheet(), "Tồn tại, hạn chế", SHORTCOMING_SHEET, shortcomings)
    _fill_sheet(book.create_sheet(), "Chỉ tiêu", TARGET_SHEET, targets)
    _save(book, out)
    return n


_TARGET_STATUS = {"met": "Đạt", "not_met": "Chưa đạt", None: None}


def _record_source(rec: dict) -> str:
    """ "bao-cao.txt — UBND thành phố Long Khánh, 06/11/2024" """
    meta = rec.get("meta") or {}
    when = _as_date(meta.get("date"))
    parts = [p for p in (meta.get("issuer"), when.strftime("%d/%m/%Y") if isinstance(when, date) else None) if p]
    return f"{rec.get('doc')} — {', '.join(parts)}" if parts else str(rec.get("doc"))


# --- register tasks: jsonl, json, csv, xlsx -----------------------------------------------

TASK_CSV_COLUMNS = (
    "STT", "id", "text", "owners", "owners_as_written", "coordinators", "coordinators_as_written",
    "deadline", "deadline_text", "assigned_by", "refs", "status", "status_label", "sources", "confidence",
)


def write_tasks(tasks: Iterable[dict], out: Path | None, fmt: str) -> int:
    """Write register tasks (dicts of nlp/schema/task.schema.json); jsonl is one task per line."""
    if fmt == "jsonl":
        n = 0
        with _text_output(out, bom=False) as fh:
            for task in tasks:
                fh.write(json.dumps(task, ensure_ascii=False) + "\n")
                n += 1
        return n
    if fmt == "json":
        items = list(tasks)
        with _text_output(out, bom=False) as fh:
            fh.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return len(items)
    if fmt == "csv":
        n = 0
        with _text_output(out) as fh:
            writer = csv.writer(fh)
            writer.writerow(TASK_CSV_COLUMNS)
            for task in tasks:
                n += 1
                writer.writerow(_csv_safe([
                    n, task["id"], task["text"], _join(_canonical(task["owners"])),
                    _join(u["name"] for u in task["owners"]), _join(_canonical(task["coordinators"])),
                    _join(u["name"] for u in task["coordinators"]), task.get("deadline"), task.get("deadline_text"),
                    task.get("assigned_by"), _join(task.get("refs")), task["status"], task["status_label"],
                    _join(_task_source(s) for s in task.get("sources") or []), task.get("confidence"),
                ]))
        return n
    if fmt == "xlsx":
        rows = []
        for task in tasks:
            rows.append([
                len(rows) + 1, task["text"], _join(_canonical(task["owners"])), _join(_canonical(task["coordinators"])),
                _as_date(task.get("deadline")), _join((_task_source(s) for s in task.get("sources") or []), "\n"),
                task["status_label"], task.get("deadline_text"), task.get("assigned_by"),
                _join(task.get("refs"), "\n"), task["id"],
            ])
        book = _workbook()
        _fill_sheet(book.active, "Sổ theo dõi nhiệm vụ", TASK_SHEET + REGISTER_TASK_EXTRA, rows)
        _save(book, out)
        return len(rows)
    raise ValueError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")


def _canonical(units: Iterable[dict]) -> list[str]:
    """Canonical names, each once, in order."""
    seen: dict[str, None] = {}
    for unit in units:
        seen.setdefault(unit.get("canonical") or unit["name"], None)
    return list(seen)


def _task_source(source: dict) -> str:
    when = _as_date(source.get("date"))
    return f"{source['doc']} ({when.strftime('%d/%m/%Y')})" if isinstance(when, date) else source["doc"]


# --- sheets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text | date | number | int


TASK_SHEET = (
    Column("STT", 6, "int"),
    Column("Nội dung nhiệm vụ", 70),
    Column("Đơn vị chủ trì", 32),
    Column("Đơn vị phối hợp", 32),
    Column("Thời hạn", 12, "date"),
    Column("Văn bản/nguồn", 36),
    Column("Trạng thái", 16),
    Column("Thời hạn (nguyên văn)", 24),
    Column("Người chỉ đạo", 24),
    Column("Văn bản liên quan", 32),
)
RECORD_TASK_EXTRA = (Column("Độ tin cậy", 11, "number"), Column("Mã", 14))
REGISTER_TASK_EXTRA = (Column("Mã nhiệm vụ", 18),)
SHORTCOMING_SHEET = (
    Column("STT", 6, "int"),
    Column("Nội dung tồn tại, hạn chế", 80),
    Column("Lĩnh vực", 32),
    Column("Văn bản/nguồn", 36),
    Column("Độ tin cậy", 11, "number"),
    Column("Mã", 14),
)
TARGET_SHEET = (
    Column("STT", 6, "int"),
    Column("Nội dung", 60),
    Column("Chỉ tiêu", 32),
    Column("Giá trị", 14),
    Column("Thời hạn", 12, "date"),
    Column("Tình trạng", 12),
    Column("Văn bản/nguồn", 36),
    Column("Độ tin cậy", 11, "number"),
    Column("Mã", 14),
)


def _workbook():
    from openpyxl import Workbook

    return Workbook()


def _fill_sheet(ws, title: str, columns: Iterable[Column], rows: list[list]) -> None:
    """Header row, then rows; frozen header, autofilter, widths, wrapped text, Excel dates."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    columns = list(columns)
    ws.title = title
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    centre = Alignment(horizontal="center", vertical="top")
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.header)
        cell.font, cell.fill, cell.alignment = header_font, header_fill, header_align
        ws.column_dimensions[get_column_letter(j)].width = col.width
    for i, row in enumerate(rows, start=2):
        for j, (col, value) in enumerate(zip(columns, row), start=1):
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with "=" stays text, never a formula
            if col.kind == "date" and isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
                cell.alignment = centre
            elif col.kind == "number":
                cell.number_format = "0.00"
                cell.alignment = centre
            elif col.kind == "int":
                cell.alignment = centre
            else:
                cell.alignment = wrap
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"
    ws.sheet_view.zoomScale = 100


def _save(book, out: Path | None) -> None:
    if out:
        book.save(out)
        return
    buffer = io.BytesIO()
    book.save(buffer)
    sys.stdout.buffer.write(buffer.getvalue())
    sys.stdout.buffer.flush()


# --- small helpers -------------------------------------------------------------------------


class _text_output:
    """A text file (UTF-8, with a BOM for csv so Excel reads it as UTF-8) or stdout."""

    def __init__(self, out: Path | None, bom: bool = True) -> None:
        self.out, self.bom = out, bom

    def __enter__(self):
        if self.out:
            self.fh = open(self.out, "w", encoding="utf-8-sig" if self.bom else "utf-8", newline="")
        else:
            self.fh = sys.stdout
            if self.bom:
                self.fh.write("\ufeff")
        return self.fh

    def __exit__(self, *exc: object) -> None:
        if self.out:
            self.fh.close()
        else:
            self.fh.flush()


def _join(values: Iterable[Any] | None, sep: str = "; ") -> str:
    return sep.join(str(v) for v in values or [] if v not in (None, ""))


def _as_date(value: Any) -> Any:
    """An ISO date string as a date (so Excel gets a real date); anything else unchanged."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


def _csv_safe(row: list) -> list:
    """Keep a cell that starts with "=" or "@" from being run as a formula when Excel opens the csv."""
    return ["'" + v if isinstance(v, str) and v[:1] in ("=", "@") else v for v in row]
