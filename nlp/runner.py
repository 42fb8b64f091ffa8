"""Run the pipeline over many inputs: stream records, report bad files, keep going."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Iterator


def run_extraction(inputs: Iterable[str], jobs: int = 0, engine: str = "local", scheduler: str | None = None,
                   models_dir: Path | None = None, on_error: Callable[[str], None] | None = None,
                   progress: bool = False) -> Iterator[dict]:
    """Yield one record per readable document, in input order; call ``on_error`` for the others."""
    from .ingest import IngestError, iter_inputs, read_document, read_stdin
    from .pipeline import load_pipeline, process

    pipeline = load_pipeline(models_dir)
    for item in inputs:
        if item == "-":
            yield process(read_stdin(), pipeline)
            continue
        paths = list(iter_inputs([item])) if Path(item).is_dir() else [Path(item)]
        for p in paths:
            try:
                yield process(read_document(p), pipeline)
            except IngestError as e:
                if on_error:
                    on_error(str(e))
