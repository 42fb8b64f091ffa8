#!/usr/bin/env python
"""Throughput of ``taskreg extract`` against underthesea's word segmenter, on one corpus.

    python bench/throughput.py [--limit N] [--jobs N] [--engine local|dask] [--models DIR]
    python bench/throughput.py --profile [--limit N]      # cProfile one in-process run instead

One run builds the corpus (corpus/samples, corpus/train, ../shared/corpus/real/*.txt and
the records of ../shared/corpus/unlabelled/gov_vi.jsonl, written as .txt files to a temp
dir — nothing is copied into the repo), then times

  (a) underthesea ``word_tokenize`` over every sentence of the same texts, pinned to one
      core. Sentences are split with ``sent_tokenize`` *outside* the timed part; the
      texts are the normalised texts taskreg itself reads; underthesea is warmed up
      (model loaded) before the clock starts;
  (b) ``taskreg extract CORPUS -o out.jsonl`` as a subprocess with default settings
      (all cores), wall time from launch to exit: interpreter start, model loading in
      every worker and writing the output are all inside;

and prints documents/s, KB/s, the peak memory of the extract process tree and the ratio
(b)/(a), plus the median of 5 ``taskreg --help`` runs. Results go to bench/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results.json"
PROFILE_OUT = ROOT / "bench" / "profile.txt"
GOALS = {"ratio": 1.0, "peak_mb": 500.0, "help_s": 0.3}

sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------

def _slug(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("_")[-80:]


def build_corpus(dest: Path, limit: int | None) -> dict:
    """Write the benchmark documents to ``dest``; return counts per source."""
    from nlp.ingest import SUPPORTED, iter_inputs

    sources: list[tuple[str, str, object]] = []  # (source, name, Path | text)
    for label, folder in (("samples", ROOT / "corpus" / "samples"), ("train", ROOT / "corpus" / "train")):
        if folder.is_dir():
            sources += [(label, p.name, p) for p in iter_inputs([folder]) if p.suffix.lower() in SUPPORTED]
    real = SHARED / "real"
    if real.is_dir():
        sources += [("real", p.name, p) for p in sorted(real.glob("*.txt"))]
    unlabelled = SHARED / "unlabelled" / "gov_vi.jsonl"
    if unlabelled.exists():
        with open(unlabelled, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    sources.append(("unlabelled", _slug(str(rec["id"])) + ".txt", rec["text"]))
    if limit:
        sources = sources[:limit]
    dest.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for i, (label, name, src) in enumerate(sources):
        stem, suffix = (Path(name).stem, Path(name).suffix) if isinstance(src, Path) else (Path(name).stem, ".txt")
        target = dest / f"{i:05d}-{label}-{_slug(stem)}{suffix}"
        if isinstance(src, Path):
            shutil.copyfile(src, target)
        else:
            target.write_text(src, encoding="utf-8")
        counts[label] = counts.get(label, 0) + 1
    return counts


def corpus_texts(folder: Path) -> tuple[list[Path], list[str], int]:
    """The files, the normalised text taskreg reads from each, and their total size in bytes."""
    from nlp.ingest import IngestError, iter_inputs, read_document

    files = list(iter_inputs([folder]))
    texts = []
    for p in files:
        try:
            texts.append(read_document(p).text)
        except IngestError:
            texts.append("")
    return files, texts, sum(p.stat().st_size for p in files)


# --------------------------------------------------------------------------------------
# (a) underthesea word_tokenize on one core
# --------------------------------------------------------------------------------------

def time_word_tokenize(texts: list[str]) -> dict:
    from underthesea import sent_tokenize, word_tokenize

    sentences = [s for t in texts if t.strip() for s in sent_tokenize(t)]
    word_tokenize("Ủy ban nhân dân tỉnh giao Sở Nội vụ chủ trì.")  # load the model outside the clock
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if allowed:
        os.sched_setaffinity(0, {min(allowed)})  # one core, honestly
    try:
        cpu0, t0 = time.process_time(), time.perf_counter()
        for s in sentences:
            word_tokenize(s)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finally:
        if allowed:
            os.sched_setaffinity(0, allowed)  # the extract subprocess must inherit every core
    return {"seconds": round(wall, 3), "cpu_seconds": round(cpu, 3), "sentences": len(sentences)}


# --------------------------------------------------------------------------------------
# (b) taskreg extract, as a subprocess, with its process tree's memory sampled
# --------------------------------------------------------------------------------------

def taskreg_exe() -> list[str]:
    exe = Path(sys.executable).parent / "taskreg"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("taskreg")
    return [found] if found else [sys.executable, str(ROOT / "cli.py")]


class TreeMemory(threading.Thread):
    """Samples the RSS and PSS summed over a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        import psutil

        self.psutil, self.root, self.interval = psutil, psutil.Process(pid), interval
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.done = threading.Event()

    def sample(self) -> None:
        rss = pss = 0
        procs = [self.root]
        try:
            procs += self.root.children(recursive=True)
        except self.psutil.Error:
            return
        for p in procs:
            try:
                if hasattr(p, "memory_full_info"):
                    m = p.memory_full_info()
                    rss += m.rss
                    pss += getattr(m, "pss", m.rss)
                else:
                    rss += p.memory_info().rss
            except self.psutil.Error:
                pass
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss or rss)
        self.peak_procs = max(self.peak_procs, len(procs))

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)


def time_extract(corpus: Path, out: Path, jobs: int | None, engine: str, models: str | None) -> dict:
    import resource

    cmd = taskreg_exe() + ["extract", str(corpus), "-o", str(out)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    if engine != "local":
        cmd += ["--engine", engine]
    if models:
        cmd += ["--models", models]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mem = TreeMemory(proc.pid)
    mem.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    mem.done.set()
    mem.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    records = sum(1 for line in out.open(encoding="utf-8") if line.strip()) if out.exists() else 0
    failures = [line for line in stderr.splitlines() if line.startswith("error:")]
    if proc.returncode not in (0, 1) or not records:
        sys.stderr.write(stderr)
        raise SystemExit(f"taskreg extract failed (exit {proc.returncode})")
    return {
        "command": " ".join(["taskreg"] + cmd[len(taskreg_exe()):]).replace(str(corpus), "CORPUS").replace(str(out), "OUT.jsonl"),
        "seconds": round(wall, 3),
        "cpu_seconds": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 3),
        "records": records,
        "failures": failures,
        "exit": proc.returncode,
        "peak_rss_tree_mb": round(mem.peak_rss / 2**20, 1),
        "peak_pss_tree_mb": round(mem.peak_pss / 2**20, 1),
        "max_rss_one_process_mb": round(after.ru_maxrss / 1024, 1),  # Linux: KiB
        "processes": mem.peak_procs,
    }


def time_help(runs: int = 5) -> dict:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(taskreg_exe() + ["--help"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    imp = subprocess.run([sys.executable, "-X", "importtime", "-c", "import cli"], cwd=ROOT,
                         capture_output=True, text=True).stderr
    cli_us = next((int(line.split("|")[1]) for line in imp.splitlines() if line.rstrip().endswith("| cli")), None)
    heavy = sorted({m for m in re.findall(r"\|\s+(\S+)$", imp, re.M)} & {"nlp", "underthesea", "sklearn", "numpy",
                                                                         "pandas", "dask", "distributed", "rich"})
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times],
            "import_cli_ms": round(cli_us / 1000, 1) if cli_us else None, "heavy_modules_imported": heavy}


# --------------------------------------------------------------------------------------
# Profile (one in-process run of the same corpus)
# --------------------------------------------------------------------------------------

def profile(corpus: Path, top: int = 30) -> None:
    import cProfile
    import io
    import pstats

    from nlp.runner import run_extraction

    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    n = sum(1 for _ in run_extraction([str(corpus)], jobs=1, on_error=lambda m: None))
    prof.disable()
    wall = time.perf_counter() - t0
    stats = pstats.Stats(prof)
    total = stats.total_tt
    buf = io.StringIO()
    buf.write(f"cProfile of run_extraction(jobs=1) over {n} documents: {wall:.1f} s wall, {total:.1f} s profiled\n\n")
    for key, title in (("cumulative", "by cumulative time"), ("tottime", "by own time")):
        buf.write(f"== top {top} {title} (share of {total:.1f} s) ==\n")
        rows = sorted(stats.stats.items(), key=lambda kv: kv[1][3] if key == "cumulative" else kv[1][2], reverse=True)
        for (file, line, func), (cc, nc, tt, ct, _) in rows[:top]:
            where = f"{Path(file).name}:{line}" if line else file
            share = (ct if key == "cumulative" else tt) / total
            buf.write(f"{share:6.1%}  cum {ct:7.2f}s  own {tt:7.2f}s  calls {nc:>9}  {func}  ({where})\n")
        buf.write("\n")
    from nlp.runner import pipeline_loads

    buf.write("== loading: once per process ==\n")
    buf.write(f"pipeline loads (nlp.runner.pipeline_loads)      {pipeline_loads()}\n")
    for name in ("<built-in method _pickle.load>", "span_pipeline", "_word_tokenize"):
        for (file, line, func), (cc, nc, tt, ct, _) in stats.stats.items():
            if func == name:
                buf.write(f"{name:32} {nc:>6} calls, {ct:6.2f} s in all  ({Path(file).name}:{line})\n")
    buf.write("(span_pipeline/_word_tokenize are lru_cache'd: cache hits never enter them, so 1 call = loaded once)\n")
    PROFILE_OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(buf.getvalue())
    print(f"written to {PROFILE_OUT.relative_to(ROOT)}")


# --------------------------------------------------------------------------------------

def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="use only the first N documents")
    ap.add_argument("--jobs", type=int, default=None, help="pass --jobs N to taskreg extract (default: its default, all cores)")
    ap.add_argument("--engine", default="local", choices=["local", "dask"], help="taskreg extract --engine")
    ap.add_argument("--models", default=None, help="taskreg extract --models DIR")
    ap.add_argument("--profile", action="store_true", help="cProfile one in-process run instead of timing")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="taskreg-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        counts = build_corpus(corpus, args.limit)
        if args.profile:
            profile(corpus)
            return
        files, texts, size = corpus_texts(corpus)
        n = len(files)
        print(f"corpus: {n} documents, {size / 1024:.0f} KB ({', '.join(f'{k} {v}' for k, v in counts.items())})", flush=True)
        load_before = os.getloadavg()
        print("(a) underthesea word_tokenize, one core …", flush=True)
        base = time_word_tokenize(texts)
        del texts
        print("(b) taskreg extract …", flush=True)
        ext = time_extract(corpus, Path(tmp) / "out.jsonl", args.jobs, args.engine, args.models)
        hlp = time_help()
        load_after = os.getloadavg()

    for d in (base, ext):
        d["docs_per_s"] = round(n / d["seconds"], 1)
        d["kb_per_s"] = round(size / 1024 / d["seconds"], 1)
    ratio = ext["seconds"] / base["seconds"]
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "loadavg_before": [round(x, 2) for x in load_before], "loadavg_after": [round(x, 2) for x in load_after]},
        "corpus": {"documents": n, "bytes": size, "sources": counts, "sentences": base["sentences"]},
        "word_tokenize_one_core": base,
        "taskreg_extract": ext,
        "ratio_extract_over_word_tokenize": round(ratio, 3),
        "taskreg_help": hlp,
        "goals": {
            "ratio<=1.0": ratio <= GOALS["ratio"],
            "peak_rss_tree<=500MB": ext["peak_rss_tree_mb"] <= GOALS["peak_mb"],
            "peak_pss_tree<=500MB": ext["peak_pss_tree_mb"] <= GOALS["peak_mb"],
            "help<0.3s": hlp["median_s"] < GOALS["help_s"],
        },
    }
    if args.limit is None or args.out != RESULTS:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written = f"results → {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
    else:
        written = "(--limit run: bench/results.json left as it was; pass --out to keep these figures)"

    ok = lambda b: "ok" if b else "MISSED"  # noqa: E731
    g = results["goals"]
    print()
    print(f"{'':34}{'seconds':>9}{'docs/s':>9}{'KB/s':>9}")
    print(f"{'(a) word_tokenize, 1 core':34}{base['seconds']:9.1f}{base['docs_per_s']:9.1f}{base['kb_per_s']:9.1f}")
    label = "(b) taskreg extract" + (f" -j {args.jobs}" if args.jobs is not None else "") + (" dask" if args.engine == "dask" else "")
    print(f"{label:34}{ext['seconds']:9.1f}{ext['docs_per_s']:9.1f}{ext['kb_per_s']:9.1f}")
    print(f"ratio (b)/(a)                     {ratio:9.2f}   goal ≤ 1.0   {ok(g['ratio<=1.0'])}")
    print(f"peak RSS, extract tree           {ext['peak_rss_tree_mb']:7.0f} MB  goal ≤ 500   {ok(g['peak_rss_tree<=500MB'])}"
          f"   ({ext['processes']} processes; PSS {ext['peak_pss_tree_mb']:.0f} MB, largest one {ext['max_rss_one_process_mb']:.0f} MB)")
    print(f"taskreg --help, median of 5      {hlp['median_s']:7.3f} s   goal < 0.3   {ok(g['help<0.3s'])}"
          f"   (import cli {hlp['import_cli_ms']} ms)")
    print(f"records {ext['records']}/{n}, failures {len(ext['failures'])}, load avg {load_before[0]:.1f} → {load_after[0]:.1f}")
    print(written)


if __name__ == "__main__":
    main()
