"""triglot serve against LibreTranslate 1.9.6, side by side on the same full-size packages, over loopback.

    python -m benchmarks.service_vs_libretranslate [--packages DIR] [--libretranslate DIR]
        [--seconds 30] [--rounds 2] [--windows 0,2,10] [--soak 600]

Both servers run at once in subprocesses (an idle one costs nothing but memory), their
translation caches off, each warmed on every direction first. The same load generator
(``benchmarks.service_load``: httpx coroutines in this process, each sending its next
request as soon as the last is answered) drives them in interleaved rounds, the
order swapped each round:

- (a) 50 clients, one NTREX-128 sentence per request, the four directions in turn;
- (b) 10 clients, 8 sentences per request;
- (c) ``triglot serve --workers 2`` (its default threading: one batch at a time each) with its rate
  limit kept in Redis (``TRIGLOT_REDIS_URL``; a limit no client reaches, so that every
  request asks Redis) under (a)'s load, when ``redis-server`` is installed.

The reference for the batching is the library itself: the same sentences through
``toolkit.translate_detailed`` in one call per direction, batched in this process,
once in each round while the servers idle.
Then the gather window (``TRIGLOT_BATCH_WINDOW_MS``) is varied under (a)'s load, and
the soak runs (a) on triglot for ``--soak`` seconds, sampling its memory (VmRSS).

LibreTranslate runs offline as ``../shared/notes/libretranslate-offline.md`` says: its
own virtual environment (made in ``--libretranslate DIR`` if it is not there, from the
package registry), the packages installed with its own ``argostranslate``, and
stand-in MiniSBD models written by ``../shared/tools/make_minisbd.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks._report import SHARED, machine_line, write_section
from benchmarks.service_load import (
    SOAK_SAMPLE_S,
    LoadResult,
    errors_of,
    free_port,
    http_load,
    merged,
    resident_mib,
    soak,
    translate_payloads,
)
from benchmarks.translate_speed import DIRECTIONS, full_size_home

COMMAND = "python -m benchmarks.service_vs_libretranslate"
LIBRETRANSLATE_VERSION = "1.9.6"
BATCH = 8
STARTUP_LIMIT_S = 300.0


# --- the servers --------------------------------------------------------------


def libretranslate_environment(folder: Path, packages: Sequence[Path]) -> dict[str, str]:
    """LibreTranslate's virtual environment, data folders and stand-in sentence splitter; made once."""
    venv, tools, home = folder / "venv", folder / "tools", folder / "home"
    if not (venv / "bin" / "libretranslate").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([venv / "bin" / "pip", "install", "-q", f"libretranslate=={LIBRETRANSLATE_VERSION}"], check=True)
    if not (tools / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(tools)], check=True)
        subprocess.run([tools / "bin" / "pip", "install", "-q", "onnx", "numpy"], check=True)
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "ARGOS_PACKAGES_DIR": str(home / "share" / "argos-translate" / "packages"),
    }
    shutil.rmtree(home, ignore_errors=True)
    install = "import sys, argostranslate.package as p\nfor f in sys.argv[1:]: p.install_from_path(f)"
    subprocess.run([venv / "bin" / "python", "-c", install, *map(str, packages)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    minisbd = home / "share" / "argos-translate" / "minisbd"
    subprocess.run([tools / "bin" / "python", SHARED / "tools" / "make_minisbd.py", str(minisbd)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return env


@contextlib.contextmanager
def server(command: Sequence[str | Path], env: dict[str, str], log: Path, cwd: Path, ready: str) -> Iterator[int]:
    """A server process (its pid), once ``ready`` answers 200; stopped after."""
    with log.open("wb") as output:
        process = subprocess.Popen([str(part) for part in command], env=env, cwd=cwd, stdout=output,
                                   stderr=subprocess.STDOUT)
        try:
            wait_ready_at(ready, process)
            yield process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready_at(url: str, process: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server exited (code {process.returncode}); see its log")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {STARTUP_LIMIT_S:.0f} s")


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str | None]:
    """A private redis-server on loopback (its URL), or None where none is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def triglot_command(port: int, workers: int = 1) -> list[str]:
    return [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--preload", "en,zh,ru",
            "--workers", str(workers)]


# --- the load -----------------------------------------------------------------


def batch_payloads(singles: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Requests of ``BATCH`` sentences, each of one direction."""
    by_direction: dict[tuple[str, str], list[str]] = {}
    for payload in singles:
        by_direction.setdefault((payload["source"], payload["target"]), []).append(payload["q"])
    batches = []
    for (source, target), texts in by_direction.items():
        for start in range(0, len(texts) - BATCH + 1, BATCH):
            batches.append({"q": texts[start : start + BATCH], "source": source, "target": target, "format": "text"})
    return batches


def warm(url: str, payloads: Sequence[dict[str, Any]]) -> None:
    """Every direction loaded and answering, or stop: a benchmark of errors measures nothing."""
    import httpx

    for source, target in DIRECTIONS:
        payload = next(p for p in payloads if (p["source"], p["target"]) == (source, target))
        answer = httpx.post(url, json=payload, timeout=300)
        if answer.status_code != 200:
            raise SystemExit(f"{url} {source}→{target}: {answer.status_code} {answer.text[:200]}")


def library_rate(home: Path, payloads: Sequence[dict[str, Any]]) -> float:
    """Sentences/s of the library on the same sentences, one batched call per direction."""
    from toolkit import Settings, translate_detailed

    settings = Settings.from_env(home=home, cache=False)
    groups: dict[tuple[str, str], list[str]] = {}
    for payload in payloads:
        groups.setdefault((payload["source"], payload["target"]), []).append(payload["q"])
    translate_detailed(["Warm-up."], source="en", target="zh", settings=settings)
    started = time.perf_counter()
    for (source, target), texts in groups.items():
        translate_detailed(texts, source=source, target=target, settings=settings)
    return len(payloads) / (time.perf_counter() - started)


# --- the report -----------------------------------------------------------------


def row(case: str, name: str, result: LoadResult, per_request: int, reference: LoadResult | None) -> str:
    sentences = result.rate * per_request
    ratio = f"{result.rate / reference.rate:.2f}×" if reference is not None and reference.rate else "1.00×"
    p99_ratio = f"{result.percentile(0.99) / reference.percentile(0.99):.2f}" if reference is not None else "1.00"
    return (
        f"| {case} | {name} | {result.requests} | {result.rate:.2f} | {sentences:.2f} | {ratio} | "
        f"{result.percentile(0.5):.2f} | {result.percentile(0.99):.2f} | {p99_ratio} | {errors_of(result)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=Path, help="folder with the four full-size .argosmodel files")
    parser.add_argument("--libretranslate", type=Path, help="folder for LibreTranslate's environments (made if absent)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each timed run (default 30)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds (default 2)")
    parser.add_argument("--windows", default="0,2,10", help="gather windows to compare, in ms (default 0,2,10)")
    parser.add_argument("--soak", type=float, default=600, help="soak seconds on triglot, 0 to skip (default 600)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="triglot-vs-lt-"))
    home = full_size_home(args.packages, "triglot-vs-lt-")
    packages = sorted((args.packages or home.parent / "packages-full").glob("*.argosmodel"))
    lt_env = libretranslate_environment(args.libretranslate or work / "libretranslate", packages)
    lt_bin = (args.libretranslate or work / "libretranslate") / "venv" / "bin" / "libretranslate"
    singles = translate_payloads()
    batches = batch_payloads(singles)
    cases = {"a": (singles, 50, 1), "b": (batches, 10, BATCH)}
    env = {**os.environ, "TRIGLOT_HOME": str(home), "TRIGLOT_CACHE": "0"}
    ports = {name: free_port() for name in ("lt", "triglot", "workers")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    lt_command = [lt_bin, "--host", "127.0.0.1", "--port", str(ports["lt"]), "--load-only", "en,zh,ru"]
    runs: dict[tuple[str, str], list[LoadResult]] = {}
    memory: dict[str, float] = {}
    library_rates: list[float] = []  # measured in each round, while the servers idle

    with contextlib.ExitStack() as stack:
        redis_url = stack.enter_context(redis_server(work))
        stack.enter_context(server(lt_command, lt_env, work / "libretranslate.log", work, urls["lt"] + "/languages"))
        triglot_pid = stack.enter_context(
            server(triglot_command(ports["triglot"]), env, work / "triglot.log", work, urls["triglot"] + "/ready")
        )
        workers_env = dict(env)
        if redis_url is not None:
            workers_env.update(TRIGLOT_REDIS_URL=redis_url, TRIGLOT_RATE_LIMIT="1000000")
        stack.enter_context(
            server(triglot_command(ports["workers"], 2), workers_env, work / "workers.log", work,
                   urls["workers"] + "/ready")
        )
        for name in urls:
            warm(urls[name] + "/translate", singles)
            http_load(urls[name] + "/translate", singles[:40], 4, 3)
        for round_number in range(args.rounds):
            order = ["lt", "triglot"] if round_number % 2 == 0 else ["triglot", "lt"]
            for case, (payloads, clients, _) in cases.items():
                for name in order:
                    print(f"round {round_number + 1}: ({case}) {name}", file=sys.stderr)
                    result = http_load(urls[name] + "/translate", payloads, clients, args.seconds)
                    runs.setdefault((case, name), []).append(result)
            print(f"round {round_number + 1}: (c) workers", file=sys.stderr)
            runs.setdefault(("c", "workers"), []).append(http_load(urls["workers"] + "/translate", singles, 50,
                                                                   args.seconds))
            print(f"round {round_number + 1}: the library", file=sys.stderr)
            library_rates.append(library_rate(home, singles))
        memory["triglot"] = resident_mib(triglot_pid)

    # The gather window, and the soak, on a fresh triglot each.
    windows: list[tuple[float, LoadResult]] = []
    for window in [float(w) for w in args.windows.split(",") if w.strip()]:
        port = free_port()
        window_env = {**env, "TRIGLOT_BATCH_WINDOW_MS": str(window)}
        url = f"http://127.0.0.1:{port}"
        with server(triglot_command(port), window_env, work / "window.log", work, url + "/ready"):
            warm(url + "/translate", singles)
            windows.append((window, http_load(url + "/translate", singles, 50, args.seconds)))
    samples: list[tuple[float, float]] = []
    soak_result: LoadResult | None = None
    if args.soak > 0:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with server(triglot_command(port), env, work / "soak.log", work, url + "/ready") as pid:
            warm(url + "/translate", singles)
            samples.append((0.0, resident_mib(pid)))
            soak_result, after = soak(url + "/translate", singles, 50, args.soak, pid)
            samples += after
    library = sum(library_rates) / len(library_rates)

    results = {key: merged(value) for key, value in runs.items()}
    lt_a, lt_b = results[("a", "lt")], results[("b", "lt")]
    lines = [
        "## The service against LibreTranslate",
        "",
        f"Command: `{COMMAND} --seconds {args.seconds:.0f} --rounds {args.rounds} --windows {args.windows} "
        f"--soak {args.soak:.0f}` ({machine_line()}).",
        "",
        f"LibreTranslate {LIBRETRANSLATE_VERSION} (its defaults: 4 threads, beam 4, no cache) and `triglot serve`",
        "(its defaults, cache off) on the same four full-size packages, both running at once on loopback,",
        f"driven by the same load generator in turn, {args.rounds} interleaved rounds of {args.seconds:.0f} s per case",
        "(figures below are the rounds together). (c) is `triglot serve --workers 2` (a batch at a time",
        "each, the default) with its rate limit in Redis" + (" (a limit no client reaches: every request asks Redis)"
                                                  if redis_url else " — redis-server was not installed: without it")
        + ", under (a)'s load, against LibreTranslate's (a). Latencies in seconds; the load generator shares",
        "the two cores with the servers.",
        "",
        "| case | server | requests | req/s | sentences/s | vs LibreTranslate | p50 s | p99 s | p99 vs LT | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
        row("(a) 50 clients × 1 sentence", "LibreTranslate", lt_a, 1, None),
        row("(a) 50 clients × 1 sentence", "triglot", results[("a", "triglot")], 1, lt_a),
        row("(b) 10 clients × 8 sentences", "LibreTranslate", lt_b, BATCH, None),
        row("(b) 10 clients × 8 sentences", "triglot", results[("b", "triglot")], BATCH, lt_b),
        row("(c) 50 clients × 1, 2 workers + Redis", "triglot", results[("c", "workers")], 1, lt_a),
        "",
        f"The library on the same sentences, one batched call per direction in this process, once in each round: "
        f"{library:.2f} sentences/s ({', '.join(f'{rate:.2f}' for rate in library_rates)}); (a) on triglot is "
        f"{results[('a', 'triglot')].rate / library:.2f}× that; 3× LibreTranslate's (a) would be "
        f"{lt_a.rate * 3 / library:.2f}× it.",
        "",
        "The gather window (`TRIGLOT_BATCH_WINDOW_MS`) under (a)'s load, one run each on a fresh server:",
        "",
        "| window ms | req/s | p50 s | p99 s | errors |",
        "|---:|---:|---:|---:|---|",
    ]
    for window, result in windows:
        lines.append(f"| {window:g} | {result.rate:.2f} | {result.percentile(0.5):.2f} | "
                     f"{result.percentile(0.99):.2f} | {errors_of(result)} |")
    lines += ["", f"- triglot's memory (VmRSS) after the rounds: {memory['triglot']:.0f} MiB."]
    if soak_result is not None:
        sampled = ", ".join(f"{mib:.0f}" for _, mib in samples)
        lines += [
            f"- Soak: (a) on triglot for {args.soak:.0f} s, {soak_result.requests} requests at "
            f"{soak_result.rate:.2f} req/s, p99 {soak_result.percentile(0.99):.2f} s, errors: {errors_of(soak_result)}.",
            f"  VmRSS every {SOAK_SAMPLE_S:.0f} s (MiB): {sampled}; first to last {samples[-1][1] - samples[0][1]:+.0f} MiB, "
            f"from the second sample {samples[-1][1] - samples[1][1]:+.0f} MiB, over the second half "
            f"{samples[-1][1] - samples[len(samples) // 2][1]:+.0f} MiB (lowest {min(m for _, m in samples[1:]):.0f}, "
            f"highest {max(m for _, m in samples[1:]):.0f} from the second sample on)."
            if len(samples) > 2 else "",
        ]
    markdown = "\n".join(lines)
    print(markdown)
    write_section("service-vs-libretranslate", markdown)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
