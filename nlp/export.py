"""Export stage: write extraction records as jsonl / json / csv / xlsx."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable

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
    recs = list(records)
    if fmt == "json":
        data = json.dumps(recs, ensure_ascii=False, indent=2)
        if out:
            Path(out).write_text(data + "\n", encoding="utf-8")
        else:
            sys.stdout.write(data + "\n")
        return len(recs)
    raise ValueError(f"format {fmt} not supported yet")
