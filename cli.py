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
        records = register.add_stream(records)
    n = write_records(records, output, fmt)
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


if __name__ == "__main__":  # pragma: no cover
    app()
