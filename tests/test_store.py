"""The register against real databases: SQLite files and PostgreSQL.

PostgreSQL comes from $TASKREG_TEST_PG (see .ci/postgres.sh); without it the tests
start a throwaway server with initdb/pg_ctl when those exist, else they skip saying why.
"""
from __future__ import annotations

import atexit
import copy
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from datetime import date
from pathlib import Path

import pytest

from nlp.store import (
    AddStats,
    Base,
    Register,
    default_url,
    effective_status,
    jaccard,
    normalise_text,
    owner_key,
    parse_status,
    task_id,
)
from nlp.units import canonical_unit

# --- PostgreSQL ----------------------------------------------------------------------------

_PG: dict[str, str] = {}


def _pg_bindir() -> str | None:
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.access(f"{bindir}/initdb", os.X_OK) and os.access(f"{bindir}/pg_ctl", os.X_OK):
            return bindir
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return os.path.dirname(initdb)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_throwaway_postgres() -> str:
    """initdb + pg_ctl into a temp folder (as the postgres user when we are root)."""
    bindir = _pg_bindir()
    if bindir is None:
        raise RuntimeError(
            "PostgreSQL tests skipped: TASKREG_TEST_PG is not set and no initdb/pg_ctl was found "
            "(install postgresql or run: eval \"$(.ci/postgres.sh)\")"
        )
    prefix: list[str] = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    _stop_orphans(bindir, prefix)
    root = tempfile.mkdtemp(prefix="taskreg-pg-")
    Path(root, "owner.pid").write_text(str(os.getpid()))
    if os.geteuid() == 0:
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            raise RuntimeError("PostgreSQL tests skipped: running as root and there is no 'postgres' user for initdb")
        shutil.chown(root, "postgres")
    data, port = f"{root}/data", _free_port()
    subprocess.run(
        prefix + [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C"],
        check=True, capture_output=True,
    )
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} -c fsync=off"
    subprocess.run(
        prefix + [f"{bindir}/pg_ctl", "-D", data, "-l", f"{root}/server.log", "-w", "-o", options, "start"],
        check=True, capture_output=True,
    )

    def stop() -> None:
        subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def _stop_orphans(bindir: str, prefix: list[str]) -> None:
    """Stop servers of earlier test runs that died before their atexit hook (e.g. killed)."""
    for owner in glob.glob(os.path.join(tempfile.gettempdir(), "taskreg-pg-*", "owner.pid")):
        root = os.path.dirname(owner)
        try:
            os.kill(int(Path(owner).read_text()), 0)
            continue  # that test run is still alive
        except ProcessLookupError:
            pass
        except (ValueError, PermissionError):
            continue
        subprocess.run(prefix + [f"{bindir}/pg_ctl", "-D", f"{root}/data", "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def postgres_url() -> str:
    """A PostgreSQL URL for the tests, started once per test session."""
    pytest.importorskip("psycopg", reason="PostgreSQL tests need psycopg (pip install 'psycopg[binary]')")
    if "skip" in _PG:
        pytest.skip(_PG["skip"])
    if "url" not in _PG:
        url = os.environ.get("TASKREG_TEST_PG")
        if not url:
            try:
                url = _start_throwaway_postgres()
            except (RuntimeError, subprocess.CalledProcessError, OSError) as exc:
                detail = getattr(exc, "stderr", b"") or b""
                _PG["skip"] = f"{exc} {detail.decode(errors='replace')[-300:]}".strip()
                pytest.skip(_PG["skip"])
        _PG["url"] = url
    return _PG["url"]


def empty_postgres() -> str:
    """The test PostgreSQL database with the register's tables dropped."""
    from sqlalchemy import create_engine

    url = postgres_url()
    engine = create_engine(url)
    try:
        Base.metadata.drop_all(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty register database: an SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.sqlite'}"
    return empty_postgres()


@pytest.fixture
def register(db_url):
    reg = Register(db_url)
    yield reg
    reg.close()


# --- records as the extractor writes them ---------------------------------------------------

CHONTHANH = "UBND thị xã Chơn Thành"


def task(text, owners=(), coordinators=(), deadline=None, deadline_text=None, assigned_by=None, refs=(), start=0, confidence=0.9):
    return {
        "id": f"i{abs(hash(text)) % 10**10}",
        "text": text,
        "owners": list(owners),
        "coordinators": list(coordinators),
        "deadline": deadline,
        "deadline_text": deadline_text,
        "assigned_by": assigned_by,
        "refs": list(refs),
        "start": start,
        "end": start + len(text),
        "confidence": confidence,
    }


def chonthanh_report() -> dict:
    """Thông báo kết luận on cải cách hành chính, Chơn Thành, 22/9/2023."""
    return {
        "doc": "chonthanh-cchc-2023-09-22.txt",
        "meta": {
            "date": "2023-09-22",
            "issuer": CHONTHANH,
            "chair": "Hà Duy Đạt",
            "title": "Đánh giá kết quả thực hiện nhiệm vụ cải cách hành chính năm 2022, nâng cao chỉ số PAPI, SIPAS, PAR Index năm 2023",
        },
        "tasks": [
            task(
                "tập trung rà soát, đẩy nhanh tiến độ thực hiện các nội dung theo Kế hoạch số 11/KH-UBND ngày 13/01/2023 "
                "về việc triển khai thực hiện công tác cải cách hành chính năm 2023 trên địa bàn thị xã Chơn Thành",
                owners=["Thủ trưởng các cơ quan, đơn vị, địa phương"],
                assigned_by="Chủ tịch UBND thị xã",
                refs=["Kế hoạch số 11/KH-UBND ngày 13/01/2023"],
                start=1520,
            ),
            task(
                "Tham mưu UBND thị xã ban hành kế hoạch khắc phục những tồn tại, hạn chế của Chỉ số CCHC năm 2022, "
                "hoàn thành trước ngày 30/10/2023",
                owners=["Phòng Nội vụ"],
                coordinators=["Văn phòng HĐND và UBND thị xã"],
                deadline="2023-10-30",
                deadline_text="trước ngày 30/10/2023",
                assigned_by="Chủ tịch UBND thị xã",
                start=1790,
            ),
            task(
                "chỉ đạo bộ phận tiếp nhận và trả kết quả số hóa 100% hồ sơ thủ tục hành chính khi tiếp nhận trong năm 2023",
                owners=["UBND các xã, phường"],
                deadline="2023-12-31",
                deadline_text="năm 2023",
                assigned_by="Chủ tịch UBND thị xã",
                start=1950,
            ),
        ],
        "shortcomings": [
            {"id": "s1", "text": "Tỷ lệ hồ sơ thủ tục hành chính giải quyết quá hạn còn cao",
             "topic": "tỷ lệ hồ sơ giải quyết quá hạn", "start": 800, "end": 857, "confidence": 0.8},
            {"id": "s2", "text": "tỷ lệ văn bản ký số còn thấp", "topic": "tỷ lệ văn bản ký số",
             "start": 860, "end": 888, "confidence": 0.75},
        ],
        "targets": [
            {"id": "g1", "text": "việc số hóa hồ sơ thủ tục hành chính chưa đạt chỉ tiêu tỉnh giao (100%)",
             "metric": "số hóa hồ sơ thủ tục hành chính", "value": "100%", "deadline": None, "status": "not_met",
             "start": 900, "end": 970, "confidence": 0.7},
            {"id": "g2", "text": "nâng cao chỉ số PAPI", "metric": "chỉ số PAPI", "value": None,
             "deadline": "2023-12-31", "status": None, "start": 300, "end": 320, "confidence": 0.6},
        ],
    }


def chonthanh_followup() -> dict:
    """A later report of the same thị xã that repeats two directives in other words."""
    return {
        "doc": "chonthanh-bc-2023-12-15.txt",
        "meta": {"date": "2023-12-15", "issuer": "Ủy ban nhân dân thị xã Chơn Thành", "chair": None,
                 "title": "Báo cáo kết quả cải cách hành chính năm 2023"},
        "tasks": [
            # same directive: "những" → "các", case and punctuation differ
            task(
                "Tham mưu UBND thị xã ban hành Kế hoạch khắc phục các tồn tại, hạn chế của chỉ số CCHC năm 2022; "
                "hoàn thành trước ngày 30/10/2023.",
                owners=["Phòng Nội vụ"],
                coordinators=["Văn phòng HĐND-UBND thị xã"],
                deadline="2023-10-30",
                deadline_text="trước ngày 30/10/2023",
                start=410,
            ),
            # same words as the first report, owner written out in full
            task(
                "Chỉ đạo bộ phận tiếp nhận và trả kết quả số hóa 100% hồ sơ thủ tục hành chính khi tiếp nhận trong năm 2023.",
                owners=["Ủy ban nhân dân các xã, phường"],
                deadline="2023-12-31",
                deadline_text="năm 2023",
                start=700,
            ),
            # a new directive
            task(
                "Tổ chức khảo sát mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành chính",
                owners=["UBND thị xã"],
                coordinators=["Phòng Nội vụ"],
                deadline="2024-03-31",
                deadline_text="quý I/2024",
                start=900,
            ),
        ],
        "shortcomings": [],
        "targets": [],
    }


def longkhanh_notice() -> dict:
    """Thông báo kết luận on đầu tư công, Long Khánh, 6/11/2024."""
    return {
        "doc": "longkhanh-giaingan-tb-2024-11-06.txt",
        "meta": {"date": "2024-11-06", "issuer": "UBND thành phố Long Khánh", "chair": "Lâm Văn Hậu",
                 "title": "Kết luận của Chủ tịch UBND thành phố tại cuộc họp giao ban công tác đầu tư công tháng 10 năm 2024"},
        "tasks": [
            task(
                "chủ trì, phối hợp với UBND phường Xuân Tân, UBND phường Xuân Lập tổ chức đối thoại với 21 hộ chưa thống nhất "
                "phương án bồi thường, báo cáo kết quả về UBND thành phố trước ngày 15 tháng 11 năm 2024",
                owners=["Trung tâm Phát triển quỹ đất thành phố"],
                coordinators=["UBND phường Xuân Tân", "UBND phường Xuân Lập"],
                deadline="2024-11-15",
                deadline_text="trước ngày 15 tháng 11 năm 2024",
                assigned_by="Chủ tịch UBND thành phố",
                start=2210,
            ),
            task(
                "Tham mưu UBND thành phố điều chuyển kế hoạch vốn của dự án Khu tái định cư phường Suối Tre sang các dự án "
                "có khối lượng hoàn thành, xong trước ngày 15/11/2024",
                owners=["Phòng Tài chính - Kế hoạch"],
                deadline="2024-11-15",
                deadline_text="trước ngày 15/11/2024",
                assigned_by="Chủ tịch UBND thành phố",
                start=2600,
            ),
            task(
                "Rà soát các gói thầu đã hoàn thành, thực hiện quyết toán dự án hoàn thành theo đúng quy định",
                owners=["Ban Quản lý dự án đầu tư xây dựng thành phố"],
                assigned_by="Chủ tịch UBND thành phố",
                start=1980,
            ),
        ],
        "shortcomings": [
            {"id": "s9", "text": "tỷ lệ giải ngân vốn đầu tư công đạt thấp", "topic": "giải ngân vốn đầu tư công",
             "start": 500, "end": 541, "confidence": 0.8},
        ],
        "targets": [],
    }


def all_records() -> list[dict]:
    return [chonthanh_report(), chonthanh_followup(), longkhanh_notice()]


# --- database URL ---------------------------------------------------------------------------


def test_default_url_prefers_option_then_env_then_local_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("TASKREG_DB", raising=False)
    assert default_url(None) == "sqlite:///taskreg.sqlite"
    monkeypatch.setenv("TASKREG_DB", "postgresql+psycopg://u:p@db.local/reg")
    assert default_url(None) == "postgresql+psycopg://u:p@db.local/reg"
    assert default_url("sqlite:///other.sqlite") == "sqlite:///other.sqlite"
    assert default_url(str(tmp_path / "reg.sqlite")) == f"sqlite:///{tmp_path}/reg.sqlite"
    assert default_url("reg.sqlite") == "sqlite:///reg.sqlite"
    assert default_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"


def test_bare_path_creates_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Register("my-register.sqlite") as reg:
        reg.add_records([chonthanh_report()])
    assert (tmp_path / "my-register.sqlite").stat().st_size > 0


# --- storing ---------------------------------------------------------------------------------


def test_stores_documents_tasks_units_shortcomings_targets(register):
    stats = register.add_records([chonthanh_report()])
    assert (stats.documents, stats.tasks_new, stats.shortcomings, stats.targets) == (1, 3, 2, 2)
    counts = register.counts()
    assert counts["documents"] == 1 and counts["tasks"] == 3 and counts["task_sources"] == 3
    assert counts["task_units"] == 4  # 3 owners + 1 coordinator
    [doc] = register.documents()
    assert doc["name"] == "chonthanh-cchc-2023-09-22.txt" and doc["date"] == date(2023, 9, 22)
    assert len(doc["content_hash"]) == 64
    assert {s["text"] for s in register.shortcomings()} == {
        "Tỷ lệ hồ sơ thủ tục hành chính giải quyết quá hạn còn cao", "tỷ lệ văn bản ký số còn thấp"}
    papi = next(t for t in register.targets() if t["metric"] == "chỉ số PAPI")
    assert papi["deadline"] == "2023-12-31" and papi["doc"] == "chonthanh-cchc-2023-09-22.txt"

    plan = next(t for t in register.tasks() if t.text.startswith("Tham mưu"))
    assert plan.owners[0].name == "Phòng Nội vụ" and plan.owners[0].canonical == "Phòng Nội vụ"
    assert plan.coordinators[0].name == "Văn phòng HĐND và UBND thị xã"
    assert plan.coordinators[0].canonical == "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thị xã Chơn Thành"
    assert plan.deadline == date(2023, 10, 30) and plan.assigned_by == "Chủ tịch UBND thị xã"
    [source] = plan.sources
    assert (source.doc, source.start, source.end) == ("chonthanh-cchc-2023-09-22.txt", 1790, 1790 + len(plan.text))
    assert source.text == plan.text


def test_readding_the_same_documents_adds_nothing(register):
    first = register.add_records(all_records())
    before = register.counts()
    ids = [t.id for t in register.tasks()]
    again = register.add_records(all_records())
    assert first.documents == 3 and again.documents == 0 and again.skipped == 3
    assert again.tasks_new == again.tasks_merged == 0
    assert register.counts() == before
    assert [t.id for t in register.tasks()] == ids


def test_same_directive_in_two_reports_is_one_task_listing_both(register):
    register.add_records([chonthanh_report()])
    stats = register.add_records([chonthanh_followup()])
    assert stats.tasks_new == 1 and stats.tasks_merged == 2
    tasks = register.tasks()
    assert len(tasks) == 4
    plan = next(t for t in tasks if t.text.lower().startswith("tham mưu"))
    assert [s.doc for s in plan.sources] == ["chonthanh-cchc-2023-09-22.txt", "chonthanh-bc-2023-12-15.txt"]
    # the first wording stays the task's text, each source keeps its own words
    assert plan.text == chonthanh_report()["tasks"][1]["text"]
    assert plan.sources[1].text == chonthanh_followup()["tasks"][0]["text"]
    # both spellings of the coordinator are kept, with one canonical name
    assert {u.name for u in plan.coordinators} == {"Văn phòng HĐND và UBND thị xã", "Văn phòng HĐND-UBND thị xã"}
    assert {u.canonical for u in plan.coordinators} == {
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thị xã Chơn Thành"}
    digitise = next(t for t in tasks if "số hóa 100%" in t.text)
    assert len(digitise.sources) == 2
    assert {u.name for u in digitise.owners} == {"UBND các xã, phường", "Ủy ban nhân dân các xã, phường"}


def test_near_duplicate_premise_and_threshold(register):
    a = chonthanh_report()["tasks"][1]["text"]
    b = chonthanh_followup()["tasks"][0]["text"]
    score = jaccard(set(normalise_text(a).split()), set(normalise_text(b).split()))
    assert 0.85 <= score < 1.0
    # a different directive with the same owner and many shared words stays separate
    other = ("Tham mưu UBND thị xã ban hành kế hoạch nâng cao Chỉ số PAPI, SIPAS năm 2023, hoàn thành trước ngày 30/10/2023")
    assert jaccard(set(normalise_text(a).split()), set(normalise_text(other).split())) < 0.85
    rec = chonthanh_report()
    rec["doc"] = "chonthanh-other.txt"
    rec["tasks"] = [dict(rec["tasks"][1], text=other)]
    register.add_records([chonthanh_report(), rec])
    assert len([t for t in register.tasks() if t.text.startswith("Tham mưu")]) == 2


def test_same_words_different_owner_are_different_tasks(register):
    rec = chonthanh_report()
    rec["doc"] = "other.txt"
    for item in rec["tasks"]:
        item["owners"] = ["Phòng Tư pháp"]
    register.add_records([chonthanh_report(), rec])
    assert len(register.tasks()) == 6


def test_ids_come_from_content_not_from_run_order(tmp_path):
    urls = [f"sqlite:///{tmp_path / 'a.sqlite'}", f"sqlite:///{tmp_path / 'b.sqlite'}"]
    with Register(urls[0]) as a, Register(urls[1]) as b:
        a.add_records([chonthanh_report(), longkhanh_notice()])
        b.add_records([longkhanh_notice(), chonthanh_report()])
        assert sorted(t.id for t in a.tasks()) == sorted(t.id for t in b.tasks())
        item = longkhanh_notice()["tasks"][1]
        expected = task_id(owner_key([canonical_unit("Phòng Tài chính - Kế hoạch")]), normalise_text(item["text"]))
        assert expected in {t.id for t in a.tasks()}
        assert len(expected) == 16 and int(expected, 16) >= 0


def test_canonical_owner_decides_identity(register):
    """"UBND thị xã" in a Chơn Thành report and the full name are the same owner."""
    rec1 = chonthanh_followup()
    rec2 = copy.deepcopy(rec1)
    rec2["doc"] = "chonthanh-khac.txt"
    rec2["tasks"] = [dict(rec1["tasks"][2], owners=["Ủy ban nhân dân thị xã Chơn Thành"])]
    register.add_records([rec1, rec2])
    survey = [t for t in register.tasks() if t.text.startswith("Tổ chức khảo sát")]
    assert len(survey) == 1 and len(survey[0].sources) == 2
    assert {u.canonical for u in survey[0].owners} == {"Ủy ban nhân dân thị xã Chơn Thành"}


def test_a_failing_record_rolls_back_alone(register):
    bad = longkhanh_notice()
    bad["tasks"][1]["deadline"] = "15/11/2024"  # not ISO: refused after the first task was written
    errors: list[str] = []
    stats = register.add_records([chonthanh_report(), bad, chonthanh_followup()], on_error=errors.append)
    assert (stats.documents, stats.failed) == (2, 1)
    assert len(errors) == 1 and "longkhanh" in errors[0] and "15/11/2024" in errors[0]
    names = [d["name"] for d in register.documents()]
    assert names == ["chonthanh-cchc-2023-09-22.txt", "chonthanh-bc-2023-12-15.txt"]
    assert not [t for t in register.tasks() if "đối thoại" in t.text]  # the bad record's first task is gone too
    assert register.counts()["shortcomings"] == 2
    # fixed, it goes in
    good = register.add_records([longkhanh_notice()])
    assert good.documents == 1 and len(register.tasks()) == 7


def test_a_database_error_midway_loses_nothing_already_stored(register, monkeypatch):
    register.add_records([chonthanh_report()])
    before = register.counts()
    original = Register._store_task
    calls = {"n": 0}

    def flaky(self, session, doc, item):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original(self, session, doc, item)

    monkeypatch.setattr(Register, "_store_task", flaky)
    stats = register.add_records([longkhanh_notice()])
    assert stats.failed == 1 and "disk full" in stats.errors[0]
    assert register.counts() == before


def test_add_stream_stores_each_record_before_passing_it_on(register):
    seen = []
    stream = register.add_stream(iter(all_records()))
    for record in stream:
        seen.append(record["doc"])
        assert [d["name"] for d in register.documents()] == seen
    assert register.last_stats.documents == 3


def test_bad_record_shapes_are_refused(register):
    stats = register.add_records([{"tasks": []}, {"doc": "x.txt", "tasks": [{"text": ""}]},
                                  {"doc": "y.txt", "tasks": [{"text": "Rà soát", "owners": "Phòng Nội vụ"}]}])
    assert stats.failed == 3 and register.counts()["documents"] == 0


def test_concurrent_writers_do_not_duplicate(db_url):
    registers = [Register(db_url) for _ in range(4)]
    errors: list[str] = []

    def work(reg):
        reg.add_records(all_records(), on_error=errors.append)

    threads = [threading.Thread(target=work, args=(r,)) for r in registers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = registers[0].counts()
    assert counts["documents"] == 3 and counts["tasks"] == 7
    for r in registers:
        r.close()


# --- status -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,code",
    [("mới", "new"), ("moi", "new"), ("new", "new"), ("Đang thực hiện", "in_progress"),
     ("dang thuc hien", "in_progress"), ("in_progress", "in_progress"), ("in-progress", "in_progress"),
     ("hoàn thành", "done"), ("HOAN THANH", "done"), ("done", "done"), ("quá hạn", "overdue"), ("overdue", "overdue")],
)
def test_parse_status(text, code):
    assert parse_status(text) == code


def test_unknown_status_is_refused():
    with pytest.raises(ValueError, match="unknown status"):
        parse_status("tạm dừng")


def test_overdue_is_derived_from_the_deadline():
    assert effective_status("new", date(2023, 10, 30), today=date(2023, 10, 31)) == "overdue"
    assert effective_status("in_progress", date(2023, 10, 30), today=date(2023, 10, 30)) == "in_progress"
    assert effective_status("done", date(2023, 10, 30), today=date(2024, 1, 1)) == "done"
    assert effective_status("new", None, today=date(2030, 1, 1)) == "new"


def test_set_status_and_overdue_on_read(register):
    register.add_records([chonthanh_report()])
    nov = date(2023, 11, 1)
    by_text = {t.text[:9]: t for t in register.tasks(today=nov)}
    plan, digitise, review = by_text["Tham mưu "], by_text["chỉ đạo b"], by_text["tập trung"]
    assert (plan.status, plan.status_label) == ("overdue", "quá hạn")
    assert digitise.status == "new" and review.status == "new"

    assert register.set_status(digitise.id, "dang thuc hien", today=nov).status == "in_progress"
    assert register.set_status(plan.id[:8], "hoàn thành", today=nov).status == "done"
    with pytest.raises(ValueError, match="computed from the deadline"):
        register.set_status(review.id, "quá hạn")
    with pytest.raises(KeyError, match="no task"):
        register.set_status("ffffffffffffffff", "done")

    later = date(2024, 1, 2)
    statuses = {t.id: t.status for t in register.tasks(today=later)}
    assert statuses == {plan.id: "done", digitise.id: "overdue", review.id: "new"}
    assert [t.id for t in register.tasks(status="quá hạn", today=later)] == [digitise.id]
    assert [t.id for t in register.tasks(status="in_progress", today=nov)] == [digitise.id]
    assert [t.id for t in register.tasks(status="in_progress", today=later)] == []
    assert [t.id for t in register.tasks(status="done", today=later)] == [plan.id]


def test_status_survives_a_repeat_of_the_directive(register):
    register.add_records([chonthanh_report()])
    plan = next(t for t in register.tasks() if t.text.startswith("Tham mưu"))
    register.set_status(plan.id, "done")
    register.add_records([chonthanh_followup()])
    again = next(t for t in register.tasks() if t.id == plan.id)
    assert again.status == "done" and len(again.sources) == 2


def test_a_mention_id_resolves_to_its_task(register):
    register.add_records([chonthanh_report(), chonthanh_followup()])
    item = chonthanh_followup()["tasks"][0]
    mention = task_id(owner_key(["Phòng Nội vụ"]), normalise_text(item["text"]))
    task_ = register.task(mention)
    assert task_.id != mention and task_.text.startswith("Tham mưu")


# --- filters ------------------------------------------------------------------------------------


def test_filter_by_unit_as_written_or_canonical_ignoring_case_and_diacritics(register):
    register.add_records(all_records())
    def texts(**kw):
        return {t.text[:20] for t in register.tasks(**kw)}

    assert texts(unit="phong noi vu") == {"Tham mưu UBND thị xã", "Tổ chức khảo sát mức"}  # owner or coordinator
    assert texts(unit="UBND thị xã") == {"Tổ chức khảo sát mức", "Tham mưu UBND thị xã"}  # as written
    assert texts(unit="ủy ban nhân dân thị xã chơn thành") == {"Tổ chức khảo sát mức", "Tham mưu UBND thị xã"}
    assert texts(unit="PHÒNG TÀI CHÍNH") == {"Tham mưu UBND thành "}
    assert texts(unit="xuan tan") == {"chủ trì, phối hợp vớ"}
    assert texts(unit="hàng gòn") == {"chủ trì, phối hợp vớ"}  # Xuân Tân's successor ward
    assert texts(unit="100%") == set()


def test_filter_by_deadline_range_and_document(register):
    register.add_records(all_records())
    in_q4 = register.tasks(date_from="2023-10-01", date_to=date(2023, 12, 31))
    assert {t.deadline for t in in_q4} == {date(2023, 10, 30), date(2023, 12, 31)}
    assert all(t.deadline >= date(2024, 1, 1) for t in register.tasks(date_from="2024-01-01"))
    assert len(register.tasks(date_from="2024-01-01")) == 3
    assert len(register.tasks(doc="longkhanh-giaingan-tb-2024-11-06.txt")) == 3


def test_postgres_and_sqlite_give_the_same_register(tmp_path):
    url = empty_postgres()
    with Register(url) as pg, Register(f"sqlite:///{tmp_path / 'r.sqlite'}") as lite:
        for reg in (pg, lite):
            reg.add_records(all_records())
        today = date(2024, 11, 20)
        assert [t.to_dict() | {"first_seen": None} for t in pg.tasks(today=today)] == [
            t.to_dict() | {"first_seen": None} for t in lite.tasks(today=today)
        ]
        assert pg.engine.dialect.name == "postgresql"


def test_stats_summary_reads_well():
    stats = AddStats(documents=2, skipped=1, failed=0, tasks_new=5, tasks_merged=2)
    assert stats.summary() == "2 documents stored, 1 already in the register, 0 failed; 5 new tasks, 2 merged into existing ones"
