"""Unpacking an ``.argosmodel`` archive without trusting it.

Everything the zip says about itself is checked before a byte is written: its size,
the number, names and kinds of its members, their compression, the size they
declare unpacked and the files a package must hold. Unpacking then counts the bytes
it really writes and stops at the cap, whatever the archive declared. Every refusal
is an ``InvalidModelPackage`` naming the file; an ``OSError`` that escapes comes
from writing into the destination (a read-only or full disk), never from the archive.
"""

from __future__ import annotations

import stat
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import InvalidModelPackage

# What every Argos package holds, under its one top folder.
REQUIRED_FILES = ("metadata.json", "model/model.bin", "sentencepiece.model")
# Argos packages are deflated zips; stored members cost nothing to read. Anything
# else (bzip2, lzma, zstd, or a number zipfile has never heard of) is refused up
# front rather than met half-way through unpacking.
COMPRESSION_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
# NAME_MAX on Linux and macOS file systems: a longer name cannot be written at all.
MAX_NAME_PART_BYTES = 255
# Well under PATH_MAX (4096) once the staging folder's own path is in front.
MAX_NAME_BYTES = 1024
# A package holds about a dozen files; thousands would only fill the disk with inodes.
MAX_MEMBERS = 1000
# Finder's resource forks, which macOS adds to zips it makes: skipped, never unpacked.
IGNORED_TOP = "__MACOSX"
_CHUNK = 1 << 20
# flag bit 0 of a zip entry: the member is encrypted.
_ENCRYPTED = 0x1


@dataclass(frozen=True)
class Limits:
    """What an archive may cost: its size, its size unpacked, and top folder names the caller uses itself."""

    max_package_bytes: int
    max_unpacked_bytes: int
    reserved: Collection[str] = ()


def unpack(archive: Path, destination: Path, limits: Limits, *, label: str) -> Path:
    """Check ``archive`` and unpack it into ``destination`` (an empty folder); returns the package folder.

    ``label`` is how messages name the archive (the path the user gave, or the download link).
    """
    try:
        size = archive.stat().st_size
    except OSError as error:
        raise _unreadable(label, error) from None
    if size > limits.max_package_bytes:
        raise InvalidModelPackage(
            f"{label} is {human_size(size)}, over the {human_size(limits.max_package_bytes)} a package may be "
            "(TRIGLOT_MAX_PACKAGE_BYTES); raise it if you trust this file"
        )
    if not zipfile.is_zipfile(archive):
        raise InvalidModelPackage(f"{label} is not an .argosmodel package (not a zip archive)")
    try:
        try:
            bundle = zipfile.ZipFile(archive)
        except OSError as error:
            raise _unreadable(label, error) from None
        with bundle:
            members = [info for info in bundle.infolist() if PurePosixPath(info.filename).parts[:1] != (IGNORED_TOP,)]
            top = _check_members(members, limits, label)
            _extract(bundle, members, destination, limits.max_unpacked_bytes, label)
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        # ValueError: a name flagged UTF-8 that is not, a size field that does not parse.
        raise InvalidModelPackage(f"{label} is damaged ({error}); download it again") from None
    return destination / top


def _check_members(members: list[zipfile.ZipInfo], limits: Limits, label: str) -> str:
    """Refuse anything but one top folder of plain files in a known compression; returns the top folder."""
    if len(members) > MAX_MEMBERS:
        raise InvalidModelPackage(
            f"{label} holds {len(members)} files; a package holds a few dozen at most ({MAX_MEMBERS} allowed)"
        )
    for info in members:
        problem = _name_problem(info.filename) or _kind_problem(info)
        if problem is not None:
            raise InvalidModelPackage(f"{label} {problem}")
    _check_layout(members, label)
    tops = {PurePosixPath(info.filename).parts[0] for info in members}
    if len(tops) != 1:
        raise InvalidModelPackage(f"{label} must hold exactly one top folder, not {len(tops)}")
    (top,) = tops
    if top in limits.reserved:
        raise InvalidModelPackage(
            f"{label} has its files in a folder named {top!r}, a name triglot keeps for itself while installing; "
            "repack it under the package's own name"
        )
    files = {info.filename for info in members if not info.is_dir()}
    for required in REQUIRED_FILES:
        if f"{top}/{required}" not in files:
            why = "triglot needs a SentencePiece tokenizer" if required.startswith("sentencepiece") else "it is not a translation package"
            raise InvalidModelPackage(f"{label} has no {required}; {why}")
    declared = sum(info.file_size for info in members)
    if declared > limits.max_unpacked_bytes:
        raise InvalidModelPackage(_too_big(label, declared, limits.max_unpacked_bytes))
    return top


def _name_problem(name: str) -> str | None:
    """What makes a member name unsafe or impossible to write, if anything."""
    parts = PurePosixPath(name).parts
    if not parts:
        return "holds a file without a name"
    if "\\" in name or name.startswith("/") or name[1:2] == ":" or ".." in parts:
        return f"has an unsafe path inside: {_shown(name)}"
    if any(unicodedata.category(char) == "Cc" for char in name):
        return f"has a file name with a control character: {_shown(name)}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES or any(len(part.encode("utf-8")) > MAX_NAME_PART_BYTES for part in parts):
        return f"has a file name too long to write ({len(name)} characters): {_shown(name)}"
    return None


def _kind_problem(info: zipfile.ZipInfo) -> str | None:
    """What makes a member other than a plain file or folder in a method triglot reads, if anything."""
    # The file type in the Unix mode bits, where the zip was made on Unix; 0 where it says nothing.
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        what = "a symbolic link" if kind == stat.S_IFLNK else "a device, pipe or socket"
        return f"holds {what} ({_shown(info.filename)}); a package holds only files and folders"
    if info.flag_bits & _ENCRYPTED:
        return f"has an encrypted file ({_shown(info.filename)}); packages are not encrypted"
    if info.compress_type not in COMPRESSION_METHODS:
        return (
            f"uses compression method {info.compress_type} for {_shown(info.filename)}; "
            f"triglot reads {' and '.join(COMPRESSION_METHODS.values())} zips, as Argos packages are"
        )
    return None


def _check_layout(members: list[zipfile.ZipInfo], label: str) -> None:
    """Each path once, and no file that another member needs as its folder."""
    seen: set[str] = set()
    files: set[str] = set()
    for info in members:
        path = "/".join(PurePosixPath(info.filename).parts)
        if path in seen:
            raise InvalidModelPackage(f"{label} holds {_shown(path)} twice; a package holds each file once")
        seen.add(path)
        if not info.is_dir():
            files.add(path)
    for path in seen:
        for parent in PurePosixPath(path).parents:
            if str(parent) in files:
                raise InvalidModelPackage(f"{label} holds {_shown(str(parent))} both as a file and as a folder")


def _extract(bundle: zipfile.ZipFile, members: list[zipfile.ZipInfo], destination: Path, cap: int, label: str) -> None:
    """Write the members under ``destination``, counting the bytes really written against ``cap``.

    zipfile checks each member's CRC as it reads: a member that inflates to more than
    it declared is cut off there and fails it, and the count stops the whole at ``cap``.
    Errors in reading become ``InvalidModelPackage``; an ``OSError`` in writing is left
    to the caller, who knows what the destination is.
    """
    written = 0
    for info in members:
        target = destination.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            source = bundle.open(info)
        except OSError as error:
            raise _unreadable(label, error) from None
        with source, open(target, "xb") as out:
            while True:
                try:
                    chunk = source.read(_CHUNK)
                except zlib.error as error:
                    raise InvalidModelPackage(f"{label} is damaged ({_shown(info.filename)}: {error}); download it again") from None
                except OSError as error:
                    raise _unreadable(label, error) from None
                if not chunk:
                    break
                written += len(chunk)
                if written > cap:
                    raise InvalidModelPackage(_too_big(label, written, cap, at_least=True))
                out.write(chunk)


def _unreadable(label: str, error: OSError) -> InvalidModelPackage:
    return InvalidModelPackage(f"{label} cannot be read ({error.strerror or error})")


def _too_big(label: str, size: int, cap: int, *, at_least: bool = False) -> str:
    return (
        f"{label} unpacks to {'more than ' if at_least else ''}{human_size(size)}, over the {human_size(cap)} a package "
        "may take unpacked (TRIGLOT_MAX_UNPACKED_BYTES); it is not a package triglot installs"
    )


def _shown(name: str) -> str:
    """A member name fit for a one-line message: quoted, escaped, and cut if long."""
    return repr(name if len(name) <= 80 else name[:60] + "…" + name[-10:])


def human_size(size: int) -> str:
    """A byte count as people read it: 512 bytes, 4.0 MiB, 1.0 GiB."""
    if size < 1024:
        return f"{size} bytes"
    value, unit = size / 1024, "KiB"
    for bigger in ("MiB", "GiB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"
