"""The corpus job's engines side by side: in process, a local pool of 2, Ray with 1 and 2 workers.

    python -m benchmarks.corpus_speed [--tiny N] [--full N] [--packages DIR] [--only tiny|full]

The articles are ``benchmarks.corpus_articles``' mix of ``../shared/eval/summaries/`` and
``../shared/eval/parallel/`` texts (en, zh, ru; the first N of the interleaved sources).
Two sizes of packages:

- ``tiny``: the tests' packages (a one-layer model that copies its input), with greedy
  decoding (``TRIGLOT_BEAM_SIZE=1``) and one sentence a summary: the least work an
  article can cost, so that what an engine adds shows most;
- ``full``: the full-size random-weight packages (``benchmarks/make_models.py --size
  full``, or ``--packages``), with the defaults (beam 4, 3 sentences): the real cost.

Each configuration is ``triglot corpus`` run as a user runs it, in a fresh process, on
the same articles, to en, zh and ru, the translation cache off, one CTranslate2 thread
per worker (``TRIGLOT_INTRA_THREADS=1``), so that one worker is one core and two are two:

- in process (``triglot corpus``), a local pool (``--workers 2``);
- Ray, one head node of 2 CPUs in a network namespace of its own (``tests/ray_cluster.py``:
  Ray binds to the machine's address otherwise), ``--ray 127.0.0.1:6390 --workers 1`` and
  ``--workers 2``; the cluster is started once, before, as a user's cluster is running
  already.

The time is the job's own (the manifest's ``total``: from reading the first article to
the last shard, starting the workers and loading their packages included); the process's
wall time is beside it. Ray's overhead is Ray's time over the local engine's with the
same number of workers on the same cores; the scaling is one worker's time over two's.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from benchmarks._report import machine_line, write_section
from benchmarks.corpus_articles import write as write_articles

COMMAND = "python -m benchmarks.corpus_speed"
SIZES = ("tiny", "full")
DEFAULT_COUNTS = {"tiny": 1000, "full": 60}
# Greedy decoding and one sentence for the tiny packages: the smallest article cost (see above).
SIZE_SETTINGS: dict[str, dict[str, str]] = {"tiny": {"TRIGLOT_BEAM_SIZE": "1"}, "full": {}}
SIZE_OPTIONS: dict[str, tuple[str, ...]] = {"tiny": ("--sentences", "1"), "full": ()}
# Batches small enough that a few dozen articles keep two workers busy to the end, the same for every engine.
BATCH_SIZE = 8
COMMON_OPTIONS = ("--batch-size", str(BATCH_SIZE))
LOCAL = (("in process", ()), ("local pool of 2", ("--workers", "2")))
RAY = (("Ray, 1 worker", ("--workers", "1")), ("Ray, 2 workers", ("--workers", "2")))
RAY_CPUS = 2
RUN_TIMEOUT_S = 3600.0
SAMPLE_S = 0.2


def corpus_command(articles: Path, out: Path, options: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "toolkit", "corpus", str(articles), "--to", "en,zh,ru", "-o", str(out), *options]


def timed_run(
    command: Sequence[str], environment: Mapping[str, str], out: Path, watch: Callable[[], list[int]] | None = None
) -> dict[str, Any]:
    """Run one ``triglot corpus``; its wall time, the manifest's figures, and the largest resident memory of
    the processes ``watch`` names (sampled), or of the command's own process."""
    started = time.perf_counter()
    log = out.parent / f"{out.name}.log"
    out.parent.mkdir(parents=True, exist_ok=True)
    peak = 0
    with log.open("wb") as output:
        process = subprocess.Popen(list(command), env=dict(environment), stdout=output, stderr=subprocess.STDOUT)
        while process.poll() is None and time.perf_counter() - started < RUN_TIMEOUT_S:
            for pid in watch() if watch is not None else process_tree(process.pid):
                peak = max(peak, resident_mib(pid))
            time.sleep(SAMPLE_S)
        if process.poll() is None:
            process.kill()
        status = process.wait()
    wall = time.perf_counter() - started
    if status not in (0, 3):
        raise SystemExit(f"{' '.join(command)} failed ({status}):\n{log.read_text(errors='replace')[-3000:]}")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {"wall": wall, "total": manifest["timings"]["total"], "counts": manifest["counts"], "peak_mib": peak}


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (a pool's workers)."""
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                waiting.extend(int(child) for child in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def resident_mib(pid: int) -> int:
    """A process's resident memory (VmRSS) in MiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def ray_runs(
    cluster: Any, *, articles: str, work: str, environment: dict[str, str], options: list[str], repeat: int
) -> dict[str, list[dict[str, Any]]]:
    """Inside the namespaces: a head node of ``RAY_CPUS`` CPUs, then each Ray configuration on it in turn,
    ``repeat`` rounds."""
    cluster.start_head(cpus=RAY_CPUS)
    results: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in RAY}
    for round_ in range(repeat):
        for name, workers in RAY:
            out = Path(work) / f"{name.replace(' ', '-').replace(',', '')}-{round_}"
            command = corpus_command(Path(articles), out, (*options, "--ray", cluster.address, *workers))
            # The actors' memory: their worker processes on the head node.
            actors = functools.partial(cluster.workers_of, 0, "ray::MapWorker")
            results[name].append(timed_run(command, {**cluster.environment, **environment}, out, watch=actors))
    return results


def home_with(size: str, packages: Path | None, work: Path) -> Path:
    from benchmarks.translate_speed import full_size_home, prepare_home

    if size == "full":
        return full_size_home(packages, "triglot-corpus-")
    from tests.argos_packages import build_tiny_packages

    home = work / "home"
    prepare_home(build_tiny_packages(work / "tiny-packages"), home)
    return home


def fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the shortest job time: the one least slowed by the machine's other work."""
    best = dict(min(runs, key=lambda run: run["total"]))
    best["runs"] = len(runs)
    best["peak_mib"] = max(run["peak_mib"] for run in runs)
    return best


def measure(size: str, count: int, packages: Path | None, repeat: int) -> dict[str, Any]:
    from tests.ray_cluster import in_namespaces

    work = Path(tempfile.mkdtemp(prefix=f"triglot-corpus-{size}-"))
    home = home_with(size, packages, work)
    articles = work / "articles.jsonl"
    languages = write_articles(count, articles)
    environment = {
        **os.environ,
        "TRIGLOT_HOME": str(home),
        "TRIGLOT_CACHE": "0",
        "TRIGLOT_INTRA_THREADS": "1",
        **SIZE_SETTINGS[size],
    }
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in LOCAL}
    started = time.perf_counter()
    for round_ in range(repeat):
        for name, options in LOCAL:
            out = work / f"{name.replace(' ', '-')}-{round_}"
            command = corpus_command(articles, out, (*COMMON_OPTIONS, *SIZE_OPTIONS[size], *options))
            runs[name].append(timed_run(command, environment, out))
            print(f"{size} {name}: {runs[name][-1]}", file=sys.stderr)
    ray_environment = {k: v for k, v in environment.items() if k.startswith("TRIGLOT_")}
    ray = in_namespaces(
        "benchmarks.corpus_speed:ray_runs",
        {"articles": str(articles), "work": str(work / "ray"), "environment": ray_environment,
         "options": [*COMMON_OPTIONS, *SIZE_OPTIONS[size]], "repeat": repeat},
        timeout=RUN_TIMEOUT_S * repeat, log=work / "ray.log",
    )
    runs.update(ray)
    results = {name: fastest(found) for name, found in runs.items()}
    print(f"{size} Ray: {ray}", file=sys.stderr)
    return {"count": count, "languages": languages, "results": results, "seconds": time.perf_counter() - started}


def section(figures: Mapping[str, Any], command: str) -> str:
    (size,) = figures
    lines = [
        f"## Corpus job: engines, {size} packages",
        "",
        f"Command: `{command}` ({machine_line()}; the machine was shared with other work while it ran, so",
        "ratios taken minutes apart carry that noise).",
        "",
        "`triglot corpus` on the same articles (`benchmarks/corpus_articles.py`: BBC, RIA, CLTS, LCSTS,",
        "NTREX-128 and UN documents from `../shared/eval/`, en/zh/ru interleaved) to en, zh and ru, the",
        "translation cache off, one CTranslate2 thread per worker. Ray: one head node of 2 CPUs in a",
        "network namespace, started before the runs. Time: the job's own (manifest `total`: workers",
        "started and packages loaded included), the process's wall time beside it; of several rounds",
        "(local configurations in turn, then the Ray ones in turn), the fastest run of each.",
    ]
    lines += [
        "Peak memory: the largest process's resident memory, sampled: the job's own in process (driver",
        "and worker in one), a pool's worker, an actor's worker process with Ray. Every run",
        f"`--batch-size {BATCH_SIZE}`, so that a few dozen articles still make batches for two workers.",
    ]
    for size, data in figures.items():
        results = data["results"]
        mix = ", ".join(f"{n} {language}" for language, n in sorted(data["languages"].items()))
        settings = "greedy decoding, 1 sentence a summary" if size == "tiny" else "beam 4, 3 sentences a summary"
        lines += [
            "",
            f"{data['count']} articles ({mix}; {settings}):",
            "",
            "| engine | job s | wall s | articles/s | s per article per worker | peak memory, MiB |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, run in results.items():
            workers = 2 if "2" in name else 1
            lines.append(
                f"| {name} | {run['total']:.1f} | {run['wall']:.1f} | {data['count'] / run['total']:.2f} "
                f"| {run['total'] * workers / data['count']:.2f} | {run['peak_mib']} |"
            )
        one, two = results["in process"]["total"], results["local pool of 2"]["total"]
        ray_one, ray_two = results["Ray, 1 worker"]["total"], results["Ray, 2 workers"]["total"]
        lines += [
            "",
            f"- Ray's overhead on the same cores: {ray_one / one - 1:+.1%} with 1 worker (against in process), "
            f"{ray_two / two - 1:+.1%} with 2 (against the local pool of 2); goal at most +15%.",
            f"- Scaling from 1 to 2 workers: Ray {ray_one / ray_two:.2f}x, local {one / two:.2f}x (goal 1.7x where",
            "  the machine has the cores: this one has 2, shared with the driver, Ray's own processes and",
            "  other work, so 2 workers here measure the engine's cost of spreading, not the speed-up of",
            "  2 free cores).",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tiny", type=int, default=DEFAULT_COUNTS["tiny"], help="articles with the tiny packages")
    parser.add_argument("--full", type=int, default=DEFAULT_COUNTS["full"], help="articles with the full-size ones")
    parser.add_argument("--packages", type=Path, help="folder with the full-size .argosmodel files")
    parser.add_argument("--only", choices=SIZES, help="one size only (the other's figures are kept)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every configuration; the fastest is kept")
    args = parser.parse_args()

    from tests.ray_cluster import namespace_problem

    problem = namespace_problem()
    if problem is not None:
        sys.exit(f"the Ray runs need a network namespace: {problem}")
    sizes = [args.only] if args.only else list(SIZES)
    counts = {"tiny": args.tiny, "full": args.full}
    for size in sizes:
        figures = {size: measure(size, counts[size], args.packages, args.repeat)}
        options = f" --only {size} --{size} {counts[size]} --repeat {args.repeat}"
        options += " --packages DIR" if size == "full" and args.packages else ""
        markdown = section(figures, COMMAND + options)
        print(markdown)
        write_section(f"corpus-speed-{size}", markdown)
        print(f"{size}: {figures[size]['seconds']:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
