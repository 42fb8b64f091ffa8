"""Portal feed: send register tasks to an HTTP endpoint as JSON batches, exactly once.

Each task goes with an idempotency key — its stable id plus a hash of its content — so
the portal can drop a task it already has, and a changed task (new status, a new source
document) goes again under a new key. Keys the portal accepted are recorded in the
register (table ``pushes``), so a second push sends nothing. Timeouts, dropped
connections, 429 and 5xx responses are retried with exponential backoff, a bounded
number of times; retrying is safe because the keys make the portal's side idempotent.

Only the standard library is used (urllib).

Protocol: ``POST <url>`` with ``Authorization: Bearer <token>``, ``Idempotency-Key:
<batch key>`` and the body ``{"source": "taskreg", "batch_key": ..., "tasks": [...]}``,
each task as in nlp/schema/task.schema.json plus ``idempotency_key``. A 2xx answer
may list ``{"accepted": [keys], "duplicates": [keys], "rejected": [{"key": .., "error": ..}]}``;
without ``accepted`` every task of the batch counts as accepted.
"""
from __future__ import annotations

import hashlib
import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def content_hash(task: dict) -> str:
    """Hash of what the portal sees of a task; ``status`` is the stored one, not "overdue",
    so a task does not go again only because a day passed."""
    body = {k: v for k, v in task.items() if k not in ("idempotency_key", "status_label")}
    data = json.dumps(body, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def idempotency_key(task: dict) -> str:
    return f"{task['id']}-{content_hash(task)[:16]}"


def portal_payload(view) -> dict:
    """A register task (``TaskView``) as the portal receives it, with its idempotency key."""
    from .store import STATUS_LABELS

    task = view.to_dict()
    task["status"] = view.stored_status
    task["status_label"] = STATUS_LABELS[view.stored_status]
    task["idempotency_key"] = idempotency_key(task)
    return task


class PushError(RuntimeError):
    """A batch the portal refused, or that still failed after every retry.

    ``fatal`` (401, 403) means no other batch can succeed either: the push stops.
    """

    def __init__(self, message: str, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal


@dataclass
class PushReport:
    endpoint: str
    total: int = 0  # tasks in the register (after filters)
    already: int = 0  # accepted by this portal before: not sent
    sent: int = 0  # tasks sent (each once, however many attempts it took)
    accepted: int = 0
    rejected: list[dict] = field(default_factory=list)
    batches: int = 0
    attempts: int = 0  # HTTP requests made
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.rejected

    def summary(self) -> str:
        return (
            f"{self.accepted} of {self.sent} tasks accepted in {self.batches} batches "
            f"({self.attempts} requests); {self.already} already on the portal; "
            f"{len(self.rejected)} rejected; {len(self.errors)} batches failed"
        )


class PortalClient:
    """POSTs batches with retries; ``sleep`` and ``opener`` can be replaced in tests."""

    def __init__(
        self,
        url: str,
        token: str | None,
        *,
        timeout: float = 30.0,
        attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.url, self.token, self.timeout = url, token, timeout
        self.attempts, self.backoff, self.max_backoff, self.sleep = attempts, backoff, max_backoff, sleep
        self.requests = 0

    def send(self, tasks: list[dict]) -> dict:
        """Send one batch until the portal answers 2xx; return its JSON answer ({} if none)."""
        keys = [t["idempotency_key"] for t in tasks]
        batch_key = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]
        body = json.dumps({"source": "taskreg", "batch_key": batch_key, "tasks": tasks}, ensure_ascii=False).encode()
        last = ""
        for attempt in range(1, self.attempts + 1):
            retry_after = None
            try:
                status, answer = self._post(body, batch_key)
            except urllib.error.HTTPError as exc:
                status, answer = exc.code, _read_json(exc)
                retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
                if status not in RETRY_STATUSES:
                    detail = json.dumps(answer, ensure_ascii=False) if answer else ""
                    raise PushError(f"portal refused the batch: HTTP {status} {detail}".strip(),
                                    fatal=status in (401, 403)) from None
                last = f"HTTP {status}"
            except (TimeoutError, socket.timeout, ConnectionError, http.client.HTTPException, urllib.error.URLError, OSError) as exc:
                last = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
            else:
                return answer
            if attempt < self.attempts:
                self.sleep(retry_after if retry_after is not None else self._delay(attempt))
        raise PushError(f"batch not delivered after {self.attempts} attempts (last: {last})")

    def _post(self, body: bytes, batch_key: str) -> tuple[int, dict]:
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": batch_key,
            "User-Agent": "taskreg",
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        self.requests += 1
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return response.status, _read_json(response)

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: 0.5 s, 1 s, 2 s … (± 25 %), capped."""
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return delay * random.uniform(0.75, 1.25)


def push(
    register,
    url: str,
    token: str | None,
    *,
    batch_size: int = 50,
    dry_run: bool = False,
    client: PortalClient | None = None,
    filters: dict[str, Any] | None = None,
    echo: Callable[[str], None] = print,
) -> PushReport:
    """Send the register's tasks that this portal has not accepted yet.

    Accepted keys are recorded after each batch, so an interrupted push resumes where it
    stopped. With ``dry_run`` nothing is sent and nothing recorded; each task that would
    go is echoed.
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    report = PushReport(endpoint=url)
    tasks = [portal_payload(view) for view in register.tasks(**(filters or {}))]
    report.total = len(tasks)
    done = register.pushed_keys(url)
    pending = [t for t in tasks if t["idempotency_key"] not in done]
    report.already = report.total - len(pending)
    batches = [pending[i:i + batch_size] for i in range(0, len(pending), batch_size)]
    if dry_run:
        for number, batch in enumerate(batches, start=1):
            echo(f"batch {number}: {len(batch)} tasks")
            for task in batch:
                echo(f"  {task['idempotency_key']}  {task['deadline'] or '-':10}  {_short(task['text'])}")
        echo(f"dry run: would send {len(pending)} tasks in {len(batches)} batches to {url} "
             f"({report.already} already accepted)")
        return report
    client = client or PortalClient(url, token)
    for batch in batches:
        report.batches += 1
        report.sent += len(batch)
        before = client.requests
        try:
            answer = client.send(batch)
        except PushError as exc:
            report.errors.append(str(exc))
            report.attempts += client.requests - before
            if exc.fatal:
                break
            continue
        report.attempts += client.requests - before
        accepted, rejected = _accepted_keys(batch, answer)
        by_key = {t["idempotency_key"]: t["id"] for t in batch}
        register.record_pushes(url, [(by_key[k], k) for k in accepted])
        report.accepted += len(accepted)
        report.rejected.extend(rejected)
    return report


def _accepted_keys(batch: list[dict], answer: dict) -> tuple[list[str], list[dict]]:
    """Keys the portal took (new or already known) and the ones it refused."""
    keys = [t["idempotency_key"] for t in batch]
    if not isinstance(answer, dict) or "accepted" not in answer:
        return keys, []
    taken = set(answer.get("accepted") or []) | set(answer.get("duplicates") or [])
    rejected = [r for r in answer.get("rejected") or [] if isinstance(r, dict)]
    return [k for k in keys if k in taken], rejected


def _read_json(response: Any) -> dict:
    try:
        data = response.read()
    except Exception:
        return {}
    if not data:
        return {}
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (the seconds form only), capped at a minute."""
    try:
        return min(60.0, max(0.0, float(value))) if value else None
    except ValueError:
        return None


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

