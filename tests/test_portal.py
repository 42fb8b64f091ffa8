"""Pushing the register to a portal: a real HTTP server on 127.0.0.1 that misbehaves.

The server answers 503, answers too slowly for the client's timeout, drops connections
(before and after storing the batch), and dedups by idempotency key on its side, as a
portal that honours the keys would. Every task must arrive exactly once, and a second
push must send nothing.
"""
from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from nlp.portal import PortalClient, PushError, content_hash, idempotency_key, portal_payload, push
from nlp.schema import validate
from nlp.store import Register

try:
    from test_store import all_records, empty_postgres
except ImportError:  # tests/ made a package
    from tests.test_store import all_records, empty_postgres

TOKEN = "s3cret-token"


class FakePortal:
    """What the portal holds, and a script of how to (mis)behave on each request."""

    def __init__(self, script=(), slow_seconds: float = 1.5) -> None:
        self.script = list(script)
        self.slow_seconds = slow_seconds
        self.store: dict[str, dict] = {}  # idempotency key → task
        self.received: Counter[str] = Counter()  # every delivery of a key, duplicates included
        self.actions: list[str] = []
        self.batch_headers: list[str] = []
        self.reject: set[str] = set()  # task ids refused item by item
        self.lock = threading.Lock()

    def next_action(self) -> str:
        with self.lock:
            action = self.script.pop(0) if self.script else "ok"
            self.actions.append(action)
            return action

    def take(self, tasks: list[dict]) -> dict:
        accepted, duplicates, rejected = [], [], []
        with self.lock:
            for task in tasks:
                key = task["idempotency_key"]
                self.received[key] += 1
                if task["id"] in self.reject:
                    rejected.append({"key": key, "error": "đơn vị chủ trì không có trong danh mục"})
                elif key in self.store:
                    duplicates.append(key)
                else:
                    self.store[key] = task
                    accepted.append(key)
        return {"accepted": accepted, "duplicates": duplicates, "rejected": rejected}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        portal: FakePortal = self.server.portal
        action = portal.next_action()
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"error": "bad token"})
        if action == "503":
            return self.reply(503, {"error": "bảo trì"})
        if action == "drop":  # connection closed before anything is stored or answered
            self.close_connection = True
            return None
        batch = json.loads(body.decode("utf-8"))
        portal.batch_headers.append(self.headers.get("Idempotency-Key"))
        answer = portal.take(batch["tasks"])
        if action == "drop_after_store":  # stored, but the answer is lost
            self.close_connection = True
            return None
        if action == "slow":  # stored, but the answer comes after the client gave up
            time.sleep(portal.slow_seconds)
        try:
            self.reply(200, answer)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def portal():
    """A portal on 127.0.0.1, port chosen by the OS; yields (FakePortal, url)."""
    state = FakePortal()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.portal = state
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/api/nhiem-vu"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}" if request.param == "sqlite" else empty_postgres()
    reg = Register(url)
    reg.add_records(all_records())
    yield reg
    reg.close()


def fast_client(url: str, token: str = TOKEN, **kw) -> PortalClient:
    options = dict(timeout=0.5, attempts=5, backoff=0.01, max_backoff=0.05)
    options.update(kw)
    return PortalClient(url, token, **options)


def test_every_task_arrives_exactly_once_despite_failures(portal, register):
    state, url = portal
    # batch 1: 503 then ok; batch 2: too slow (stored) then ok; batch 3: dropped, dropped after storing, ok
    state.script = ["503", "ok", "slow", "ok", "drop", "drop_after_store", "ok"]
    tasks = register.tasks()
    expected = {portal_payload(t)["idempotency_key"] for t in tasks}
    assert len(tasks) == 7 and len(expected) == 7

    report = push(register, url, TOKEN, batch_size=3, client=fast_client(url))

    assert report.errors == [] and report.rejected == []
    assert (report.batches, report.sent, report.accepted, report.attempts) == (3, 7, 7, 7)
    assert state.actions == ["503", "ok", "slow", "ok", "drop", "drop_after_store", "ok"]
    assert set(state.store) == expected  # every task, once, on the portal's side
    assert sorted(t["id"] for t in state.store.values()) == sorted(t.id for t in tasks)
    assert max(state.received.values()) == 2  # retried deliveries reached the portal and were deduplicated
    assert register.pushed_keys(url) == expected
    for task in state.store.values():
        validate(task, "task")

    # nothing new: a second push sends nothing at all
    before = len(state.actions)
    again = push(register, url, TOKEN, batch_size=3, client=fast_client(url))
    assert (again.sent, again.already, again.attempts) == (0, 7, 0)
    assert len(state.actions) == before


def test_a_changed_task_goes_again_under_a_new_key(portal, register):
    state, url = portal
    push(register, url, TOKEN, batch_size=50, client=fast_client(url))
    survey = next(t for t in register.tasks() if t.text.startswith("Tổ chức khảo sát"))
    old_key = portal_payload(survey)["idempotency_key"]
    register.set_status(survey.id, "đang thực hiện")
    report = push(register, url, TOKEN, batch_size=50, client=fast_client(url))
    assert (report.sent, report.accepted, report.already) == (1, 1, 6)
    new_key = portal_payload(register.task(survey.id))["idempotency_key"]
    assert new_key != old_key and new_key.startswith(survey.id + "-")
    assert state.store[new_key]["status"] == "in_progress"
    assert len(state.store) == 8


def test_retries_are_bounded_and_failed_batches_go_next_time(portal, register):
    state, url = portal
    state.script = ["503"] * 3
    report = push(register, url, TOKEN, batch_size=50, client=fast_client(url, attempts=3))
    assert report.accepted == 0 and len(report.errors) == 1 and "after 3 attempts" in report.errors[0]
    assert report.attempts == 3 and state.store == {} and register.pushed_keys(url) == set()
    report = push(register, url, TOKEN, batch_size=50, client=fast_client(url, attempts=3))
    assert report.accepted == 7 and len(state.store) == 7


def test_timeouts_alone_exhaust_the_attempts(portal, register):
    state, url = portal
    state.slow_seconds = 0.6
    state.script = ["slow", "slow"]
    client = fast_client(url, attempts=2, timeout=0.2)
    with pytest.raises(PushError, match="after 2 attempts"):
        client.send([portal_payload(register.tasks()[0])])
    assert client.requests == 2


def test_backoff_grows_exponentially():
    sleeps: list[float] = []
    client = PortalClient("http://127.0.0.1:9/never", TOKEN, attempts=4, backoff=0.5, max_backoff=30, sleep=sleeps.append,
                          timeout=0.2)
    with pytest.raises(PushError, match="after 4 attempts"):
        client.send([{"idempotency_key": "0" * 16 + "-" + "1" * 16, "id": "0" * 16}])
    assert len(sleeps) == 3
    for got, base in zip(sleeps, (0.5, 1.0, 2.0)):
        assert 0.75 * base <= got <= 1.25 * base


def test_wrong_token_stops_the_push_without_retrying(portal, register):
    state, url = portal
    report = push(register, url, "wrong", batch_size=3, client=fast_client(url, token="wrong"))
    assert report.attempts == 1 and state.actions == ["ok"]
    assert len(report.errors) == 1 and "HTTP 401" in report.errors[0]
    assert register.pushed_keys(url) == set()


def test_items_the_portal_rejects_are_not_recorded(portal, register):
    state, url = portal
    refused = register.tasks()[0].id
    state.reject = {refused}
    report = push(register, url, TOKEN, batch_size=50, client=fast_client(url))
    assert report.accepted == 6 and [r["error"] for r in report.rejected] == ["đơn vị chủ trì không có trong danh mục"]
    assert not report.ok
    state.reject = set()
    report = push(register, url, TOKEN, batch_size=50, client=fast_client(url))
    assert (report.sent, report.accepted) == (1, 1)
    assert [t["id"] for t in state.store.values()].count(refused) == 1


def test_pushes_are_per_portal(portal, register):
    state, url = portal
    push(register, url, TOKEN, client=fast_client(url))
    other = url.replace("/api/nhiem-vu", "/api/khac")
    report = push(register, other, TOKEN, client=fast_client(other))
    assert report.sent == 7 and len(state.store) == 7  # same keys: the portal itself dedups them
    assert sum(state.received.values()) == 14


def test_keys_are_stable_and_ignore_the_passing_of_time(register):
    from datetime import date

    task = register.tasks(today=date(2023, 1, 1))[0]
    late = register.tasks(today=date(2030, 1, 1))[0]
    assert late.status == "overdue" or late.deadline is None
    assert portal_payload(task)["idempotency_key"] == portal_payload(late)["idempotency_key"]
    payload = portal_payload(task)
    assert payload["idempotency_key"] == idempotency_key(payload) == f"{task.id}-{content_hash(payload)[:16]}"


def test_dry_run_sends_nothing(portal, register):
    state, url = portal
    lines: list[str] = []
    report = push(register, url, None, batch_size=3, dry_run=True, echo=lines.append)
    assert state.actions == [] and register.pushed_keys(url) == set()
    assert report.sent == 0 and report.total == 7
    assert lines[0] == "batch 1: 3 tasks" and lines[-1].startswith("dry run: would send 7 tasks in 3 batches")
    assert sum(1 for line in lines if line.startswith("  ")) == 7


def test_push_command(portal, tmp_path, monkeypatch):
    from cli import app

    state, url = portal
    db = str(tmp_path / "reg.sqlite")
    with Register(db) as reg:
        reg.add_records(all_records())
    runner = CliRunner()
    monkeypatch.delenv("TASKREG_TOKEN", raising=False)
    result = runner.invoke(app, ["push", "--url", url, "--db", db])
    assert result.exit_code == 2 and "TASKREG_TOKEN" in result.output
    result = runner.invoke(app, ["push", "--url", url, "--db", db, "--dry-run", "--batch-size", "4"])
    assert result.exit_code == 0 and "would send 7 tasks in 2 batches" in result.output and state.actions == []
    monkeypatch.setenv("PORTAL_KEY", TOKEN)
    state.script = ["503"]
    result = runner.invoke(app, ["push", "--url", url, "--db", db, "--token-env", "PORTAL_KEY", "--batch-size", "4",
                                 "--timeout", "2"])
    assert result.exit_code == 0, result.output
    assert "7 of 7 tasks accepted in 2 batches (3 requests)" in result.output
    result = runner.invoke(app, ["push", "--url", url, "--db", db, "--token-env", "PORTAL_KEY"])
    assert result.exit_code == 0 and "0 of 0 tasks accepted" in result.output and "7 already" in result.output
    assert len(state.store) == 7
