"""Translation packages: list, install (from the model index or a file) and remove.

The packages are Argos Translate ``.argosmodel`` files, read with
``argostranslate.package``; they live under ``TRIGLOT_HOME/packages``, one folder
per direction, never in argostranslate's global directories. triglot checks an
archive (``archive``: sizes, names, kinds of member, compression, unpacking bounded)
and tries the model on one sentence (``trial``) before it touches the installed
set, and swaps folders by renaming, so a bad file, an interrupted install or a full
disk leaves nothing half-installed (``datadir`` says what to do about the disk).

argostranslate's own install and uninstall import ``argostranslate.translate``
(stanza and torch, seconds) and its index reader retries without end when the
index cannot be fetched, so those parts are done here.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import (
    InvalidModelPackage,
    ModelDownloadFailed,
    ModelIndexUnavailable,
    ModelNotAvailable,
    ModelNotInstalled,
)
from ..settings import Settings
from ..text import SUPPORTED, normalize_language, process_running
from .archive import Limits, human_size, unpack
from .datadir import failure, writing
from .trial import try_translating

# The directions `triglot models install --all` installs: zh<->ru goes through English.
ALL_DIRECTIONS: tuple[tuple[str, str], ...] = (("en", "zh"), ("zh", "en"), ("en", "ru"), ("ru", "en"))

# Reported to the caller as (bytes done, bytes expected or None).
Progress = Callable[[int, "int | None"], None]
_CHUNK = 1 << 16
_lock = threading.RLock()
# Where the package being replaced waits in the staging folder until the new one is in
# place; an archive whose top folder has this name is refused, or the two would meet.
_PREVIOUS = "previous"
# What _staging and remove_model name their scratch folders, the pid of their process inside.
_SCRATCH_NAME = re.compile(r"installing-(?P<installing>\d+)-\w+|removing-.+-(?P<removing>\d+)")
# What networking raises mid-download: a dropped connection, a timeout, a short read.
_NETWORK_ERRORS = (urllib.error.URLError, OSError, ValueError, http.client.HTTPException)


@dataclass(frozen=True)
class InstalledModel:
    """One installed package and what identifies its output."""

    source: str
    target: str
    version: str
    path: Path
    target_prefix: str
    fingerprint: str  # changes whenever the package files are replaced

    @property
    def name(self) -> str:
        return f"translate-{self.source}_{self.target}"

    def to_dict(self) -> dict[str, str]:
        return {"from": self.source, "to": self.target, "version": self.version, "path": str(self.path)}


def list_models(settings: Settings) -> list[InstalledModel]:
    """The installed packages, sorted by direction."""
    root = settings.packages_dir
    if not root.is_dir():
        return []
    try:
        folders = sorted(root.iterdir())
    except OSError as error:
        raise failure(error, settings.home, "listing the packages") from None
    models = [_read_installed(folder, settings) for folder in folders if (folder / "metadata.json").is_file()]
    return sorted((m for m in models if m is not None), key=lambda m: (m.source, m.target))


def find_model(source: str, target: str, settings: Settings) -> InstalledModel | None:
    """The installed package for one direction, if any."""
    folder = settings.packages_dir / _folder_name(source, target)
    return _read_installed(folder, settings) if (folder / "metadata.json").is_file() else None


def install_from_file(path: Path, settings: Settings) -> InstalledModel:
    """Check an ``.argosmodel`` file, then install it in place of any package for the same direction."""
    path = Path(path)
    if not path.is_file():
        raise InvalidModelPackage(f"{path}: no such file; give the path of an .argosmodel package")
    with writing(settings, f"installing {path}"), _staging(settings) as staging:
        unpacked, source, target = _extract_checked(path, staging, settings, label=str(path))
        return _move_into_place(unpacked, staging, source, target, settings)


def install_from_index(
    source: str, target: str, settings: Settings, *, progress: Progress | None = None
) -> InstalledModel:
    """Download the newest package for a direction from the model index and install it."""
    source, target = normalize_language(source), normalize_language(target)
    entry = _pick(fetch_index(settings), source, target, settings)
    links = [str(link) for link in entry.get("links", [])]
    if not links:
        raise ModelNotAvailable(f"the index lists a {source}→{target} package without a download link")
    with writing(settings, f"installing the {source}→{target} package"), _staging(settings) as staging:
        archive = staging.parent / f"{staging.name}.argosmodel"
        try:
            link = _download(links, archive, settings, progress)
            unpacked, source_found, target_found = _extract_checked(archive, staging, settings, label=link)
        finally:
            archive.unlink(missing_ok=True)
        return _move_into_place(unpacked, staging, source_found, target_found, settings)


def remove_model(source: str, target: str, settings: Settings) -> InstalledModel:
    """Remove the package for one direction; ``ModelNotInstalled`` if there is none."""
    source, target = normalize_language(source), normalize_language(target)
    model = find_model(source, target, settings)
    if model is None:
        raise ModelNotInstalled(
            f"no {source}→{target} model is installed; 'triglot models list' shows what is",
            source=source,
            target=target,
        )
    with _lock, writing(settings, f"removing {model.path}"):
        doomed = settings.home / "tmp" / f"removing-{model.path.name}-{os.getpid()}"
        doomed.parent.mkdir(parents=True, exist_ok=True)
        os.replace(model.path, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
    return model


def fetch_index(settings: Settings) -> list[dict[str, Any]]:
    """The entries of the model index (any URL, ``file://`` included), or ``ModelIndexUnavailable`` within the timeout."""
    url = settings.model_index
    try:
        with urllib.request.urlopen(url, timeout=settings.network_timeout) as response:  # noqa: S310
            data = response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ModelIndexUnavailable(
            f"could not fetch the model index {url} ({reason}); check the connection or "
            "TRIGLOT_MODEL_INDEX, or install from a file: 'triglot models install --file PATH.argosmodel'"
        ) from None
    try:
        entries = json.loads(data)
    except ValueError:
        raise ModelIndexUnavailable(f"{url} is not a model index (not JSON); check TRIGLOT_MODEL_INDEX") from None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ModelIndexUnavailable(f"{url} is not a model index (expected a list of packages)")
    return entries


def _pick(entries: list[dict[str, Any]], source: str, target: str, settings: Settings) -> dict[str, Any]:
    """The newest translate package for the direction, read the way argostranslate reads index entries."""
    from packaging.version import InvalidVersion, Version

    AvailablePackage = argos_package(settings).AvailablePackage

    def version(entry: dict[str, Any]) -> Version:
        try:
            return Version(str(entry.get("package_version", "0")))
        except InvalidVersion:
            return Version("0")

    matches = []
    for entry in entries:
        package = AvailablePackage(entry)
        if package.type == "translate" and (package.from_code, package.to_code) == (source, target):
            matches.append(entry)
    if not matches:
        raise ModelNotAvailable(
            f"the model index {settings.model_index} has no {source}→{target} package"
            + ("; Chinese and Russian translate through English: install en and the other side" if "en" not in (source, target) else "")
        )
    return max(matches, key=version)


class _LinkFailed(Exception):
    """One download link did not deliver; the next one may."""


def _download(links: list[str], archive: Path, settings: Settings, progress: Progress | None) -> str:
    """Fetch the first link that works into ``archive``, reporting progress; returns that link.

    A package over ``max_package_bytes`` is refused as soon as it says so or passes it.
    Failing to write ``archive`` is an ``OSError`` for the caller: no other link will help.
    """
    failures = []
    for link in links:
        try:
            with archive.open("wb") as out:
                _fetch(link, out, settings, progress)
            return link
        except _LinkFailed as error:
            failures.append(f"{link}: {error}")
    raise ModelDownloadFailed("could not download the package (" + "; ".join(failures) + "); try again later")


def _fetch(link: str, out: BinaryIO, settings: Settings, progress: Progress | None) -> None:
    cap = settings.max_package_bytes
    try:
        response = urllib.request.urlopen(link, timeout=settings.network_timeout)  # noqa: S310
    except _NETWORK_ERRORS as error:
        raise _LinkFailed(getattr(error, "reason", error)) from None
    with response:
        length = response.headers.get("Content-Length") if hasattr(response, "headers") else None
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > cap:
            raise _over_cap(link, cap)
        done = 0
        while True:
            try:
                chunk = response.read(_CHUNK)
            except _NETWORK_ERRORS as error:
                raise _LinkFailed(error) from None
            if not chunk:
                break
            done += len(chunk)
            if done > cap:
                raise _over_cap(link, cap)
            out.write(chunk)
            if progress:
                progress(done, total)
    if total is not None and done != total:
        raise _LinkFailed(f"got {done} of {total} bytes")


def _over_cap(link: str, cap: int) -> InvalidModelPackage:
    return InvalidModelPackage(
        f"{link} is over the {human_size(cap)} a package may be (TRIGLOT_MAX_PACKAGE_BYTES); "
        "the download was stopped and nothing was installed"
    )


@contextlib.contextmanager
def _staging(settings: Settings) -> Iterator[Path]:
    """A scratch folder beside the packages (same file system, so the final move is a rename)."""
    scratch = settings.home / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    _remove_stale(scratch)
    folder = Path(tempfile.mkdtemp(prefix=f"installing-{os.getpid()}-", dir=scratch))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remove_stale(scratch: Path) -> None:
    """Staging and removal folders a killed run left behind (``installing-PID-…``, ``removing-…-PID``),
    once no process of that id is running."""
    for folder in scratch.iterdir():
        match = _SCRATCH_NAME.fullmatch(folder.name)
        pid = match and (match.group("installing") or match.group("removing"))
        if pid and not process_running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _extract_checked(archive: Path, staging: Path, settings: Settings, *, label: str) -> tuple[Path, str, str]:
    """Unpack a package into ``staging`` after checking it, then try it; returns its folder, source and target."""
    limits = Limits(settings.max_package_bytes, settings.max_unpacked_bytes, reserved={_PREVIOUS})
    unpacked = unpack(archive, staging, limits, label=label)
    metadata = _read_metadata(unpacked, label)
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if source not in SUPPORTED or target not in SUPPORTED or source == target:
        raise InvalidModelPackage(
            f"{label} translates {source!r}→{target!r}; triglot uses packages between {', '.join(SUPPORTED)}"
        )
    package = _check_loadable(unpacked, label, settings)
    try_translating(unpacked, str(source), package.target_prefix or "", label=label)
    return unpacked, str(source), str(target)


def _read_metadata(folder: Path, name: str) -> dict[str, Any]:
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidModelPackage(f"{name} has an unreadable metadata.json ({error})") from None
    if not isinstance(metadata, dict):
        raise InvalidModelPackage(f"{name} has a metadata.json that is not an object")
    return metadata


def _check_loadable(folder: Path, name: str, settings: Settings) -> Any:
    """argostranslate reads the metadata and SentencePiece loads the tokenizer; returns argostranslate's package."""
    import sentencepiece

    argos = argos_package(settings)
    try:
        package = argos.Package(folder)
        sentencepiece.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    except Exception as error:  # noqa: BLE001 - any failure here means a bad package
        raise InvalidModelPackage(f"{name} cannot be loaded ({type(error).__name__}: {error})") from None
    return package


def _move_into_place(unpacked: Path, staging: Path, source: str, target: str, settings: Settings) -> InstalledModel:
    """Swap the checked package into ``packages/``, replacing the old one for the direction by renames.

    Should the second rename fail, the old package goes back where it was.
    """
    final = settings.packages_dir / _folder_name(source, target)
    with _lock:
        settings.packages_dir.mkdir(parents=True, exist_ok=True)
        old = staging / _PREVIOUS
        replacing = final.exists()
        if replacing:
            os.replace(final, old)
        try:
            os.replace(unpacked, final)
        except OSError:
            if replacing:
                os.replace(old, final)
            raise
    model = _read_installed(final, settings)
    assert model is not None  # just checked
    return model


def _folder_name(source: str, target: str) -> str:
    return f"translate-{source}_{target}"


def _read_installed(folder: Path, settings: Settings) -> InstalledModel | None:
    """An installed package folder, read through argostranslate; ``None`` for anything else."""
    try:
        package = argos_package(settings).Package(folder)
    except Exception:  # noqa: BLE001 - a stray or broken folder is not a package
        return None
    if package.from_code not in SUPPORTED or package.to_code not in SUPPORTED:
        return None
    stat = (folder / "model" / "model.bin").stat() if (folder / "model" / "model.bin").exists() else None
    fingerprint = f"{package.package_version}:{stat.st_size}:{stat.st_mtime_ns}" if stat else package.package_version
    return InstalledModel(
        source=package.from_code,
        target=package.to_code,
        version=package.package_version or "0",
        path=folder,
        target_prefix=package.target_prefix or "",
        fingerprint=fingerprint,
    )


_ARGOS_DIRECTORIES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "ARGOS_PACKAGES_DIR")


def argos_package(settings: Settings) -> Any:
    """``argostranslate.package``, imported so that it makes its directories under triglot's home.

    argostranslate creates data, config and cache folders in the user's home on
    import and reads a settings file there; pointing it at ``TRIGLOT_HOME/argos``
    for the import keeps the user's home untouched and its settings out of ours.
    triglot never uses those folders, so where the home cannot be written (a
    read-only data directory whose packages should still list and translate) the
    import makes them in a scratch folder instead, removed right after.
    """
    import sys

    if "argostranslate.package" in sys.modules:
        return sys.modules["argostranslate.package"]
    with _lock:
        try:
            return _import_argos_package(settings.home / "argos")
        except OSError:
            scratch = Path(tempfile.mkdtemp(prefix="triglot-argos-"))
            try:
                return _import_argos_package(scratch)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)


def _import_argos_package(base: Path) -> Any:
    saved = {name: os.environ.get(name) for name in _ARGOS_DIRECTORIES}
    os.environ.update(
        XDG_DATA_HOME=str(base / "data"),
        XDG_CONFIG_HOME=str(base / "config"),
        XDG_CACHE_HOME=str(base / "cache"),
        ARGOS_PACKAGES_DIR=str(base / "unused-packages"),
    )
    try:
        import argostranslate.package
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return argostranslate.package
