"""A corpus job's output folder: JSONL shards written whole, the ids already in them, and the manifest.

A shard (``shard-00000.jsonl``, ...) is written to a temporary file in the folder and
renamed: a job killed at any point leaves whole shards only, and only whole shards
count. Lines may come in any order, from any engine; a line whose id is already
written is dropped, so every article is in the shards exactly once. ``manifest.json``
records the job (its fingerprint: a resumed job must match it), the counts, the first
failures, the timings; it is rewritten after every shard.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InvalidOption, OutputFailed, UnreadableInput
from ..text import write_atomically
from .records import Record
from .worker import StageTimes

MANIFEST = "manifest.json"
DEFAULT_SHARD_SIZE = 1000
# The manifest names this many failures; the count has them all (each is in the shards with its error).
MAX_LISTED_FAILURES = 100
_SHARD = re.compile(r"^shard-(\d{5,})\.jsonl$")


def shard_paths(outdir: Path) -> list[Path]:
    """The whole shards in ``outdir``, in order (temporary files of an unfinished shard are not shards)."""
    if not outdir.is_dir():
        return []
    found = [(int(m.group(1)), path) for path in outdir.iterdir() if (m := _SHARD.match(path.name))]
    return [path for _, path in sorted(found)]


def read_lines(outdir: Path) -> Iterator[Record]:
    """Every line of every shard in ``outdir``, shard by shard."""
    for path in shard_paths(outdir):
        try:
            with path.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield _line(line, path, number)
        except OSError as error:
            raise UnreadableInput(f"{path}: cannot be read ({error.strerror})", path=str(path)) from None


def done_ids(outdir: str | Path) -> set[str]:
    """The ids of the articles already written to ``outdir``'s shards: what ``--resume`` skips."""
    return {str(line["id"]) for line in read_lines(Path(outdir))}


def _line(text: str, path: Path, number: int) -> Record:
    try:
        line = json.loads(text)
    except json.JSONDecodeError:
        line = None
    if not isinstance(line, dict) or "id" not in line:
        raise UnreadableInput(
            f"{path}:{number} is not a line a corpus job wrote; give an empty folder, or remove that file",
            path=str(path),
        )
    return line


@dataclass
class Counts:
    """``articles`` = ``ok`` + ``failed``: the lines in all shards; ``written`` of them by this run. Of the
    records this run read (``read``), ``skipped`` were in the shards already and ``duplicates`` had an id
    seen earlier in the run: ``read`` = ``written`` + ``skipped`` + ``duplicates`` once the job is done."""

    articles: int = 0
    ok: int = 0
    failed: int = 0
    read: int = 0
    written: int = 0
    skipped: int = 0
    duplicates: int = 0
    retried: int = 0  # lines an engine handed back again (a retried batch): dropped, never written twice


@dataclass
class Manifest:
    """What ``manifest.json`` says about a corpus job."""

    outdir: Path
    inputs: list[str]
    job: dict[str, Any]
    fingerprint: str
    signature: str
    counts: Counts = field(default_factory=Counts)
    failures: list[dict[str, str]] = field(default_factory=list)  # the first MAX_LISTED_FAILURES
    missing_translations: dict[str, int] = field(default_factory=dict)  # "zh>ru": articles without it
    shards: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    started: str = ""
    finished: str | None = None
    complete: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "job": self.job,
            "fingerprint": self.fingerprint,
            "signature": self.signature,
            "counts": self.counts.__dict__.copy(),
            "failures": self.failures,
            "missing_translations": self.missing_translations,
            "shards": self.shards,
            "timings": self.timings,
            "started": self.started,
            "finished": self.finished,
            "complete": self.complete,
        }


class CorpusOutput:
    """The output folder of one job: checks it, takes lines in any order, writes whole shards and the manifest.

    Raises ``InvalidOption`` for a folder with shards when not ``resume`` (say --resume or pick an
    empty folder) and, with ``resume``, for shards made by a different job (another fingerprint).
    """

    def __init__(
        self,
        outdir: str | Path,
        *,
        inputs: Sequence[str | Path],
        job: dict[str, Any],
        fingerprint: str,
        resume: bool = False,
        shard_size: int = DEFAULT_SHARD_SIZE,
    ) -> None:
        if shard_size < 1:
            raise InvalidOption(f"the shard size must be at least 1, not {shard_size}")
        self.outdir = Path(outdir)
        self.shard_size = shard_size
        self._pending: list[Record] = []
        self._written: set[str] = set()
        self._started = time.monotonic()
        self.write_seconds = 0.0
        self.manifest = Manifest(
            outdir=self.outdir,
            inputs=[str(i) for i in inputs],
            job=job,
            fingerprint=fingerprint,
            signature=str(job.get("signature", "")),
            started=_now(),
        )
        self._prepare(resume)
        self._save()

    def _prepare(self, resume: bool) -> None:
        if self.outdir.exists() and not self.outdir.is_dir():
            raise OutputFailed(f"{self.outdir} is a file; give a folder for the corpus shards", path=str(self.outdir))
        existing = shard_paths(self.outdir)
        if existing and not resume:
            raise InvalidOption(
                f"{self.outdir} already has {len(existing)} shards of a corpus job; pass --resume to carry on "
                "with it, or give an empty folder"
            )
        if existing:
            before = _read_manifest(self.outdir)
            if before is None or before.get("fingerprint") != self.manifest.fingerprint:
                made = "was made" if before is not None else "has no manifest.json: it was made"
                raise InvalidOption(
                    f"{self.outdir} {made} by a different job (other languages, glossary, summary length or "
                    "engine); resume it with the same options, or give an empty folder"
                )
            for line in read_lines(self.outdir):
                self._count(line, resumed=True)
            self.manifest.shards = [path.name for path in existing]
        try:
            self.outdir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputFailed(f"{self.outdir}: cannot make the folder ({error.strerror})", path=str(self.outdir)) from None

    def written(self, record_id: str) -> bool:
        """Whether the article with this id is already in a shard, or waiting for one."""
        return record_id in self._written

    def add(self, lines: Iterable[Record]) -> None:
        """Take output lines in any order; a whole shard is written as soon as there is one."""
        for line in lines:
            record_id = str(line["id"])
            if record_id in self._written:
                self.manifest.counts.retried += 1
                continue
            self._count(line, resumed=False)
            self._pending.append(line)
            if len(self._pending) >= self.shard_size:
                self._flush()

    def skipped(self, count: int = 1) -> None:
        """Records of this run that were in the shards already."""
        self.manifest.counts.skipped += count
        self.manifest.counts.read += count

    def duplicate(self, count: int = 1) -> None:
        """Records of this run whose id came earlier in the run: never processed twice."""
        self.manifest.counts.duplicates += count
        self.manifest.counts.read += count

    def close(self, times: StageTimes | None = None) -> Manifest:
        """Write what is left as the last shard, and the manifest as complete."""
        if self._pending:
            self._flush()
        manifest = self.manifest
        manifest.complete = True
        manifest.finished = _now()
        if times is not None:
            self.times(times)
        self._save()
        return manifest

    def abandon(self, times: StageTimes | None = None) -> None:
        """The run stops early: what is done is written (a shard, whole), the manifest says not complete."""
        try:
            if self._pending:
                self._flush()
        finally:
            if times is not None:
                self.times(times)
            self._save()

    def times(self, times: StageTimes) -> None:
        """The run's timings so far, for the manifest: the stages and the total wall time."""
        self.manifest.timings = {
            "read": round(times.read, 3),
            "summarise": round(times.summarise, 3),
            "translate": round(times.translate, 3),
            "write": round(times.write + self.write_seconds, 3),
            "total": round(time.monotonic() - self._started, 3),
        }

    def _count(self, line: Record, *, resumed: bool) -> None:
        counts = self.manifest.counts
        self._written.add(str(line["id"]))
        counts.articles += 1
        if not resumed:
            counts.written += 1
            counts.read += 1
        if "error" in line:
            counts.failed += 1
            if len(self.manifest.failures) < MAX_LISTED_FAILURES:
                self.manifest.failures.append({k: str(line.get(k)) for k in ("id", "source", "error")})
            return
        counts.ok += 1
        language = line.get("language")
        for target in self.manifest.job.get("targets", ()):
            if target != language and target not in (line.get("translations") or {}):
                key = f"{language}>{target}"
                self.manifest.missing_translations[key] = self.manifest.missing_translations.get(key, 0) + 1

    def _flush(self) -> None:
        started = time.perf_counter()
        index = _next_index(self.manifest.shards)
        name = f"shard-{index:05d}.jsonl"
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in self._pending)
        write_atomically(self.outdir / name, text, what="a corpus shard")
        self._pending = []
        self.manifest.shards.append(name)
        self._save()
        self.write_seconds += time.perf_counter() - started

    def _save(self) -> None:
        text = json.dumps(self.manifest.to_dict(), ensure_ascii=False, indent=2) + "\n"
        write_atomically(self.outdir / MANIFEST, text, what="the corpus manifest")


def _next_index(shards: Sequence[str]) -> int:
    numbers = [int(m.group(1)) for name in shards if (m := _SHARD.match(name))]
    return max(numbers) + 1 if numbers else 0


def _read_manifest(outdir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
