"""Load on the HTTP service over loopback, against the same work through the library in one process.

    python -m benchmarks.service_load [--packages DIR] [--clients 50] [--seconds 60] [--soak 600]

A real `triglot serve` runs in a subprocess with the full-size packages (built by
``benchmarks/make_models.py --size full`` unless ``--packages`` has them) and its
translation cache off, so every request reaches the engine. ``--clients``
coroutines each send one request after another for ``--seconds``:

- ``/translate``: one NTREX-128 sentence per request, the four directions in turn;
- ``/summarize``: one BBC article per request (``../shared/eval/summaries``), 3 sentences.

Then the same requests go through ``toolkit`` in this process from as many threads,
for as long: the ratio of the two request rates is what HTTP costs. The soak runs
``/translate`` for ``--soak`` seconds and samples the server's memory (VmRSS) every
30 s: the goal is a flat line.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks._report import machine_line, write_section
from benchmarks.summary_data import load_sets
from benchmarks.translate_speed import DIRECTIONS, full_size_home, ntrex_sentences

COMMAND = "python -m benchmarks.service_load"
SENTENCES_PER_LANGUAGE = 200
SUMMARY_SENTENCES = 3
SOAK_SAMPLE_S = 30.0


@dataclass
class LoadResult:
    """What one timed run saw: every request's latency and status."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies) + sum(self.errors.values())

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def translate_payloads() -> list[dict[str, Any]]:
    sentences = {language: ntrex_sentences(language, SENTENCES_PER_LANGUAGE) for language in ("en", "zh", "ru")}
    payloads = []
    for index in range(SENTENCES_PER_LANGUAGE):
        for source, target in DIRECTIONS:
            payloads.append({"q": sentences[source][index], "source": source, "target": target, "format": "text"})
    return payloads


def summarize_payloads() -> list[dict[str, Any]]:
    bbc = next(s for s in load_sets() if s.language == "en")
    return [{"text": item.article, "sentences": SUMMARY_SENTENCES} for item in bbc.items]


# --- the server -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(home: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TRIGLOT_HOME": str(home),
        "TRIGLOT_CACHE": "0",
    }
    command = [sys.executable, "-m", "toolkit", "serve", "--port", str(port), "--preload", "en,zh,ru"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_ready(f"http://127.0.0.1:{port}", server)
    return server


def wait_ready(base: str, server: subprocess.Popen[bytes], limit_s: float = 180.0) -> None:
    import httpx

    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            if httpx.get(base + "/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server was not ready in time")


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- load through HTTP --------------------------------------------------------


async def _drive(url: str, payloads: Sequence[dict[str, Any]], clients: int, seconds: float) -> LoadResult:
    import httpx

    result = LoadResult(seconds)
    feed = itertools.cycle(payloads)
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=300) as client:

        async def one_client() -> None:
            while time.perf_counter() < stop_at:
                payload = next(feed)
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=payload)
                    status = str(response.status_code)
                except httpx.HTTPError as error:
                    status = type(error).__name__
                if status == "200":
                    result.latencies.append(time.perf_counter() - started)
                else:
                    result.errors[status] = result.errors.get(status, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        result.seconds = time.perf_counter() - started
    return result


def http_load(url: str, payloads: Sequence[dict[str, Any]], clients: int, seconds: float) -> LoadResult:
    return asyncio.run(_drive(url, payloads, clients, seconds))


def merged(results: Sequence[LoadResult]) -> LoadResult:
    """Several runs as one: every latency and error, their seconds added."""
    total = LoadResult(sum(result.seconds for result in results))
    for result in results:
        total.latencies += result.latencies
        for status, count in result.errors.items():
            total.errors[status] = total.errors.get(status, 0) + count
    return total


def soak(url: str, payloads: Sequence[dict[str, Any]], clients: int, seconds: float,
         pid: int) -> tuple[LoadResult, list[tuple[float, float]]]:
    """Load for ``seconds`` in runs of ``SOAK_SAMPLE_S``; the whole, and (seconds, VmRSS MiB) after each run."""
    parts: list[LoadResult] = []
    samples: list[tuple[float, float]] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        parts.append(http_load(url, payloads, clients, SOAK_SAMPLE_S))
        samples.append((time.perf_counter() - started, resident_mib(pid)))
        print(f"soak {samples[-1][0]:.0f} s: {samples[-1][1]:.0f} MiB", file=sys.stderr)
    return merged(parts), samples


# --- the same work through the library ---------------------------------------


def library_load(work: Callable[[dict[str, Any]], object], payloads: Sequence[dict[str, Any]], clients: int,
                 seconds: float) -> LoadResult:
    result = LoadResult(seconds)
    feed = itertools.cycle(payloads)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def one_client() -> None:
        while time.perf_counter() < stop_at:
            with lock:
                payload = next(feed)
            started = time.perf_counter()
            work(payload)
            elapsed = time.perf_counter() - started
            with lock:
                result.latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=one_client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def library_translate(home: Path) -> Callable[[dict[str, Any]], object]:
    from toolkit import Settings, translate_detailed

    settings = Settings.from_env(home=home, cache=False)

    def work(payload: dict[str, Any]) -> object:
        return translate_detailed([payload["q"]], source=payload["source"], target=payload["target"],
                                  settings=settings)

    return work


def library_summarize(home: Path) -> Callable[[dict[str, Any]], object]:
    from toolkit import Settings, summarize

    settings = Settings.from_env(home=home)

    def work(payload: dict[str, Any]) -> object:
        return summarize(payload["text"], sentences=payload["sentences"], settings=settings).to_dict()

    return work


# --- the report ---------------------------------------------------------------


def errors_of(result: LoadResult) -> str:
    return ", ".join(f"{count} × {status}" for status, count in sorted(result.errors.items())) or "none"


def row(name: str, http: LoadResult, library: LoadResult) -> str:
    return (
        f"| {name} | {http.requests} | {http.rate:.1f} | {http.percentile(0.5) * 1000:.0f} | "
        f"{http.percentile(0.99) * 1000:.0f} | {errors_of(http)} | {library.rate:.1f} | {http.rate / library.rate:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--packages", type=Path, help="folder with the full-size .argosmodel files")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="length of each timed run (default 60)")
    parser.add_argument("--soak", type=float, default=600, help="length of the soak in seconds, 0 to skip (default 600)")
    args = parser.parse_args()

    home = full_size_home(args.packages, "triglot-load-")
    translations, summaries = translate_payloads(), summarize_payloads()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(home, port)
    try:
        http_load(base + "/translate", translations[:40], 4, 5)  # warm-up: every package loaded and used
        memory_before = resident_mib(server.pid)
        http_translate = http_load(base + "/translate", translations, args.clients, args.seconds)
        http_summarize = http_load(base + "/summarize", summaries, args.clients, args.seconds)
        memory_after = resident_mib(server.pid)
        soak_samples: list[tuple[float, float]] = []
        soak_result = None
        if args.soak > 0:
            soak_result, soak_samples = soak(base + "/translate", translations, args.clients, args.soak, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    # The library is run as the server runs it: as many threads at once as it has inference slots.
    from service import ServiceSettings

    slots = ServiceSettings().inference_slots
    library_translation = library_load(library_translate(home), translations, slots, args.seconds)
    library_summary = library_load(library_summarize(home), summaries, slots, args.seconds)

    lines = [
        "## Service under load",
        "",
        f"Command: `{COMMAND} --clients {args.clients} --seconds {args.seconds:.0f} --soak {args.soak:.0f}` "
        f"({machine_line()}).",
        "",
        "`triglot serve` in a subprocess on loopback with its default limits, slots and waits, the",
        "full-size packages and the translation cache off. The load comes from this process:",
        f"{args.clients} `httpx` coroutines, each sending its next request as soon as the last is answered,",
        f"for {args.seconds:.0f} s. *Library* is the same requests through `toolkit.translate_detailed` /",
        f"`toolkit.summarize` in one process from {slots} threads (the server's default inference slots),",
        "for as long; *HTTP / library* is",
        "the ratio of the two rates (1.00 = HTTP costs nothing). The client shares the machine's cores",
        "with the server, so part of the HTTP cost is the client's.",
        "",
        "| endpoint | requests | req/s | p50 ms | p99 ms | errors | library req/s | HTTP / library |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
        row("/translate (1 sentence, 4 directions)", http_translate, library_translation),
        row(f"/summarize (BBC article, {SUMMARY_SENTENCES} sentences)", http_summarize, library_summary),
        "",
        f"- Server memory (VmRSS) after warm-up: {memory_before:.0f} MiB; after both runs: {memory_after:.0f} MiB.",
    ]
    if soak_result is not None and soak_samples:
        samples = ", ".join(f"{mib:.0f}" for _, mib in soak_samples)
        lines += [
            f"- Soak: `/translate` for {args.soak:.0f} s, {soak_result.requests} requests at "
            f"{soak_result.rate:.1f} req/s, p99 {soak_result.percentile(0.99) * 1000:.0f} ms, errors: {errors_of(soak_result)}.",
            f"  VmRSS every {SOAK_SAMPLE_S:.0f} s (MiB): {samples}; first to last "
            f"{soak_samples[-1][1] - soak_samples[0][1]:+.0f} MiB, largest {max(m for _, m in soak_samples):.0f} MiB.",
        ]
    markdown = "\n".join(lines)
    print(markdown)
    write_section("service-load", markdown)


if __name__ == "__main__":
    main()
