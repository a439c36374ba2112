"""`triglot models` against crafted archives and a data directory that cannot be written.

Each crafted archive is made with zipfile from a tiny package and installed through the
command line over a working en→zh package: the answer is exit 1 and one line naming the
file, the working package still translates, and no staging folder is left behind.
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_models import entry, write_index
from toolkit import Settings, translate
from toolkit.cli import main
from toolkit.translation import CTranslate2Engine, list_models

Packages = dict[tuple[str, str], Path]
SENTENCE = "Small firms in Harbin signed 42 contracts with Russian buyers."
# A cap over what the tiny package unpacks to (21.5 MiB, mostly zeros: 170 kB zipped),
# low enough that the zip bomb below passes it in a fraction of a second.
LOW_UNPACKED_CAP = 32 << 20


def read_members(archive: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(archive) as bundle:
        return [(info, bundle.read(info)) for info in bundle.infolist()]


def write_members(path: Path, members: list[tuple[zipfile.ZipInfo, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for info, data in members:
            bundle.writestr(info, data)
    return path


def renamed(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(name, date_time=info.date_time)
    copy.external_attr, copy.create_system, copy.compress_type = info.external_attr, info.create_system, info.compress_type
    return copy


def with_model_bin(members: list[tuple[zipfile.ZipInfo, bytes]], data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    return [(info, data if info.filename.endswith("/model/model.bin") else content) for info, content in members]


def patch_entry(archive: Path, member: str, *, method: int | None = None, add_flags: int = 0) -> None:
    """Rewrite one member's compression method, or add flag bits, in its local header and central directory entry.

    zipfile writes neither an unknown method nor an encrypted member, so the bytes are edited (APPNOTE 4.3.7, 4.3.12).
    """
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as bundle:
        local = bundle.getinfo(member).header_offset
    end = raw.rindex(b"PK\x05\x06")
    central = int.from_bytes(raw[end + 16 : end + 20], "little")
    while raw[central : central + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (
            int.from_bytes(raw[central + at : central + at + 2], "little") for at in (28, 30, 32)
        )
        if raw[central + 46 : central + 46 + name_length].decode() == member:
            break
        central += 46 + name_length + extra_length + comment_length
    else:
        raise AssertionError(f"{member} is not in the central directory")
    for header, flags_at, method_at in ((local, 6, 8), (central, 8, 10)):
        if method is not None:
            raw[header + method_at : header + method_at + 2] = method.to_bytes(2, "little")
        flags = int.from_bytes(raw[header + flags_at : header + flags_at + 2], "little") | add_flags
        raw[header + flags_at : header + flags_at + 2] = flags.to_bytes(2, "little")
    archive.write_bytes(bytes(raw))


def crafted(kind: str, good: Path, folder: Path) -> Path:
    """A package like ``good`` with one fault; the file's name is the fault's."""
    members = read_members(good)
    top = members[0][0].filename.split("/")[0]
    model_bin = f"{top}/model/model.bin"
    target = folder / f"{kind}.argosmodel"
    if kind == "long-name":
        name = f"{top}/{'n' * 300}.txt"
        return write_members(target, [*members, (renamed(members[-1][0], name), b"x")])
    if kind == "control-character-name":
        return write_members(target, [*members, (renamed(members[-1][0], f"{top}/read\nme.txt"), b"x")])
    if kind == "symlink":
        link = zipfile.ZipInfo(f"{top}/model/link", date_time=(1980, 1, 1, 0, 0, 0))
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        return write_members(target, [*members, (link, b"../../../../etc/passwd")])
    if kind == "fifo":
        pipe = zipfile.ZipInfo(f"{top}/pipe", date_time=(1980, 1, 1, 0, 0, 0))
        pipe.create_system = 3
        pipe.external_attr = (stat.S_IFIFO | 0o644) << 16
        return write_members(target, [*members, (pipe, b"")])
    if kind == "previous-top-folder":
        return write_members(target, [(renamed(info, "previous" + info.filename[len(top) :]), data) for info, data in members])
    if kind == "file-and-folder":
        a_file = members[-1][0]
        clash = [(renamed(a_file, f"{top}/notes/x.txt"), b"x"), (renamed(a_file, f"{top}/notes"), b"x")]
        return write_members(target, [*members, *clash])
    if kind == "too-many-files":
        extra = [(renamed(members[-1][0], f"{top}/extra/{i}.txt"), b"") for i in range(1000)]
        return write_members(target, [*members, *extra])
    if kind in ("unknown-compression", "encrypted"):
        write_members(target, members)
        if kind == "unknown-compression":
            patch_entry(target, model_bin, method=99)
        else:
            patch_entry(target, model_bin, add_flags=0x1)  # bit 0: encrypted
        return target
    if kind == "garbage-model-bin":
        return write_members(target, with_model_bin(members, random.Random(7).randbytes(64 << 10)))
    if kind == "zeroed-model-bin":
        return write_members(target, with_model_bin(members, bytes(1 << 20)))
    if kind == "cut-off-model-bin":
        real = {info.filename: data for info, data in members}[model_bin]
        return write_members(target, with_model_bin(members, real[: len(real) // 2]))
    if kind == "zip-bomb":
        # 64 MiB of zeros deflate to about 64 KB: twice the cap the tests set.
        return write_members(target, with_model_bin(members, bytes(2 * LOW_UNPACKED_CAP)))
    raise AssertionError(kind)


def one_error_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run the command line; it must exit 1 with exactly one 'triglot: error:' line on stderr."""
    assert main(argv) == 1
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("triglot: error: "), err
    assert "Traceback" not in err
    return lines[0]


def assert_still_translates(home: Path) -> None:
    """The installed en→zh package, loaded afresh from disk (no cache, a new engine), still translates."""
    settings = Settings.from_env(home=home, cache=False)
    engine = CTranslate2Engine(settings)
    assert translate(SENTENCE, source="en", target="zh", settings=settings, engine=engine, glossary=False) == SENTENCE


def assert_nothing_left_staged(home: Path) -> None:
    scratch = home / "tmp"
    assert not scratch.is_dir() or list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("long-name", "too long to write"),
        ("control-character-name", "control character"),
        ("symlink", "symbolic link"),
        ("fifo", "device, pipe or socket"),
        ("previous-top-folder", "'previous'"),
        ("file-and-folder", "both as a file and as a folder"),
        ("too-many-files", "1000 allowed"),
        ("unknown-compression", "compression method 99"),
        ("encrypted", "encrypted"),
        ("garbage-model-bin", "model/model.bin cannot be loaded by CTranslate2"),
        ("cut-off-model-bin", "model/model.bin cannot be loaded by CTranslate2"),
        ("zeroed-model-bin", "model/model.bin cannot be loaded by CTranslate2"),
        ("zip-bomb", "TRIGLOT_MAX_UNPACKED_BYTES"),
    ],
)
def test_a_crafted_archive_is_one_line_and_the_working_package_stays(
    with_models: Settings,
    tiny_packages: Packages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    words: str,
) -> None:
    monkeypatch.setenv("TRIGLOT_MAX_UNPACKED_BYTES", str(LOW_UNPACKED_CAP))
    before = list_models(with_models)
    archive = crafted(kind, tiny_packages[("en", "zh")], tmp_path)
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert str(archive) in line and words in line, line
    assert list_models(with_models) == before
    assert_nothing_left_staged(with_models.home)
    assert_still_translates(with_models.home)


class FullDisk:
    """A file on a disk with no room left: writing fails with the kernel's ENOSPC."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.path))

    def close(self) -> None:
        return None


def files_written_under(folder: Path, monkeypatch: pytest.MonkeyPatch, answer: Callable[[Path], Any] | None = None) -> list[Path]:
    """Record every file opened for writing under ``folder``; ``answer`` gives what such an ``open`` returns."""
    real_open = builtins.open
    opened: list[Path] = []

    def recording_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, os.PathLike)) and set(mode) & set("wxa") and Path(file).is_relative_to(folder):
            opened.append(Path(file))
            if answer is not None:
                return answer(Path(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    return opened


def test_a_zip_bomb_is_refused_before_a_byte_is_written(
    with_models: Settings, tiny_packages: Packages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.errors import InvalidModelPackage
    from toolkit.translation import install_from_file

    archive = crafted("zip-bomb", tiny_packages[("en", "zh")], tmp_path)
    assert archive.stat().st_size < 300_000  # small on disk, 64 MiB declared inside
    monkeypatch.setenv("TRIGLOT_MAX_UNPACKED_BYTES", str(LOW_UNPACKED_CAP))
    written = files_written_under(with_models.home / "tmp", monkeypatch)
    with pytest.raises(InvalidModelPackage, match="unpacks to 64"):
        install_from_file(archive, Settings.from_env())
    assert written == []


def test_a_package_file_over_the_size_cap_is_refused(
    with_models: Settings, tiny_packages: Packages, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRIGLOT_MAX_PACKAGE_BYTES", "1000")
    archive = tiny_packages[("en", "zh")]
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert str(archive) in line and "TRIGLOT_MAX_PACKAGE_BYTES" in line
    assert_still_translates(with_models.home)


def test_a_download_over_the_size_cap_is_stopped(
    with_models: Settings,
    tiny_packages: Packages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = tiny_packages[("en", "zh")]
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", write_index(tmp_path, [entry("en", "zh", archive, "2.0")]))
    monkeypatch.setenv("TRIGLOT_MAX_PACKAGE_BYTES", "1000")
    line = one_error_line(capsys, ["models", "install", "en", "zh"])
    assert archive.name in line and "TRIGLOT_MAX_PACKAGE_BYTES" in line
    assert [m.version for m in list_models(with_models) if m.target == "zh"] == ["1.0"]
    assert_nothing_left_staged(with_models.home)
    assert_still_translates(with_models.home)


def test_a_garbage_model_from_the_index_is_refused_naming_the_link(
    with_models: Settings,
    tiny_packages: Packages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    archive = crafted("garbage-model-bin", tiny_packages[("en", "zh")], tmp_path)
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", write_index(tmp_path, [entry("en", "zh", archive, "2.0")]))
    line = one_error_line(capsys, ["models", "install", "en", "zh"])
    assert archive.name in line and "cannot be loaded by CTranslate2" in line
    assert_nothing_left_staged(with_models.home)
    assert_still_translates(with_models.home)


def test_a_package_damaged_after_it_was_installed_fails_translation_in_one_line(
    with_models: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What an install refuses can still happen on disk later: a zeroed model.bin (CTranslate2 raises IndexError)."""
    model_bin = with_models.packages_dir / "translate-en_zh" / "model" / "model.bin"
    model_bin.write_bytes(bytes(1 << 20))
    text = tmp_path / "in.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    line = one_error_line(capsys, ["translate", "--from", "en", "--to", "zh", "--no-cache", str(text)])
    assert "translate-en_zh" in line and "triglot models install en zh" in line


def home_under_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A TRIGLOT_HOME that cannot be made whoever runs the tests (root too): its parent is a file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file, where the home's parent folder should be")
    home = blocker / "triglot"
    monkeypatch.setenv("TRIGLOT_HOME", str(home))
    return home


def test_installing_a_file_into_a_home_that_cannot_be_made_is_one_line(
    tiny_packages: Packages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = home_under_a_file(tmp_path, monkeypatch)
    archive = tiny_packages[("en", "zh")]
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert str(archive) in line and str(home) in line and "set TRIGLOT_HOME to a folder you can write" in line
    assert "changed nothing" in line


def test_installing_from_the_index_into_a_home_that_cannot_be_made_is_one_line(
    tiny_packages: Packages, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "index"
    index.mkdir()
    monkeypatch.setenv("TRIGLOT_MODEL_INDEX", write_index(index, [entry("en", "zh", tiny_packages[("en", "zh")])]))
    home = home_under_a_file(tmp_path, monkeypatch)
    line = one_error_line(capsys, ["models", "install", "en", "zh"])
    assert "en→zh" in line and str(home) in line and "set TRIGLOT_HOME to a folder you can write" in line


def test_a_file_in_the_way_of_the_staging_folder_leaves_install_and_remove_as_one_line(
    with_models: Settings, tiny_packages: Packages, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch = with_models.home / "tmp"
    for leftover in scratch.iterdir():
        leftover.rmdir()
    scratch.rmdir()
    scratch.write_text("a file where triglot keeps its staging folder")
    archive = tiny_packages[("en", "zh")]
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert str(archive) in line and str(scratch) in line and "a file where a folder must be" in line
    line = one_error_line(capsys, ["models", "remove", "en", "zh"])
    assert "translate-en_zh" in line and "changed nothing" in line
    assert len(list_models(with_models)) == 4
    assert_still_translates(with_models.home)


def test_a_read_only_data_directory_says_so(
    with_models: Settings, tiny_packages: Packages, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Root writes through chmod, so the read-only file system is what the kernel would answer.
    def read_only(*args: object, **kwargs: object) -> str:
        raise OSError(errno.EROFS, "Read-only file system", str(with_models.home / "tmp"))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    archive = tiny_packages[("en", "zh")]
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert str(archive) in line and "read-only file system" in line and "make it writable" in line
    assert_still_translates(with_models.home)


def test_a_full_disk_while_unpacking_leaves_the_working_package_and_no_staging(
    with_models: Settings, tiny_packages: Packages, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    written = files_written_under(with_models.home / "tmp", monkeypatch, answer=FullDisk)
    before = list_models(with_models)
    archive = tiny_packages[("en", "zh")]
    line = one_error_line(capsys, ["models", "install", "--file", str(archive)])
    assert written, "nothing was written, so the full disk was never met"
    assert str(archive) in line and "no space left on device" in line and "free some space" in line
    assert list_models(with_models) == before
    assert_nothing_left_staged(with_models.home)
    assert_still_translates(with_models.home)


def test_a_read_only_home_with_packages_still_lists_them(with_models: Settings) -> None:
    """argostranslate makes folders under the home when first imported; a home that cannot take them still lists."""
    shutil.rmtree(with_models.home / "argos", ignore_errors=True)  # made only if this process imported it here
    (with_models.home / "argos").write_text("in the way, as a read-only home would be")
    # A fresh process: this one imported argostranslate when the fixture installed the packages.
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "models", "list", "--format", "json"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert [(m["from"], m["to"]) for m in json.loads(result.stdout)] == [("en", "ru"), ("en", "zh"), ("ru", "en"), ("zh", "en")]


def test_scratch_folders_a_killed_run_left_are_removed_by_the_next_install(
    tiny_packages: dict[tuple[str, str], Path], clean_environment: Path
) -> None:
    settings = Settings.from_env()
    scratch = settings.home / "tmp"
    stale = [scratch / "installing-999999999-k3x9", scratch / "removing-translate-en_zh-999999999"]
    live = scratch / f"installing-{os.getppid()}-a1b2"  # our parent is running: not ours to remove
    for folder in (*stale, live):
        (folder / "model").mkdir(parents=True)
    assert main(["models", "install", "--file", str(tiny_packages[("en", "zh")])]) == 0
    assert not any(folder.exists() for folder in stale) and live.exists()
