"""The corpus job as a library: lines that are the digest's articles, records read lazily with stable ids, whole
shards, resume, and the same lines from a pool of processes as from this one."""

from __future__ import annotations

import json
import os
import pickle
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.test_digest import write_articles
from toolkit import Settings, corpus, digest
from toolkit.corpora import ArticleWorker, CorpusJob, LocalEngine, done_ids, read_lines, read_records, shard_paths
from toolkit.digests import SCHEMA
from toolkit.errors import InvalidOption, UnreadableInput

FAILED_KEYS = {"id", "source", "error"}


def note(number: int, text: str = "Trade between the two countries rose again in May.") -> dict[str, Any]:
    return {"title": f"Note {number}", "text": f"{text} Officials counted {number} new firms."}


def write_feed(path: Path, count: int, *, start: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for number in range(start, start + count):
            handle.write(json.dumps(note(number)) + "\n")
    return path


def lines_by_id(outdir: Path) -> dict[str, dict[str, Any]]:
    found = list(read_lines(outdir))
    ids = Counter(str(line["id"]) for line in found)
    assert [i for i, n in ids.items() if n > 1] == []  # exactly once
    return {str(line["id"]): line for line in found}


def test_a_line_is_the_digests_article_for_the_same_input_with_its_id(with_models: Settings, tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles")
    manifest = corpus([articles], out=tmp_path / "out", targets=["en", "zh", "ru"], settings=with_models)
    expected = {a.source: a.to_dict() for a in digest([articles], targets=["en", "zh", "ru"], settings=with_models).articles}
    lines = lines_by_id(tmp_path / "out")
    assert sorted(lines) == ["1-customs-en.txt", "2-payments-zh.md", "3-routes-ru.html", "4-feed.jsonl:1"]
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    article_schema = {**schema["$defs"]["article"], "$defs": schema["$defs"]}
    for line in lines.values():
        article = {key: value for key, value in line.items() if key != "id"}
        assert article == expected[article["source"]]
        jsonschema.validate(article, article_schema, cls=jsonschema.Draft202012Validator)
        # The signature and the sentence alignment travel with every line.
        assert article["signature"] and all(t["sentences"] for t in article["translations"].values())
    assert (manifest.counts.articles, manifest.counts.ok, manifest.counts.failed) == (4, 4, 0)
    assert manifest.complete and manifest.signature.startswith("triglot:") and "glossary:" in manifest.signature
    assert set(manifest.timings) == {"read", "summarise", "translate", "write", "total"}
    assert manifest.timings["translate"] > 0 and manifest.timings["total"] >= manifest.timings["translate"]
    saved = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert saved["counts"]["ok"] == 4 and saved["complete"] is True and saved["fingerprint"] == manifest.fingerprint


def test_a_bad_article_or_line_is_one_error_line_and_the_job_goes_on(with_models: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.txt").write_bytes("Заголовок\n\nТекст.".encode("cp1251"))
    feed = folder / "feed.jsonl"
    feed.write_text(
        json.dumps({**note(1), "id": "wire-1"}) + "\n{oops\n" + json.dumps({"title": "No text"}) + "\n\n"
        + json.dumps(note(4)) + "\n" + json.dumps({"title": "Figures", "text": "1234 5678 9012 3456"}) + "\n",
        encoding="utf-8",
    )
    manifest = corpus([folder], out=tmp_path / "out", targets=["en", "zh"], settings=with_models)
    lines = lines_by_id(tmp_path / "out")
    failed = ["broken.txt", "feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:6"]
    assert sorted(lines) == sorted([*failed, "feed.jsonl:5", "wire-1"])
    for name in failed:
        assert set(lines[name]) == FAILED_KEYS
    assert "is not UTF-8 text" in lines["broken.txt"]["error"]
    assert lines["feed.jsonl:2"]["error"].startswith(f"{feed}:2: not valid JSON")
    assert "'text' must be a non-empty string" in lines["feed.jsonl:3"]["error"]
    # Failing in the pipeline (no language to tell) is a line like failing to be read.
    assert lines["feed.jsonl:6"]["error"].startswith(f"{feed}:6: ") and lines["feed.jsonl:6"]["source"] == f"{feed}:6"
    assert lines["wire-1"]["summary"] and lines["feed.jsonl:5"]["source"] == f"{feed}:5"
    counts = manifest.counts
    assert (counts.articles, counts.ok, counts.failed) == (6, 2, 4)
    assert [f["id"] for f in manifest.failures] == failed


def test_a_streamed_jsonl_is_read_line_by_line_never_whole(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    padding = "x" * 4000
    with feed.open("w", encoding="utf-8") as handle:
        for number in range(5000):
            handle.write(json.dumps({"title": f"Note {number}", "text": f"Trade rose {number}. {padding}"}) + "\n")
    assert feed.stat().st_size > 20_000_000
    tracemalloc.start()
    try:
        count = 0
        for record in read_records([feed]):
            assert record["id"] == f"feed.jsonl:{count + 1}"
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 5000
    assert peak < 2_000_000, f"reading took {peak} bytes at its peak: the file was held whole"


def test_ids_are_paths_within_the_folder_given_and_a_line_id_when_it_has_one(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    (folder / "2026" / "01").mkdir(parents=True)
    (folder / "2026" / "01" / "a.txt").write_text("Title\n\nTrade rose again in May.", encoding="utf-8")
    write_feed(folder / "wire.jsonl", 2)
    with (folder / "wire.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({**note(9), "id": 42}) + "\n" + json.dumps({**note(10), "id": ["no"]}) + "\n")
    single = write_feed(tmp_path / "elsewhere" / "one.jsonl", 1)
    records = list(read_records([folder, single]))
    assert [r["id"] for r in records] == [
        "2026/01/a.txt", "wire.jsonl:1", "wire.jsonl:2", "42", "wire.jsonl:4", "one.jsonl:1"
    ]
    assert records[0] == {"id": "2026/01/a.txt", "source": str(folder / "2026" / "01" / "a.txt"), "title": "Title",
                          "text": "Trade rose again in May."}
    assert set(records[4]) == FAILED_KEYS and "'id' must be" in records[4]["error"]
    with pytest.raises(UnreadableInput, match="missing: no such file"):
        next(read_records([folder, tmp_path / "missing"]))  # before the first record


def test_the_worker_gives_one_line_per_record_in_order_and_its_job_pickles(with_models: Settings) -> None:
    job = CorpusJob.make(["en", "ru"], with_models, sentences=1)
    assert pickle.loads(pickle.dumps(job)) == job
    records = [
        {"id": "a", "source": "s/a", **note(1)},
        {"id": "b", "source": "s/b", "error": "s/b: not valid JSON"},
        {"id": "c", "source": "s/c", "text": 5},
        {"id": "d", "source": "s/d", "text": "Торговля между двумя странами снова выросла в мае.", "language": "ru"},
    ]
    worker = ArticleWorker(job)
    assert worker.loaded == ["en>ru", "ru>en", "zh>en"]  # loaded once, here: all a batch can need, no more
    lines = worker(records)
    assert [line["id"] for line in lines] == ["a", "b", "c", "d"]
    assert set(lines[1]) == set(lines[2]) == FAILED_KEYS
    assert lines[1]["error"] == "s/b: not valid JSON" and "'text' must be a non-empty string" in lines[2]["error"]
    assert lines[0]["language"] == "en" and set(lines[0]["translations"]) == {"ru"}
    assert lines[3]["language"] == "ru" and set(lines[3]["translations"]) == {"en"}


def test_shards_are_whole_files_of_the_size_asked(with_models: Settings, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 5)
    manifest = corpus([feed], out=tmp_path / "out", targets=["en"], settings=with_models, batch_size=2, shard_size=2)
    shards = shard_paths(tmp_path / "out")
    assert [p.name for p in shards] == ["shard-00000.jsonl", "shard-00001.jsonl", "shard-00002.jsonl"]
    assert [len(p.read_text(encoding="utf-8").splitlines()) for p in shards] == [2, 2, 1]
    assert manifest.shards == [p.name for p in shards]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["manifest.json", *manifest.shards]  # no temporary


def test_resume_skips_the_ids_already_written_and_keeps_their_shards(with_models: Settings, tmp_path: Path) -> None:
    feed = write_feed(tmp_path / "feed.jsonl", 3)
    out = tmp_path / "out"
    corpus([feed], out=out, targets=["en"], settings=with_models, shard_size=1)
    before = {p.name: p.read_bytes() for p in shard_paths(out)}
    assert done_ids(out) == {"feed.jsonl:1", "feed.jsonl:2", "feed.jsonl:3"}
    write_feed(feed, 2, start=3)
    # What a run killed while writing its next shard leaves: never a shard, and gone once that shard is written.
    stale = out / ".shard-00003.jsonl.999999999.triglot-tmp"
    stale.write_text('{"id": "feed.jsonl:4"}\n', encoding="utf-8")
    with pytest.raises(InvalidOption, match="pass --resume"):
        corpus([feed], out=out, targets=["en"], settings=with_models)
    told: list[tuple[int, int | None]] = []
    manifest = corpus([feed], out=out, targets=["en"], settings=with_models, shard_size=1, resume=True,
                      progress=lambda done, total: told.append((done, total)))
    assert told[0] == (0, 5) and told[-1] == (2, 2)  # what is skipped is no work of this run: not in the rate
    assert {p.name: p.read_bytes() for p in shard_paths(out) if p.name in before} == before
    assert not stale.exists() and len(shard_paths(out)) == 5
    counts = manifest.counts
    assert (counts.read, counts.skipped, counts.written, counts.articles, counts.ok) == (5, 3, 2, 5, 5)
    assert sorted(lines_by_id(out)) == [f"feed.jsonl:{n}" for n in range(1, 6)]
    with pytest.raises(InvalidOption, match="different job"):
        corpus([feed], out=out, targets=["en", "ru"], settings=with_models, resume=True)
    with pytest.raises(InvalidOption, match="different job"):
        corpus([feed], out=out, targets=["en"], settings=with_models, resume=True, glossary=False)


def test_an_id_seen_twice_in_a_run_is_processed_once(with_models: Settings, tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({**note(n), "id": "same"}) + "\n" for n in range(2)), encoding="utf-8")
    manifest = corpus([feed], out=tmp_path / "out", targets=["en"], settings=with_models)
    assert list(lines_by_id(tmp_path / "out")) == ["same"]
    assert (manifest.counts.read, manifest.counts.written, manifest.counts.duplicates) == (2, 1, 1)


def test_two_worker_processes_give_the_same_lines_as_this_process(with_models: Settings, tmp_path: Path) -> None:
    articles = write_articles(tmp_path / "articles")
    write_feed(articles / "5-more.jsonl", 3)
    one = corpus([articles], out=tmp_path / "one", targets=["en", "zh"], settings=with_models, batch_size=2)
    two = corpus([articles], out=tmp_path / "two", targets=["en", "zh"], settings=with_models, batch_size=2, workers=2)
    assert lines_by_id(tmp_path / "two") == lines_by_id(tmp_path / "one")
    assert len(lines_by_id(tmp_path / "one")) == 7
    assert two.counts == one.counts and two.fingerprint == one.fingerprint


@pytest.mark.parametrize(("intra_threads", "expected"), [(0, 2), (3, 3)])
def test_pool_workers_share_the_cores_this_process_may_use_not_the_machines(
    monkeypatch: pytest.MonkeyPatch, intra_threads: int, expected: int
) -> None:
    # In a container (or under taskset) the machine's count overstates what the pool may use: 64
    # threads per worker on a 4-core share would contend, not run faster. A number set wins.
    from toolkit.corpora import engines

    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    pools: list[tuple[CorpusJob, int]] = []
    monkeypatch.setattr(engines, "_run_pool", lambda job, workers, batches, emit: pools.append((job, workers)))
    job = CorpusJob.make(["en"], Settings.from_env(intra_threads=intra_threads))
    LocalEngine(workers=2).run(job, [], lambda batch: None)
    ((pool_job, workers),) = pools
    assert workers == 2 and pool_job.settings.intra_threads == expected
