"""A real Ray cluster on loopback for the tests: a head and more nodes, in namespaces of their own.

Ray binds its services to the machine's network address, not to loopback, whatever
``--node-ip-address`` says; tests may only talk on loopback. So everything Ray runs
inside a new network namespace, where loopback is the only interface and every Ray
address is 127.0.0.1 (``unshare --net``, as root: developers and CI are root). The
same ``unshare`` gives it a PID namespace with its own ``/proc`` (``--pid --fork
--mount-proc``): every process in it was started by the scenario, so stopping the
cluster is killing every process the namespace holds, each by its id, and when the
scenario ends for whatever reason (``--kill-child``: even when the test is killed)
the kernel kills whatever is left. Nothing touches another helper's Ray.

A scenario is a function (``tests/ray_scenarios.py`` has the tests'; a benchmark names
its own as ``module:function``) run inside the namespaces by ``in_namespaces``; it gets
a ``Cluster`` and JSON-able arguments and returns a JSON-able result. Each node is started with ``ray start`` (Ray's own launcher: the same processes
a real cluster has), one CPU unless told otherwise, token authentication off
(``RAY_AUTH_MODE=disabled``: Ray 2.60 turns it on by default, and a second node then
fails with ``InvalidAuthToken``), and Ray's files under a short temporary folder of its
own (``RAY_TMPDIR``: Ray's socket paths must stay under 108 bytes, and the address file
``ray_current_cluster`` is not shared with anyone else's Ray).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NAMESPACES = ("unshare", "--net", "--pid", "--fork", "--mount-proc", "--kill-child")
HEAD_PORT = 6390  # any port: nothing else listens in a namespace of our own
NODE_START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
PROBE_TIMEOUT_S = 10.0


def namespace_problem() -> str | None:
    """Why this machine cannot run a scenario in new namespaces, or None when it can."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return "needs Linux's unshare (util-linux)"
    try:
        probe = subprocess.run(
            [*NAMESPACES, sys.executable, "-c", "import tests.ray_cluster as c; c.loopback_up()"],
            cwd=ROOT, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"unshare failed: {error}"
    if probe.returncode != 0:
        return "unshare --net --pid failed (it needs root): " + (probe.stderr.strip().splitlines() or ["?"])[-1]
    return None


def require_namespaces() -> None:
    """Skip where no namespace can be made (not root, no unshare); a failure under REQUIRE_RAY=1 (CI)."""
    import pytest

    problem = namespace_problem()
    if problem is None:
        return
    if os.environ.get("REQUIRE_RAY") == "1":
        pytest.fail(f"REQUIRE_RAY=1 but a Ray test cluster cannot run here: {problem}")
    pytest.skip(f"a Ray test cluster {problem}; set REQUIRE_RAY=1 to require it")


class ScenarioFailed(AssertionError):
    """A scenario failed or ran out of time; the message ends with its log."""


def in_namespaces(scenario: str, arguments: Mapping[str, Any], *, timeout: float, log: Path) -> Any:
    """Run the scenario (``name`` of ``tests.ray_scenarios``, or ``module:function``) as
    ``scenario(cluster, **arguments)`` in new namespaces, and return its result.

    The scenario's output (Ray's and the jobs' too) goes to ``log``, quoted in ``ScenarioFailed`` when it
    fails. Past ``timeout`` seconds the namespaces are killed (and everything in them with them)."""
    folder = Path(tempfile.mkdtemp(prefix="tgray-", dir="/tmp" if Path("/tmp").is_dir() else None))
    request = folder / "request.json"
    result = folder / "result.json"
    request.write_text(json.dumps({"scenario": scenario, "arguments": dict(arguments)}), encoding="utf-8")
    command = [*NAMESPACES, sys.executable, "-m", "tests.ray_cluster", str(folder)]
    try:
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=ROOT, env=_environment(), stdout=output, stderr=subprocess.STDOUT)
            try:
                status = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()  # unshare: --kill-child takes the namespace's first process, the kernel the rest
                process.wait(timeout=STOP_TIMEOUT_S)
                raise ScenarioFailed(f"scenario {scenario} ran past {timeout:.0f} s; its log:\n{_tail(log)}")
        if status != 0 or not result.exists():
            raise ScenarioFailed(f"scenario {scenario} failed (exit status {status}); its log:\n{_tail(log)}")
        return json.loads(result.read_text(encoding="utf-8"))["result"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _environment() -> dict[str, str]:
    environment = dict(os.environ)
    # This checkout's code in every Ray worker too (they start from the raylet, not from the driver).
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    environment["RAY_AUTH_MODE"] = "disabled"
    environment["RAY_USAGE_STATS_ENABLED"] = "0"
    return environment


def _tail(log: Path, size: int = 6000) -> str:
    return log.read_text(encoding="utf-8", errors="replace")[-size:] if log.exists() else "(no log)"


def loopback_up() -> None:
    """Bring up ``lo`` in this (new) network namespace: ``ip link set lo up``, without needing iproute2."""
    siocgifflags, siocsifflags, iff_up = 0x8913, 0x8914, 0x1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        request = struct.pack("16sh", b"lo", 0)
        flags = struct.unpack("16sh", fcntl.ioctl(sock, siocgifflags, request))[1]
        fcntl.ioctl(sock, siocsifflags, struct.pack("16sh", b"lo", flags | iff_up))


class Cluster:
    """Ray nodes started with ``ray start`` in this PID namespace; ``stop`` kills every process in it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.address = f"127.0.0.1:{HEAD_PORT}"
        self.environment = {**os.environ, "RAY_TMPDIR": str(folder / "ray-tmp")}
        (folder / "ray-tmp").mkdir()
        self._ray = str(Path(sys.executable).with_name("ray"))
        self.raylets: list[int] = []  # each node's raylet, head first: a node's workers are its children

    def start_head(self, cpus: int = 1) -> None:
        self._ray_start(["--head", f"--port={HEAD_PORT}", "--include-dashboard=false"], cpus)

    def add_node(self, cpus: int = 1) -> None:
        self._ray_start([f"--address={self.address}"], cpus)

    def _ray_start(self, arguments: list[str], cpus: int) -> None:
        command = [self._ray, "start", *arguments, f"--num-cpus={cpus}", "--disable-usage-stats"]
        before = set(_named("raylet"))
        started = subprocess.run(
            command, env=self.environment, capture_output=True, text=True, timeout=NODE_START_TIMEOUT_S
        )
        if started.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{started.stdout[-3000:]}\n{started.stderr[-3000:]}")
        (raylet,) = set(_named("raylet")) - before
        self.raylets.append(raylet)

    def workers_of(self, node: int, title: str) -> list[int]:
        """The worker processes of node ``node`` (0 is the head) whose title (``ray::ClassName``, what Ray
        calls a worker after the actor it holds) starts with ``title``."""
        found = []
        for pid in _children(self.raylets[node]):
            with contextlib.suppress(OSError):
                if Path(f"/proc/{pid}/cmdline").read_bytes().startswith(title.encode()):
                    found.append(pid)
        return found

    def stop(self) -> None:
        """Kill every other process of this PID namespace by its id (all of them Ray's or a job's), and reap."""
        me = os.getpid()
        for _ in range(3):
            pids = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and int(p.name) != me]
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            while time.monotonic() < deadline and _living(me):
                _reap()
                time.sleep(0.05)
            _reap()
            if not _living(me):
                return
        raise RuntimeError(f"processes left after stopping the cluster: {_living(me)}")


def _named(command: str) -> list[int]:
    """This namespace's processes whose command name is ``command``."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == command:
                found.append(int(entry.name))
    return found


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _living(me: int) -> list[int]:
    """Processes of this namespace other than ``me`` that are not zombies."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != me:
            with contextlib.suppress(OSError):
                state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
                if state != "Z":
                    found.append(int(entry.name))
    return found


def _reap() -> None:
    # The scenario is the namespace's first process: every orphan (Ray's daemons) is its child to reap.
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def main(folder: Path) -> None:
    """Inside the namespaces: bring up loopback, run the requested scenario, stop the cluster whatever happens."""
    import importlib

    loopback_up()
    request = json.loads((folder / "request.json").read_text(encoding="utf-8"))
    module, _, name = str(request["scenario"]).rpartition(":")
    scenario = getattr(importlib.import_module(module or "tests.ray_scenarios"), name)
    cluster = Cluster(folder)
    try:
        result = scenario(cluster, **request["arguments"])
    finally:
        cluster.stop()
    (folder / "result.json").write_text(json.dumps({"result": result}), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
