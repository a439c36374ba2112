"""Freed memory back to the system while the server runs.

glibc's allocator keeps what CTranslate2's batches free, for reuse, instead of handing
it back: a server's resident size then follows the largest batches it has run since it
started, not what it holds now, and creeps up over hours as rarer batch shapes come.
``malloc_trim`` returns the free pages; a few times a minute costs nothing a request
would notice (docs/benchmarks.md, the soak). Where the C library is not glibc, there is
nothing to call and nothing is done.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
from typing import Any

from starlette.concurrency import run_in_threadpool

RELEASE_INTERVAL_S = 5.0


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Any:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc: no malloc_trim
        return None


def release_freed_memory() -> bool:
    """Hand the allocator's free pages back to the system; False where that cannot be done."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


async def keep_releasing() -> None:
    """``release_freed_memory`` every ``RELEASE_INTERVAL_S``, in a worker thread (it takes the allocator's locks)."""
    while await run_in_threadpool(release_freed_memory):
        await asyncio.sleep(RELEASE_INTERVAL_S)
