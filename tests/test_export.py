"""Writing records and register tasks: csv for Excel, xlsx in the offices' layout, schema-valid JSON."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from nlp.export import FORMATS, format_for, write_records, write_tasks
from nlp.schema import load_schema, validate, validator
from nlp.store import Register

try:
    from test_store import all_records, chonthanh_followup, chonthanh_report, empty_postgres, longkhanh_notice
except ImportError:  # tests/ made a package
    from tests.test_store import all_records, chonthanh_followup, chonthanh_report, empty_postgres, longkhanh_notice

DEV = Path("/work/shared/corpus/dev")


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "csv must start with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


# --- extract output: per-document records ------------------------------------------------


def test_format_kept_as_before():
    assert FORMATS == ("jsonl", "json", "csv", "xlsx")
    assert format_for(Path("x.xlsx"), None) == "xlsx" and format_for(Path("x.CSV"), None) == "csv"
    assert format_for(None, None) == "jsonl" and format_for(Path("x.txt"), "json") == "json"


def test_records_csv_one_row_per_task_with_bom(tmp_path):
    out = tmp_path / "register.csv"
    n = write_records(iter(all_records()), out, "csv")
    assert n == 3
    rows = read_csv(out)
    assert list(rows[0]) == ["doc", "STT", "text", "owners", "coordinators", "deadline", "deadline_text",
                             "assigned_by", "refs", "confidence", "id"]
    assert len(rows) == 9 and [r["STT"] for r in rows] == [str(i) for i in range(1, 10)]
    dialogue = next(r for r in rows if "đối thoại" in r["text"])
    assert dialogue["doc"] == "longkhanh-giaingan-tb-2024-11-06.txt"
    assert dialogue["owners"] == "Trung tâm Phát triển quỹ đất thành phố"
    assert dialogue["coordinators"] == "UBND phường Xuân Tân; UBND phường Xuân Lập"
    assert dialogue["deadline"] == "2024-11-15" and dialogue["deadline_text"] == "trước ngày 15 tháng 11 năm 2024"
    assert dialogue["assigned_by"] == "Chủ tịch UBND thành phố" and float(dialogue["confidence"]) == 0.9
    first = rows[0]
    assert first["refs"] == "Kế hoạch số 11/KH-UBND ngày 13/01/2023"


def test_csv_cells_are_never_formulas(tmp_path):
    rec = chonthanh_report()
    rec["tasks"][0]["text"] = "=HYPERLINK(\"http://x\")"
    out = tmp_path / "x.csv"
    write_records([rec], out, "csv")
    assert read_csv(out)[0]["text"] == "'=HYPERLINK(\"http://x\")"


def test_records_xlsx_layout(tmp_path):
    out = tmp_path / "register.xlsx"
    rec = chonthanh_report()
    rec["tasks"][0]["text"] = "=1+1 không phải công thức"
    n = write_records(iter([rec, chonthanh_followup(), longkhanh_notice()]), out, "xlsx")
    assert n == 3
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Nhiệm vụ", "Tồn tại, hạn chế", "Chỉ tiêu"]
    ws = book["Nhiệm vụ"]
    headers = [c.value for c in ws[1]]
    assert headers[:7] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
                           "Văn bản/nguồn", "Trạng thái"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}10"
    assert ws.max_row == 10
    assert ws.column_dimensions["B"].width == 70
    col = {h: i + 1 for i, h in enumerate(headers)}
    row = next(r for r in range(2, 11) if "đối thoại" in ws.cell(r, col["Nội dung nhiệm vụ"]).value)
    deadline = ws.cell(row, col["Thời hạn"])
    assert deadline.value == datetime(2024, 11, 15) and deadline.number_format == "dd/mm/yyyy"
    assert deadline.is_date
    assert ws.cell(row, col["Đơn vị phối hợp"]).value == "UBND phường Xuân Tân; UBND phường Xuân Lập"
    assert ws.cell(row, col["Văn bản/nguồn"]).value == (
        "longkhanh-giaingan-tb-2024-11-06.txt — UBND thành phố Long Khánh, 06/11/2024")
    expected = "quá hạn" if date.today() > date(2024, 11, 15) else "mới"
    assert ws.cell(row, col["Trạng thái"]).value == expected
    assert ws.cell(row, col["Nội dung nhiệm vụ"]).alignment.wrap_text
    formula_like = ws.cell(2, col["Nội dung nhiệm vụ"])
    assert formula_like.value == "=1+1 không phải công thức" and formula_like.data_type == "s"
    no_deadline = next(r for r in range(2, 11) if ws.cell(r, col["Nội dung nhiệm vụ"]).value.startswith("Rà soát các gói"))
    assert ws.cell(no_deadline, col["Thời hạn"]).value is None
    assert ws.cell(no_deadline, col["Trạng thái"]).value == "mới"

    sc = book["Tồn tại, hạn chế"]
    assert [c.value for c in sc[1]][:3] == ["STT", "Nội dung tồn tại, hạn chế", "Lĩnh vực"]
    assert sc.max_row == 4 and sc.freeze_panes == "A2" and sc.auto_filter.ref
    assert sc.cell(2, 2).value == "Tỷ lệ hồ sơ thủ tục hành chính giải quyết quá hạn còn cao"

    tg = book["Chỉ tiêu"]
    t_headers = [c.value for c in tg[1]]
    assert t_headers[:6] == ["STT", "Nội dung", "Chỉ tiêu", "Giá trị", "Thời hạn", "Tình trạng"]
    assert tg.max_row == 3
    assert tg.cell(2, 4).value == "100%" and tg.cell(2, 6).value == "Chưa đạt"
    assert tg.cell(3, 5).value == datetime(2023, 12, 31) and tg.cell(3, 5).number_format == "dd/mm/yyyy"


def test_records_json_and_jsonl_validate_against_the_document_schema(tmp_path):
    jsonl, js = tmp_path / "r.jsonl", tmp_path / "r.json"
    write_records(all_records(), jsonl, "jsonl")
    write_records(all_records(), js, "json")
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    for rec in lines + json.loads(js.read_text(encoding="utf-8")):
        validate(rec, "document")


def test_document_schema_rejects_broken_records():
    check = validator("document")
    rec = chonthanh_report()
    rec["tasks"][1]["deadline"] = "30/10/2023"
    del rec["tasks"][0]["owners"]
    rec["targets"][0]["status"] = "partly"
    messages = " | ".join(e.message for e in check.iter_errors(rec))
    assert "'owners' is a required property" in messages
    assert "30/10/2023" in messages and "partly" in messages


@pytest.mark.skipif(not DEV.is_dir(), reason="no shared dev corpus on this machine")
def test_real_extraction_output_validates(tmp_path):
    """The extractor's actual records, written as jsonl, fit the shipped schema."""
    from nlp import extract_file

    sources = [DEV / "chonthanh-cchc-2023-09-22.txt", DEV / "devA-longkhanh-giaingan-tb-2024-11-06.docx.txt"]
    records = [extract_file(str(p)) for p in sources if p.exists()]
    assert records
    out = tmp_path / "real.jsonl"
    write_records(records, out, "jsonl")
    for line in out.read_text(encoding="utf-8").splitlines():
        validate(json.loads(line), "document")
    # and the same records, stored and exported as tasks, fit the task schema
    with Register(f"sqlite:///{tmp_path / 'r.sqlite'}") as reg:
        stats = reg.add_records(records)
        assert stats.failed == 0
        tasks = [t.to_dict() for t in reg.tasks()]
    assert tasks
    for task in tasks:
        validate(task, "task")


# --- register export ----------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def filled(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}" if request.param == "sqlite" else empty_postgres()
    with Register(url) as reg:
        reg.add_records(all_records())
        plan = next(t for t in reg.tasks() if t.text.startswith("Tham mưu UBND thị xã"))
        reg.set_status(plan.id, "hoàn thành")
    return url


def test_register_jsonl_is_one_valid_task_per_line(filled, tmp_path):
    with Register(filled) as reg:
        tasks = [t.to_dict() for t in reg.tasks(today=date(2024, 1, 2))]
    out = tmp_path / "tasks.jsonl"
    assert write_tasks(tasks, out, "jsonl") == 7
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 7
    parsed = [json.loads(line) for line in lines]
    for task in parsed:
        validate(task, "task")
    merged = next(t for t in parsed if t["text"].startswith("Tham mưu UBND thị xã"))
    assert [s["doc"] for s in merged["sources"]] == ["chonthanh-cchc-2023-09-22.txt", "chonthanh-bc-2023-12-15.txt"]
    assert merged["status"] == "done" and merged["status_label"] == "hoàn thành"
    late = next(t for t in parsed if "số hóa 100%" in t["text"])
    assert late["status"] == "overdue" and late["status_label"] == "quá hạn"


def test_task_schema_rejects_what_is_not_a_task(filled):
    with Register(filled) as reg:
        task = reg.tasks()[0].to_dict()
    check = validator("task")
    bad = dict(task, status="paused", id="42", sources=[])
    errors = {e.validator for e in check.iter_errors(bad)}
    assert {"enum", "pattern", "minItems"} <= errors
    assert load_schema("task")["properties"]["status"]["enum"] == ["new", "in_progress", "done", "overdue"]


def test_register_xlsx_layout(filled, tmp_path):
    with Register(filled) as reg:
        tasks = [t.to_dict() for t in reg.tasks(today=date(2024, 1, 2))]
    out = tmp_path / "so-theo-doi.xlsx"
    assert write_tasks(tasks, out, "xlsx") == 7
    ws = openpyxl.load_workbook(out).active
    headers = [c.value for c in ws[1]]
    assert headers[:7] == ["STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
                           "Văn bản/nguồn", "Trạng thái"]
    assert headers[-1] == "Mã nhiệm vụ"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}8"
    assert [ws.cell(r, 1).value for r in range(2, 9)] == list(range(1, 8))
    rows = {ws.cell(r, 2).value[:20]: [c.value for c in ws[r]] for r in range(2, 9)}
    plan = rows["Tham mưu UBND thị xã"]
    assert plan[2] == "Phòng Nội vụ"
    assert plan[3] == "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thị xã Chơn Thành"
    assert plan[4] == datetime(2023, 10, 30)
    assert plan[5] == "chonthanh-cchc-2023-09-22.txt (22/09/2023)\nchonthanh-bc-2023-12-15.txt (15/12/2023)"
    assert plan[6] == "hoàn thành"
    dialogue = rows["chủ trì, phối hợp vớ"]
    assert dialogue[3] == "Ủy ban nhân dân phường Hàng Gòn; Ủy ban nhân dân phường Xuân Lập"
    assert dialogue[6] == "mới"  # 15/11/2024 is after 2 Jan 2024
    date_cell = next(ws.cell(r, 5) for r in range(2, 9) if ws.cell(r, 5).value is not None)
    assert date_cell.number_format == "dd/mm/yyyy"
    assert ws.cell(2, 2).alignment.wrap_text


def test_register_csv(filled, tmp_path):
    with Register(filled) as reg:
        tasks = [t.to_dict() for t in reg.tasks(unit="phòng nội vụ", today=date(2024, 1, 2))]
    out = tmp_path / "t.csv"
    assert write_tasks(tasks, out, "csv") == 2
    rows = read_csv(out)
    survey = next(r for r in rows if r["text"].startswith("Tổ chức khảo sát"))
    assert survey["owners"] == "Ủy ban nhân dân thị xã Chơn Thành" and survey["owners_as_written"] == "UBND thị xã"
    assert survey["coordinators"] == "Phòng Nội vụ" and survey["status_label"] == "mới"
    assert survey["sources"] == "chonthanh-bc-2023-12-15.txt (15/12/2023)"


# --- the export command -------------------------------------------------------------------


def test_export_command_filters_and_formats(filled, tmp_path):
    from cli import app

    runner = CliRunner()
    out = tmp_path / "late.xlsx"
    result = runner.invoke(app, ["export", "--db", filled, "--format", "xlsx", "-o", str(out),
                                 "--status", "qua han", "--today", "2024-11-20"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).active
    # digitisation (31/12/2023), the survey (31/3/2024), two Long Khánh tasks (15/11/2024); not the done plan
    assert sorted(ws.cell(r, 5).value.date() for r in range(2, ws.max_row + 1)) == [
        date(2023, 12, 31), date(2024, 3, 31), date(2024, 11, 15), date(2024, 11, 15)]
    assert {ws.cell(r, 7).value for r in range(2, 6)} == {"quá hạn"}

    out = tmp_path / "unit.jsonl"
    result = runner.invoke(app, ["export", "--db", filled, "-o", str(out), "--unit", "TAI CHINH - KE HOACH"])
    assert result.exit_code == 0, result.output
    [line] = out.read_text(encoding="utf-8").splitlines()
    task = json.loads(line)
    validate(task, "task")
    assert task["owners"] == [{"name": "Phòng Tài chính - Kế hoạch", "canonical": "Phòng Tài chính - Kế hoạch"}]

    out = tmp_path / "range.csv"
    result = runner.invoke(app, ["export", "--db", filled, "-o", str(out), "--from", "01/10/2023", "--to", "2023-12-31"])
    assert result.exit_code == 0, result.output
    assert len(read_csv(out)) == 2

    result = runner.invoke(app, ["export", "--db", filled, "-o", str(tmp_path / "x.csv"), "--status", "paused"])
    assert result.exit_code == 2 and "unknown status" in result.output


def test_set_status_command(filled):
    from cli import app

    runner = CliRunner()
    with Register(filled) as reg:
        survey = next(t for t in reg.tasks() if t.text.startswith("Tổ chức khảo sát"))
    result = runner.invoke(app, ["task", "set-status", survey.id[:10], "Đang thực hiện", "--db", filled])
    assert result.exit_code == 0, result.output
    assert "đang thực hiện" in result.output
    with Register(filled) as reg:
        assert reg.task(survey.id).stored_status == "in_progress"
    result = runner.invoke(app, ["task", "set-status", survey.id, "quá hạn", "--db", filled])
    assert result.exit_code == 2 and "computed from the deadline" in result.output
    result = runner.invoke(app, ["task", "set-status", survey.id, "done", "--db", filled])
    assert result.exit_code == 0
    with Register(filled) as reg:
        assert reg.task(survey.id).status == "done"


def test_cli_imports_only_typer():
    import subprocess
    import sys

    code = "import sys, cli; print(sorted(m for m in ('sqlalchemy', 'openpyxl', 'nlp.store', 'pandas') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.skipif(not DEV.is_dir(), reason="no shared dev corpus on this machine")
def test_extract_with_db_and_add_fill_the_register(tmp_path):
    """extract -o X.xlsx --db streams into the register; add stores; neither adds twice."""
    from cli import app

    runner = CliRunner()
    source = DEV / "chonthanh-cchc-2023-09-22.txt"
    db = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    out = tmp_path / "extract.xlsx"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out), "--db", db, "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Nhiệm vụ", "Tồn tại, hạn chế", "Chỉ tiêu"]
    with Register(db) as reg:
        counts = reg.counts()
        extracted = book["Nhiệm vụ"].max_row - 1
        assert counts["documents"] == 1 and 0 < counts["tasks"] <= extracted  # repeats within a text merge
        assert counts["task_sources"] == extracted
        owners = {u.canonical for t in reg.tasks() for u in t.owners}
    assert "Thủ trưởng các cơ quan, đơn vị, địa phương" in owners

    result = runner.invoke(app, ["add", str(source), "--db", db, "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "0 documents stored, 1 already in the register" in result.output
    with Register(db) as reg:
        assert reg.counts() == counts

    csv_out = tmp_path / "extract.csv"
    result = runner.invoke(app, ["extract", str(source), "-o", str(csv_out), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    rows = read_csv(csv_out)
    assert len(rows) == extracted and all(r["doc"] == source.name for r in rows)
