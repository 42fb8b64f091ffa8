"""taskreg — turn Vietnamese government reports into a task register.

Only typer is imported at start-up; every command imports what it needs, so
``taskreg --help`` answers at once.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    help="Đọc báo cáo, thông báo kết luận, kế hoạch, chỉ thị, công văn → sổ theo dõi nhiệm vụ.\n\n"
    "Read Vietnamese government texts and extract tasks (owners, coordinators, deadlines), "
    "shortcomings and targets into a register.",
    no_args_is_help=True,
    add_completion=False,
)


def _db_url(db: Optional[str]) -> str:
    from nlp.store import default_url

    return default_url(db)


@app.command()
def extract(
    inputs: List[str] = typer.Argument(..., help="Files or folders to read (.txt .html .docx .pdf), or - for stdin."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout; the format follows the extension (.jsonl .json .csv .xlsx)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="jsonl (default), json, csv or xlsx."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes; 0 = all cores."),
    engine: str = typer.Option("local", "--engine", help="local, or dask to run on a Dask cluster."),
    dask_scheduler: Optional[str] = typer.Option(None, "--dask-scheduler", help="tcp://HOST:PORT of a Dask scheduler (implies --engine dask)."),
    db: Optional[str] = typer.Option(None, "--db", help="Also store the results in this register (SQLAlchemy URL or SQLite file)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    models: Optional[Path] = typer.Option(None, "--models", help="Folder of trained models (default: the bundled models/)."),
) -> None:
    """Extract tasks, shortcomings and targets from documents.

    Examples:

      taskreg extract reports/ -o register.xlsx

      taskreg extract bao-cao.docx --format jsonl
    """
    from nlp.export import FORMATS, format_for, write_records
    from nlp.runner import run_extraction

    fmt = format_for(output, fmt)
    if fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r} (use one of {', '.join(FORMATS)})", err=True)
        raise typer.Exit(2)
    failures: list[str] = []

    def on_error(message: str) -> None:
        failures.append(message)
        typer.echo(f"error: {message}", err=True)

    records = run_extraction(
        inputs,
        jobs=jobs,
        engine="dask" if dask_scheduler else engine,
        scheduler=dask_scheduler,
        models_dir=models,
        on_error=on_error,
        progress=not quiet and sys.stderr.isatty(),
    )
    if db:
        from nlp.store import Register

        register = Register(_db_url(db))
        records = register.add_stream(records, on_error=on_error)
    try:
        n = write_records(records, output, fmt)
    except OSError as exc:  # an unreachable Dask scheduler, a full disk, an unwritable -o
        where = dask_scheduler or (output or "stdout")
        typer.echo(f"error: {where}: {exc}", err=True)
        raise typer.Exit(1)
    if output:
        typer.echo(f"{n} documents → {output}", err=True)
    if failures:
        typer.echo(f"{len(failures)} file(s) failed", err=True)
        raise typer.Exit(1)


@app.command()
def evaluate(
    corpus: Path = typer.Argument(..., help="Folder with documents and gold/*.json."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    models: Optional[Path] = typer.Option(None, "--models", help="Folder of trained models."),
    errors: Optional[Path] = typer.Option(None, "--errors", help="Write every false positive/negative to this JSONL file."),
) -> None:
    """Score extraction against gold annotations (precision, recall, F1 per field)."""
    import json

    from nlp.evaluate import evaluate_corpus, format_table

    report = evaluate_corpus(corpus, models_dir=models, errors_path=errors)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_table(report))


@app.command()
def train(
    corpus: Path = typer.Option(Path("corpus/train"), "--corpus", help="Annotated training documents (text + gold/)."),
    extra: List[Path] = typer.Option([], "--extra", help="More gold folders to train on (e.g. ../shared/corpus/real-train). Repeatable."),
    out: Path = typer.Option(Path("models"), "--out", help="Where to write the models."),
    seed: int = typer.Option(13, "--seed", help="Random seed: the same data and seed give the same models."),
) -> None:
    """Rebuild every model in models/ from annotated documents."""
    from nlp.train import train_models

    summary = train_models([corpus, *extra], out, seed=seed)
    for line in summary:
        typer.echo(line)


# --- the register: add, export, task, push -------------------------------------------------


def _cli_date(value: Optional[str], option: str):
    """A date from the command line: 2024-11-15 or 15/11/2024."""
    from datetime import datetime

    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            pass
    typer.echo(f"error: {option} {value!r} is not a date (use 2024-11-15 or 15/11/2024)", err=True)
    raise typer.Exit(2)


def _cli_status(value: Optional[str]) -> Optional[str]:
    from nlp.store import parse_status

    if not value:
        return None
    try:
        return parse_status(value)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


@app.command()
def add(
    inputs: List[str] = typer.Argument(..., help="Files or folders to read (.txt .html .docx .pdf), or - for stdin."),
    db: Optional[str] = typer.Option(None, "--db", help="Register: SQLAlchemy URL or SQLite file (default $TASKREG_DB, else ./taskreg.sqlite)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes; 0 = all cores."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    models: Optional[Path] = typer.Option(None, "--models", help="Folder of trained models (default: the bundled models/)."),
) -> None:
    """Extract documents and store them in the register.

    Each document is stored in its own transaction; adding the same documents again
    adds nothing, and a directive repeated across reports becomes one task.

      taskreg add reports/ --db register.sqlite
    """
    from nlp.runner import run_extraction
    from nlp.store import Register

    failures: list[str] = []

    def on_error(message: str) -> None:
        failures.append(message)
        typer.echo(f"error: {message}", err=True)

    records = run_extraction(inputs, jobs=jobs, models_dir=models, on_error=on_error,
                             progress=not quiet and sys.stderr.isatty())
    with Register(_db_url(db)) as register:
        stats = register.add_records(records, on_error=on_error)
    typer.echo(stats.summary(), err=True)
    if failures:
        raise typer.Exit(1)


@app.command("export")
def export_register(
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="File to write; the format follows the extension (.xlsx .csv .jsonl .json)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="xlsx, csv, jsonl (one task per line) or json."),
    db: Optional[str] = typer.Option(None, "--db", help="Register: SQLAlchemy URL or SQLite file."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Only tasks whose owner or coordinator contains this (as written or canonical; case and diacritics ignored)."),
    status: Optional[str] = typer.Option(None, "--status", help="mới, đang thực hiện, hoàn thành or quá hạn (also new, in_progress, done, overdue)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Deadline on or after this date."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Deadline on or before this date."),
    today: Optional[str] = typer.Option(None, "--today", help="Date to judge \"quá hạn\" against (default: today)."),
) -> None:
    """Export the register, or part of it, for an office to follow up.

      taskreg export --format xlsx -o so-theo-doi.xlsx --unit "phòng nội vụ" --status "quá hạn"
    """
    from nlp.export import format_for, write_tasks
    from nlp.store import Register

    fmt = format_for(output, fmt)
    if fmt not in ("xlsx", "csv", "jsonl", "json"):
        typer.echo(f"error: unknown format {fmt!r} (use xlsx, csv, jsonl or json)", err=True)
        raise typer.Exit(2)
    filters = dict(unit=unit, status=_cli_status(status), date_from=_cli_date(date_from, "--from"),
                   date_to=_cli_date(date_to, "--to"), today=_cli_date(today, "--today"))
    with Register(_db_url(db)) as register:
        tasks = [t.to_dict() for t in register.tasks(**filters)]
    n = write_tasks(tasks, output, fmt)
    if output:
        typer.echo(f"{n} tasks → {output}", err=True)


task_app = typer.Typer(help="Look at tasks in the register and record their progress.", no_args_is_help=True)
app.add_typer(task_app, name="task")


@task_app.command("set-status")
def task_set_status(
    task_id: str = typer.Argument(..., help="Task id (or a unique prefix of it)."),
    status: str = typer.Argument(..., help="mới | đang thực hiện | hoàn thành (diacritics optional; or new | in_progress | done)."),
    db: Optional[str] = typer.Option(None, "--db", help="Register: SQLAlchemy URL or SQLite file."),
) -> None:
    """Record a task's progress. "quá hạn" is not set: it follows from the deadline."""
    from nlp.store import Register

    with Register(_db_url(db)) as register:
        try:
            task = register.set_status(task_id, status)
        except (KeyError, ValueError) as exc:
            typer.echo(f"error: {exc.args[0] if exc.args else exc}", err=True)
            raise typer.Exit(2)
    from nlp.store import STATUS_LABELS

    label = STATUS_LABELS[task.stored_status]
    if task.status == "overdue":
        label += f" (quá hạn: thời hạn {task.deadline:%d/%m/%Y})"
    typer.echo(f"{task.id}  {label}  {task.text[:80]}")


@task_app.command("list")
def task_list(
    db: Optional[str] = typer.Option(None, "--db", help="Register: SQLAlchemy URL or SQLite file."),
    unit: Optional[str] = typer.Option(None, "--unit", help="Owner or coordinator contains this."),
    status: Optional[str] = typer.Option(None, "--status", help="mới, đang thực hiện, hoàn thành or quá hạn."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Deadline on or after this date."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Deadline on or before this date."),
) -> None:
    """One line per task: id, deadline, status, owner, text."""
    from nlp.store import Register

    filters = dict(unit=unit, status=_cli_status(status), date_from=_cli_date(date_from, "--from"),
                   date_to=_cli_date(date_to, "--to"))
    with Register(_db_url(db)) as register:
        tasks = register.tasks(**filters)
    for task in tasks:
        deadline = task.deadline.strftime("%d/%m/%Y") if task.deadline else "-"
        owners = "; ".join(task.owner_names()) or "-"
        typer.echo(f"{task.id}  {deadline:10}  {task.status_label:15}  {owners[:40]:40}  {task.text[:70]}")
    typer.echo(f"{len(tasks)} tasks", err=True)


@app.command("push")
def push_register(
    url: str = typer.Option(..., "--url", help="Portal endpoint that takes POSTed JSON batches."),
    db: Optional[str] = typer.Option(None, "--db", help="Register: SQLAlchemy URL or SQLite file."),
    token_env: str = typer.Option("TASKREG_TOKEN", "--token-env", help="Environment variable holding the portal's bearer token."),
    batch_size: int = typer.Option(50, "--batch-size", min=1, help="Tasks per request."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be sent; send nothing."),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for each request."),
    attempts: int = typer.Option(5, "--attempts", min=1, help="Tries per batch on timeouts, dropped connections and 5xx."),
) -> None:
    """Send tasks the portal does not have yet; each goes once, with an idempotency key.

      TASKREG_TOKEN=... taskreg push --url https://portal.example.gov.vn/api/tasks
    """
    from nlp.portal import PortalClient, push as push_tasks
    from nlp.store import Register

    token = os.environ.get(token_env)
    if not token and not dry_run:
        typer.echo(f"error: no token: set ${token_env} (or name another variable with --token-env)", err=True)
        raise typer.Exit(2)
    client = PortalClient(url, token, timeout=timeout, attempts=attempts)
    with Register(_db_url(db)) as register:
        report = push_tasks(register, url, token, batch_size=batch_size, dry_run=dry_run, client=client,
                            echo=typer.echo)
    if dry_run:
        return
    for error in report.errors:
        typer.echo(f"error: {error}", err=True)
    for item in report.rejected:
        typer.echo(f"rejected: {item.get('key')}: {item.get('error')}", err=True)
    typer.echo(report.summary(), err=True)
    if not report.ok:
        raise typer.Exit(1)


if __name__ == "__main__":  # pragma: no cover
    app()
