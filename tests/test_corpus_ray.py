"""``triglot corpus --ray`` on real Ray clusters on loopback (``tests/ray_cluster.py``): no mocks.

A one-node cluster writes the lines the in-process engine writes; on a two-node cluster
a worker killed mid-job is replaced, its batch retried, and every article is written
exactly once. Each of those tests starts its own cluster in namespaces of its own, and
skips only where none can be made (not root, no ``unshare``), unless REQUIRE_RAY=1 (CI)
makes that a failure. Without a cluster, or without Ray, ``--ray`` is one line saying
what to do.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.ray_cluster import in_namespaces, require_namespaces
from tests.service_server import free_port
from tests.texts import CHINESE_ARTICLE, ENGLISH_ARTICLE, GERMAN_TEXT, RUSSIAN_ARTICLE
from toolkit import Settings
from toolkit.cli import main

SCENARIO_TIMEOUT_S = 300.0
FAILED = 3  # triglot corpus: done, some articles failed (the German one)


@pytest.fixture
def namespaces() -> None:
    require_namespaces()


def write_articles(path: Path, count: int) -> list[str]:
    """``count`` articles in the three languages (the fifth German, which fails), as JSONL; returns the ids."""
    bodies = {"en": ENGLISH_ARTICLE.split("\n", 1)[1], "ru": RUSSIAN_ARTICLE.split("\n", 1)[1], "zh": CHINESE_ARTICLE}
    ids = []
    with path.open("w", encoding="utf-8") as out:
        for number in range(count):
            language = ("en", "ru", "zh")[number % 3]
            record = {"id": f"a{number:04}", "title": f"{language} {number}", "text": bodies[language]}
            if number == 4:
                record.update(title="de", text=GERMAN_TEXT)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            ids.append(record["id"])
    return ids


def lines_by_id(outdir: Path) -> dict[str, dict[str, Any]]:
    from toolkit.corpora import read_lines

    return {line["id"]: line for line in read_lines(outdir)}


@pytest.mark.slow
@pytest.mark.usefixtures("namespaces")
def test_a_job_on_a_one_node_ray_cluster_writes_the_lines_the_in_process_engine_writes(
    with_models: Settings, tmp_path: Path
) -> None:
    from toolkit.corpora import corpus

    articles = tmp_path / "articles.jsonl"
    ids = write_articles(articles, 9)
    local = tmp_path / "local"
    corpus([articles], out=local, settings=Settings.from_env(home=with_models.home, cache=False), batch_size=3)

    on_ray = tmp_path / "ray"
    result = in_namespaces(
        "one_node_job",
        {"inputs": str(articles), "out": str(on_ray), "home": str(with_models.home), "batch_size": 3},
        timeout=SCENARIO_TIMEOUT_S, log=tmp_path / "scenario.log",
    )

    assert result["status"] == FAILED, result["stderr"]
    expected, got = lines_by_id(local), lines_by_id(on_ray)
    assert sorted(got) == ids
    assert got == expected
    assert "error" in got["a0004"] and set(got["a0001"]["translations"]) == {"en", "zh"}
    manifest = json.loads((on_ray / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["counts"]["articles"] == 9 and manifest["counts"]["failed"] == 1


@pytest.mark.slow
@pytest.mark.usefixtures("namespaces")
def test_a_worker_killed_mid_job_on_a_two_node_cluster_is_replaced_and_every_article_is_written_once(
    with_models: Settings, tmp_path: Path
) -> None:
    articles = tmp_path / "articles.jsonl"
    ids = write_articles(articles, 32)
    out = tmp_path / "out"

    result = in_namespaces(
        "worker_killed_mid_job",
        {"inputs": str(articles), "out": str(out), "home": str(with_models.home), "batch_size": 4},
        timeout=SCENARIO_TIMEOUT_S, log=tmp_path / "scenario.log",
    )

    assert result["killed"] is not None, "no actor ran a batch on the second node:\n" + result["log"]
    assert result["replacements"], "the killed actor was not replaced on its node:\n" + result["log"]
    assert result["status"] == FAILED, result["log"]  # finished; the German article is the one failure
    written = Counter(lines_by_id(out))
    lines = [line for shard in sorted(out.glob("shard-*.jsonl")) for line in shard.read_text("utf-8").splitlines()]
    assert sorted(written) == ids
    assert len(lines) == len(ids)  # no id twice, not even in different shards


def test_ray_auto_with_no_cluster_running_is_one_line_saying_how_to_start_one(tmp_path: Path) -> None:
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, 1)
    # No cluster's address file where Ray looks (RAY_TMPDIR), none in RAY_ADDRESS: Ray reads no further.
    environment = {"PATH": "/usr/bin:/bin", "RAY_TMPDIR": str(tmp_path / "ray"), "TRIGLOT_HOME": str(tmp_path / "h")}
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "corpus", str(articles), "-o", str(tmp_path / "out"), "--ray"],
        capture_output=True, text=True, env=environment, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "triglot: error: no running Ray cluster found (--ray auto joins one started on this machine with "
        "'ray start --head', or the one RAY_ADDRESS names); start one, or give its address: --ray HOST:PORT"
    )
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


def test_ray_at_an_address_where_nothing_listens_is_one_line_naming_it_in_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, 1)
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    assert main(["corpus", str(articles), "-o", str(tmp_path / "out"), "--ray", address]) == 1
    assert capsys.readouterr().err == (
        f"triglot: error: no Ray cluster answers at {address} (Connection refused); check the address "
        "('ray status' on the head node)\n"
    )
    assert time.monotonic() - started < 15
    assert not list((tmp_path / "out").glob("shard-*"))


def test_ray_not_installed_is_one_line_naming_the_extra_and_touches_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, 1)
    monkeypatch.setitem(sys.modules, "ray", None)  # Python's own way to make ``import ray`` fail
    assert main(["corpus", str(articles), "-o", str(tmp_path / "out"), "--ray"]) == 1
    assert capsys.readouterr().err == (
        "triglot: error: the Ray engine needs Ray, which is not installed here: pip install 'triglot[ray]'\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("address", ["articles.jsonl", "head:port", "10.0.0.1:70000", ":6379"])
def test_ray_given_something_that_is_no_address_says_what_it_takes(
    address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    articles = tmp_path / "articles.jsonl"
    write_articles(articles, 1)
    assert main(["corpus", str(articles), "-o", str(tmp_path / "out"), "--ray", address]) == 1
    assert capsys.readouterr().err == (
        "triglot: error: --ray takes the head node's address, HOST:PORT (port 6379 unless 'ray start --head' was "
        f"given another), or auto, not {address!r}; with no address, put --ray after the inputs\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_ray_engine_is_not_imported_by_the_library_or_the_command_line() -> None:
    probe = "import sys, toolkit, toolkit.corpora, toolkit.cli; toolkit.cli.build_parser(); print('ray' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout.strip() == "False"
