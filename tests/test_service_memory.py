"""The server hands the allocator's freed memory back to the system as it runs, so its resident size
follows what it holds, not the largest batches it has seen."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import time
from pathlib import Path

import pytest

import service.memory
from service import ServiceSettings, create_app
from service.memory import release_freed_memory
from tests.service_server import library_settings, running

glibc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="malloc_trim is glibc's (Linux)")


def resident_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@glibc
def test_freed_heap_pages_go_back_to_the_system() -> None:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(4096) for _ in range(40_000)]  # 160 MiB in blocks below the mmap threshold
    for block in blocks:
        ctypes.memset(block, 1, 4096)
    for block in blocks[:-1]:  # the last one in use: the heap cannot shrink from its top by itself
        libc.free(block)
    before = resident_mib()
    assert release_freed_memory() is True
    after = resident_mib()
    libc.free(blocks[-1])
    assert before - after > 100, (before, after)


@glibc
def test_a_running_server_releases_memory_every_interval_and_stops_when_it_stops(
    tiny_packages: dict[tuple[str, str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[float] = []

    def counted() -> bool:
        calls.append(time.monotonic())
        return True

    monkeypatch.setattr(service.memory, "release_freed_memory", counted)
    monkeypatch.setattr(service.memory, "RELEASE_INTERVAL_S", 0.05)
    app = create_app(ServiceSettings(), library=library_settings(tmp_path / "home", tiny_packages))
    with running(app):
        time.sleep(1)
    stopped = len(calls)
    time.sleep(0.3)
    assert stopped >= 5 and len(calls) == stopped
