"""Run the pipeline over many inputs: stream records, report bad files, keep going.

Three ways to run, one result: the same records in input order, the same error
messages, whichever engine does the work.

* **in-process** — one job, or a single file: no pool start-up cost.
* **local pool** (default, ``jobs=0`` = all cores) — a pool of worker processes, each
  with the pipeline loaded once by the pool initializer. On Linux the workers are
  *forked* (they start with the parent's imports); elsewhere, or when the calling process
  runs threads, they are *spawned*. The parent never loads the pipeline itself. Workers
  are sent *paths* and read the files themselves; at most ``WINDOW_PER_JOB × jobs``
  documents are in flight, so memory does not grow with the size of the batch.
* **Dask** (``engine="dask"``) — the same extraction on a Dask distributed cluster
  (``scheduler="tcp://HOST:PORT"``, or a LocalCluster when None). The client reads each
  file's *bytes* and ships ``(name, bytes)``, so remote workers need no shared disk;
  every worker process loads the pipeline once (:func:`worker_pipeline`).

A file that cannot be read (:class:`~nlp.ingest.IngestError`) becomes one message for
``on_error`` naming the file, and the batch goes on. So does a crash of a pipeline stage
on one document ("internal error (…)"), unless no ``on_error`` was given, in which
case that exception is raised: a bug is never dropped silently. A stage that crashes the
same way on the first ``BROKEN_AFTER`` documents stops the run with the traceback.

Where workers are spawned (macOS, Windows, a threaded caller), a script that calls
:func:`run_extraction` must guard its entry point with ``if __name__ == "__main__":``,
as usual for multiprocessing.
"""
from __future__ import annotations

import os
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

#: Documents in flight per worker: enough to keep every worker busy while results are
#: handed back in input order, small enough that memory stays flat on any batch size.
WINDOW_PER_JOB = 4
#: Documents bigger than this are scattered to the Dask cluster on their own instead of
#: riding inside the task (keeps the scheduler's task messages small).
DASK_SCATTER_BYTES = 1 << 20
#: The same stage crash on this many documents in a row, with none extracted yet, is a
#: broken pipeline rather than bad files: stop instead of failing every file of the batch.
BROKEN_AFTER = 20

_OK, _ERR, _BUG = "ok", "error", "bug"

Task = tuple[str, Any]  # ("path", str) | ("doc", Document) for stdin | ("error", message)


# --------------------------------------------------------------------------------------
# The worker side (module level so that pools and Dask pickle them by reference)
# --------------------------------------------------------------------------------------

_LOAD_LOCK = threading.Lock()
_PIPELINES: dict[str, Any] = {}
_PIPELINE_LOADS = 0  # how many times this process actually loaded a pipeline (tests check it is 1)
_INIT_ERROR: BaseException | None = None


def worker_pipeline(models_dir: str | None = None):
    """The pipeline of this process, loaded on first use only (thread-safe: Dask workers may have threads)."""
    global _PIPELINE_LOADS
    key = str(models_dir or "")
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        with _LOAD_LOCK:
            pipeline = _PIPELINES.get(key)
            if pipeline is None:
                from .pipeline import load_pipeline

                pipeline = _PIPELINES[key] = load_pipeline(models_dir)
                _PIPELINE_LOADS += 1
    return pipeline


def pipeline_loads() -> int:
    """Number of pipeline loads in this process (``client.run(pipeline_loads)`` on a cluster)."""
    return _PIPELINE_LOADS


def _single_threaded_numerics() -> None:
    # One worker per core: BLAS/OpenMP thread pools inside a worker would only oversubscribe.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _init_worker(models_dir: str | None) -> None:
    """Pool initializer: load the pipeline once, before the first document arrives."""
    global _INIT_ERROR
    _single_threaded_numerics()
    try:
        worker_pipeline(models_dir)
    except BaseException as e:  # raised again, with its traceback, by the first task
        _INIT_ERROR = e


def _run_one(task: Task, models_dir: str | None) -> tuple[str, Any]:
    """(``ok``, record) | (``error``, message) | (``bug``, (message, traceback)) for one task."""
    from .ingest import IngestError, read_document

    kind, value = task
    if kind == "error":
        return _ERR, value
    if _INIT_ERROR is not None:
        raise _INIT_ERROR
    pipeline = worker_pipeline(models_dir)
    if kind != "path":
        return _process(value, pipeline, value.source)
    try:
        doc = read_document(value)
    except IngestError as e:
        return _ERR, str(e)
    except Exception as e:  # a reader crashed (not a refusal): the same as a stage crash
        return _crash(value, e)
    return _process(doc, pipeline, value)


def _crash(name: str, e: Exception) -> tuple[str, Any]:
    import traceback

    message = f"{name}: internal error ({type(e).__name__}: {' '.join(str(e).split())})"
    return _BUG, (message, traceback.format_exc())


def _process(doc, pipeline, name: str) -> tuple[str, Any]:
    from .pipeline import process

    try:
        return _OK, process(doc, pipeline)
    except Exception as e:  # a stage crashed on this document: report it, keep the batch going
        return _crash(name, e)


def _run_bytes(name: str, data: bytes, original: str, models_dir: str | None) -> tuple[str, Any]:
    """Dask task: ingest a file from its bytes (written under the same name in a temp dir)."""
    import tempfile

    from .ingest import IngestError, read_document

    pipeline = worker_pipeline(models_dir)
    with tempfile.TemporaryDirectory(prefix="taskreg-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            doc = read_document(path)
        except IngestError as e:
            return _ERR, f"{original}: {e.reason.replace(str(path), original)}"
        except Exception as e:
            return _crash(original, e)
    doc.path = original
    return _process(doc, pipeline, original)


# --------------------------------------------------------------------------------------
# The client side
# --------------------------------------------------------------------------------------

def _tasks(inputs: Iterable[str]) -> list[Task]:
    """Every input expanded to one task per file (folders opened, stdin read), in order."""
    from .ingest import IngestError, iter_inputs, read_stdin

    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    tasks: list[Task] = []
    for item in inputs:
        if str(item) == "-":
            try:
                tasks.append(("doc", read_stdin()))
            except IngestError as e:
                tasks.append(("error", str(e)))
            continue
        tasks.extend(("path", str(p)) for p in iter_inputs([item]))
    return tasks


def _serial(tasks: list[Task], models_dir: str | None) -> Iterator[tuple[str, Any]]:
    for task in tasks:
        yield _run_one(task, models_dir)


def _windowed(submit: Callable[[Task], Any], result: Callable[[Any], tuple[str, Any]],
              tasks: list[Task], window: int) -> Iterator[tuple[str, Any]]:
    """Keep ``window`` tasks in flight; hand results back in submission order."""
    pending: deque = deque()
    it = iter(tasks)
    for task in it:
        pending.append(submit(task))
        if len(pending) >= window:
            break
    while pending:
        outcome = result(pending.popleft())
        task = next(it, None)
        if task is not None:
            pending.append(submit(task))
        yield outcome


def _start_method() -> str:
    """``fork`` on Linux when this process runs no other thread, else ``spawn``.

    Forking lets every worker start with the parent's imports instead of importing them
    again; forking a process that runs threads is unsafe, so then we spawn.
    """
    import multiprocessing
    import sys

    if sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _local_pool(tasks: list[Task], jobs: int, models_dir: str | None) -> Iterator[tuple[str, Any]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = _start_method()
    # The parent stays light: each worker loads the pipeline once in the pool initializer
    # (≈ 2 s, in parallel). Loading it here to share pages would lower PSS but keep a third
    # full copy resident in the parent, which idles while the workers run.
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_init_worker, initargs=(models_dir,))

    def submit(task: Task):
        return task, pool.submit(_run_one, task, models_dir)

    def result(handle) -> tuple[str, Any]:
        from concurrent.futures.process import BrokenProcessPool

        task, future = handle
        try:
            return future.result()
        except BrokenProcessPool as e:
            name = task[1] if task[0] == "path" else "-"
            raise RuntimeError(f"a worker process died while extracting {name} (out of memory? try fewer --jobs)") from e

    try:
        yield from _windowed(submit, result, tasks, WINDOW_PER_JOB * jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _remote_task(task: Task) -> tuple[str, tuple]:
    """What to send a Dask worker for one task: the file's name and bytes, read here."""
    from .ingest import SUPPORTED, IngestError, read_document

    kind, value = task
    if kind != "path":
        return "task", (task,)
    path = Path(value)
    try:
        if path.suffix.lower() not in SUPPORTED or not path.is_file():
            read_document(path)  # raises the IngestError that says why (unknown type, folder, missing)
        data = path.read_bytes()
    except IngestError as e:
        return "task", (("error", str(e)),)
    except OSError:
        try:
            read_document(path)
        except IngestError as e:
            return "task", (("error", str(e)),)
        raise
    return "bytes", (path.name, data, value)


def _dask(tasks: list[Task], jobs: int, scheduler: str | None, models_dir: str | None) -> Iterator[tuple[str, Any]]:
    import logging

    from distributed import Client, LocalCluster

    log = logging.getLogger("distributed")
    level = log.level
    log.setLevel(logging.ERROR)  # no INFO chatter from the scheduler/nannies on the user's terminal
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:  # dask's nannies already start workers with OMP/MKL/OPENBLAS_NUM_THREADS=1
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   scheduler_kwargs={"dashboard": False}, silence_logs=logging.ERROR)
            client = Client(cluster)
    except BaseException:
        log.setLevel(level)
        raise
    try:
        slots = sum(client.nthreads().values()) or jobs

        def submit(task: Task):
            how, args = _remote_task(task)
            if how == "task":
                return client.submit(_run_one, *args, models_dir, pure=False)
            name, data, original = args
            if len(data) > DASK_SCATTER_BYTES:
                data = client.scatter(data)
            return client.submit(_run_bytes, name, data, original, models_dir, pure=False)

        yield from _windowed(submit, lambda f: f.result(), tasks, WINDOW_PER_JOB * slots)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        log.setLevel(level)


def _progress_bar(total: int):
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} docs/s" if speed else "– docs/s", style="progress.data.speed")

    bar = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                   RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=False, auto_refresh=False)
    return bar, bar.add_task("extract", total=total)


def run_extraction(inputs: Iterable[str], jobs: int = 0, engine: str = "local", scheduler: str | None = None,
                   models_dir: Path | None = None, on_error: Callable[[str], None] | None = None,
                   progress: bool = False) -> Iterator[dict]:
    """Yield one record per readable document, in input order; call ``on_error`` for the others.

    ``inputs`` are files, folders (their supported files, sorted) or ``-`` for stdin.
    ``jobs`` is the number of worker processes (0 = all cores); ``engine`` is ``local``
    or ``dask`` (``scheduler`` = ``tcp://HOST:PORT``, or None for a LocalCluster of
    ``jobs`` workers). ``progress`` shows a bar with rate and ETA on stderr.
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r} (use local or dask)")
    tasks = _tasks(inputs)
    jobs = jobs if jobs and jobs > 0 else (os.cpu_count() or 1)
    models = str(models_dir) if models_dir else None
    if engine == "dask":
        outcomes = _dask(tasks, jobs, scheduler, models)
    elif jobs == 1 or len(tasks) <= 1:
        outcomes = _serial(tasks, models)
    else:
        outcomes = _local_pool(tasks, min(jobs, len(tasks)), models)

    bar = None
    if progress and tasks:
        # refreshed here, not by rich's refresh thread: the pool may fork, which wants no threads
        bar, bar_task = _progress_bar(len(tasks))
        bar.start()
        bar.refresh()
        shown = time.monotonic()
    succeeded, last_crash, same_crash = False, None, 0
    try:
        for status, value in outcomes:
            if bar is not None:
                bar.advance(bar_task)
                if time.monotonic() - shown >= 0.1 or bar.finished:
                    bar.refresh()
                    shown = time.monotonic()
            if status == _OK:
                succeeded = True
                yield value
            elif status == _ERR:
                if on_error is not None:
                    on_error(value)
            else:
                message, trace = value
                if on_error is None:
                    raise RuntimeError(f"{message}\n\nWorker traceback:\n{trace}")
                on_error(message)
                crash = message.split(": internal error ", 1)[-1]
                same_crash = same_crash + 1 if crash == last_crash else 1
                last_crash = crash
                if not succeeded and same_crash >= BROKEN_AFTER:
                    raise RuntimeError(f"the pipeline fails on every document ({same_crash} in a row, none read): "
                                       f"{crash}\n\nWorker traceback:\n{trace}")
    finally:
        if bar is not None:
            bar.stop()
        close = getattr(outcomes, "close", None)
        if close is not None:
            close()
