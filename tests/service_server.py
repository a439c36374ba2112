"""A real uvicorn server on 127.0.0.1 for the service tests, and the tiny packages it serves."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from service import uvicorn_options
from service.state import state_of_app
from toolkit import Settings

STARTUP_TIMEOUT_S = 30.0


def free_port() -> int:
    """A loopback port nothing listens on now, for a server the test starts itself."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def uvicorn_workers(pid: int) -> set[int]:
    """The worker processes uvicorn's supervisor ``pid`` spawned (not multiprocessing's resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            with contextlib.suppress(OSError):  # gone meanwhile
                if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():  # empty for a zombie
                    found.add(int(child))
    return found


def library_settings(home: Path, packages: Mapping[tuple[str, str], Path], **overrides: object) -> Settings:
    """Settings whose home holds the four tiny packages (models that copy their input)."""
    from toolkit.translation import install_from_file

    settings = Settings.from_env({}, home=home, **overrides)
    if not settings.packages_dir.is_dir():
        for archive in packages.values():
            install_from_file(archive, settings)
    return settings


@contextlib.contextmanager
def running(app: FastAPI, *, ready: bool = True) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL once /health (and /ready) answer.

    uvicorn gets the options ``triglot serve`` gives it, from the app's own settings."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    options = uvicorn_options(state_of_app(app).settings)
    config = uvicorn.Config(app, log_level="warning", ws="none", lifespan="on", access_log=False, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + ("/ready" if ready else "/health"))
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_for(url: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not answer {url} in {STARTUP_TIMEOUT_S} s")
        time.sleep(0.05)
