"""The runner on real documents: parallel = sequential = Dask, bad files reported, batch goes on."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nlp import runner
from nlp.runner import run_extraction

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "corpus" / "train"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def real_documents() -> list[str]:
    """A few real documents of every type at hand: train .txt, dev .txt/.html/.docx (read-only)."""
    docs = sorted(TRAIN.glob("*.txt"))[:5]
    if DEV.is_dir():
        for pattern in ("*.html", "*.docx", "devB-*.txt"):
            docs += sorted(DEV.glob(pattern))[:2]
    assert len(docs) >= 5, "corpus/train should hold real documents"
    return [str(p) for p in docs]


@pytest.fixture(scope="module")
def docs() -> list[str]:
    return real_documents()


@pytest.fixture(scope="module")
def sequential(docs) -> list[dict]:
    errors: list[str] = []
    records = list(run_extraction(docs, jobs=1, on_error=errors.append))
    assert not errors
    return records


def fresh_sequential(paths: list[str]) -> list[dict]:
    """jobs=1 records from a fresh interpreter.

    Spawned workers, the command line and Dask workers import the pipeline anew; comparing
    them with records this test process computed minutes ago would compare two versions
    of the code whenever someone edits a stage meanwhile. Compare fresh with fresh.
    """
    code = ("import json, sys; from nlp.runner import run_extraction; "
            "print(json.dumps(list(run_extraction(sys.argv[1:], jobs=1, on_error=lambda m: None)), ensure_ascii=False))")
    out = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def as_json(records: list[dict]) -> list[dict]:
    return json.loads(json.dumps(records, ensure_ascii=False))


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    unknown = tmp_path / "notes.xyz"
    unknown.write_text("Giao Sở Nội vụ chủ trì.", encoding="utf-8")
    corrupt = tmp_path / "corrupt.docx"
    corrupt.write_bytes(os.urandom(4096))
    return {"empty": empty, "unknown": unknown, "corrupt": corrupt}


def test_one_record_per_document_in_input_order(docs, sequential):
    assert [r["doc"] for r in sequential] == [Path(d).name for d in docs]
    assert any(r["tasks"] for r in sequential), "real documents should yield tasks"


def test_two_workers_give_the_same_records_as_one(docs, sequential, monkeypatch):
    def no_serial(*args, **kwargs):
        raise AssertionError("jobs=2 on several files must use the process pool")

    monkeypatch.setattr(runner, "_serial", no_serial)
    errors: list[str] = []
    parallel = list(run_extraction(docs, jobs=2, on_error=errors.append))
    assert not errors
    assert parallel == sequential


def test_spawned_workers_when_the_caller_runs_threads(docs):
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert runner._start_method() == "spawn"  # never fork a threaded process
        records = list(run_extraction(docs, jobs=2))
    finally:
        stop.set()
        thread.join()
    assert as_json(records) == fresh_sequential(docs)


def test_progress_bar_on_stderr(docs, sequential, capsys):
    records = list(run_extraction(docs[:3], jobs=2, progress=True))
    captured = capsys.readouterr()
    assert records == sequential[:3]
    assert captured.out == ""
    assert "extract" in captured.err and "3/3" in captured.err and "docs/s" in captured.err


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_files_are_reported_and_the_batch_goes_on(docs, sequential, bad_files, jobs):
    b = bad_files
    inputs = [b["empty"], docs[0], b["unknown"], docs[1], b["corrupt"], docs[2]]
    errors: list[str] = []
    records = list(run_extraction([str(p) for p in inputs], jobs=jobs, on_error=errors.append))
    assert records == sequential[:3]
    assert len(errors) == 3
    for message, path in zip(errors, (b["empty"], b["unknown"], b["corrupt"])):
        assert message.startswith(f"{path}: ")
        assert "\n" not in message
    assert "empty" in errors[0] and ".xyz" in errors[1] and ".docx" in errors[2]


def test_a_folder_is_expanded_and_missing_files_reported(tmp_path, docs, sequential, bad_files):
    folder = bad_files["empty"].parent
    (folder / "good.txt").write_bytes(Path(docs[0]).read_bytes())
    errors: list[str] = []
    records = list(run_extraction([str(folder), str(tmp_path / "missing.txt")], jobs=2, on_error=errors.append))
    assert [r["doc"] for r in records] == ["good.txt"]
    assert {k: v for k, v in records[0].items() if k != "doc"} == {k: v for k, v in sequential[0].items() if k != "doc"}
    assert len(errors) == 4 and errors[-1] == f"{tmp_path / 'missing.txt'}: file not found"


def test_stdin_keeps_its_place_among_files(docs, sequential, monkeypatch):
    data = Path(docs[1]).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    records = list(run_extraction([docs[0], "-", docs[2]], jobs=2))
    assert [r["doc"] for r in records] == [Path(docs[0]).name, "-", Path(docs[2]).name]
    assert records[1]["tasks"] == sequential[1]["tasks"]


def test_a_stage_crash_is_reported_not_swallowed(docs, monkeypatch):
    import nlp.pipeline

    real = nlp.pipeline.process

    def flaky(doc, pipeline=None):
        if doc.source == Path(docs[1]).name:
            raise ValueError("boom\nsecond line")
        return real(doc, pipeline)

    monkeypatch.setattr(nlp.pipeline, "process", flaky)
    errors: list[str] = []
    records = list(run_extraction(docs[:3], jobs=1, on_error=errors.append))
    assert [r["doc"] for r in records] == [Path(docs[0]).name, Path(docs[2]).name]
    assert errors == [f"{docs[1]}: internal error (ValueError: boom second line)"]
    with pytest.raises(RuntimeError, match="internal error"):
        list(run_extraction(docs[:3], jobs=1))


def test_a_reader_crash_is_reported_with_the_file(docs, monkeypatch):
    import nlp.ingest

    real = nlp.ingest.read_document

    def crashing(path):
        if str(path) == docs[0]:
            raise KeyError("word/document.xml")
        return real(path)

    monkeypatch.setattr(nlp.ingest, "read_document", crashing)
    errors: list[str] = []
    records = list(run_extraction(docs[:2], jobs=1, on_error=errors.append))
    assert [r["doc"] for r in records] == [Path(docs[1]).name]
    assert errors == [f"{docs[0]}: internal error (KeyError: 'word/document.xml')"]


def test_a_pipeline_broken_for_every_document_stops_the_run(docs, monkeypatch):
    import nlp.pipeline

    def broken(doc, pipeline=None):
        raise NameError("name 'title_end' is not defined")

    monkeypatch.setattr(nlp.pipeline, "process", broken)
    monkeypatch.setattr(runner, "BROKEN_AFTER", 3)
    errors: list[str] = []
    with pytest.raises(RuntimeError, match="fails on every document .3 in a row"):
        list(run_extraction(docs, jobs=1, on_error=errors.append))
    assert len(errors) == 3


def test_the_pipeline_is_loaded_once_per_process(docs):
    before = runner.pipeline_loads()
    list(run_extraction(docs[:2], jobs=1))
    list(run_extraction(docs[:2], jobs=1))
    assert runner.pipeline_loads() - before <= 1
    assert runner.worker_pipeline() is runner.worker_pipeline()


def test_the_window_bounds_documents_in_flight():
    in_flight, peak, submitted = set(), 0, []

    def submit(task):
        nonlocal peak
        in_flight.add(task)
        submitted.append(task)
        peak = max(peak, len(in_flight))
        return task

    def result(task):
        in_flight.discard(task)
        return "ok", task

    tasks = [("path", str(i)) for i in range(100)]
    out = runner._windowed(submit, result, tasks, window=8)
    first = next(out)
    # streams: the first record comes back with only the window submitted (8 in flight, 1 handed back)
    assert first == ("ok", tasks[0]) and len(submitted) == 9 and len(in_flight) == 8
    assert [first] + list(out) == [("ok", t) for t in tasks]
    assert peak == 8


def test_the_command_line_runs_in_parallel(tmp_path, docs, bad_files):
    exe = Path(sys.executable).parent / "taskreg"
    out = tmp_path / "out.jsonl"
    cmd = [str(exe), "extract", docs[0], str(bad_files["corrupt"]), docs[1], "-o", str(out), "--jobs", "2"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert f"error: {bad_files['corrupt']}: not a valid .docx" in proc.stderr
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines == fresh_sequential(docs[:2])


def test_dask_cluster_gives_the_same_records(docs, bad_files):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        errors: list[str] = []
        inputs = docs[:3] + [str(bad_files["corrupt"])] + docs[3:]
        records = list(run_extraction(inputs, engine="dask", scheduler=cluster.scheduler_address,
                                      on_error=errors.append))
        with distributed.Client(cluster) as client:
            loads = client.run(runner.pipeline_loads)
    assert as_json(records) == fresh_sequential(docs)
    local_errors: list[str] = []
    list(run_extraction([str(bad_files["corrupt"])], jobs=1, on_error=local_errors.append))
    assert errors == local_errors and str(bad_files["corrupt"]) in errors[0]
    assert sorted(loads.values()) == [1, 1], "each Dask worker loads the pipeline once"
