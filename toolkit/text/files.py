"""A user's files: text read from a file or standard input (UTF-8, with or without BOM, or UTF-16
with BOM), and output written atomically.

Every reading failure becomes an ``InputError`` that names the file and says what to
do; every writing failure an ``OutputFailed`` that names it.
"""

from __future__ import annotations

import codecs
import contextlib
import glob
import io
import os
import stat
import sys
from pathlib import Path

from ..errors import EmptyInput, OutputFailed, UnreadableInput

STDIN = "-"
_TEMPORARY_SUFFIX = ".triglot-tmp"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(source: str | Path, *, limit: int) -> str:
    """The text of a file, or of standard input when ``source`` is ``-``; never empty, at most ``limit`` bytes."""
    if str(source) == STDIN:
        name = "standard input"
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise _too_large(name, limit)
    else:
        name = str(source)
        data = read_bytes(Path(source), limit=limit)
    text = decode(data, name)
    if not text.strip():
        raise EmptyInput(f"{name} is empty; give it some text")
    return text


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 or BOM-marked UTF-16; refuse binary data and other encodings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise UnreadableInput(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid {encoding.upper()} "
                    f"(byte {error.start + len(bom)}); save it again as UTF-8",
                    path=name,
                ) from None
    if b"\x00" in data:
        raise UnreadableInput(f"{name} looks like a binary file, not text; give a UTF-8 text file", path=name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableInput(
            f"{name} is not UTF-8 text (bad byte at offset {error.start}); "
            "convert it first, e.g. 'iconv -f GB18030 -t UTF-8' or 'iconv -f CP1251 -t UTF-8'",
            path=name,
        ) from None


def read_bytes(path: Path, *, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or an ``UnreadableInput`` that names it and says
    why not (``open_regular``)."""
    with open_regular(path) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as error:
            raise UnreadableInput(f"{path}: cannot be read ({error.strerror})", path=str(path)) from None
    if len(data) > limit:
        raise _too_large(str(path), limit)
    return data


def open_regular(path: Path, *, give: str = "a text file") -> io.BufferedReader:
    """A regular file opened for reading, or an ``UnreadableInput`` that names it, says why not and what to
    ``give``. A FIFO, a device or a socket is refused before anything is read: reading one could wait for
    ever (a FIFO no one writes to) or never end (``/dev/zero``)."""
    try:
        # Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise UnreadableInput(f"{path}: no such file", path=str(path)) from None
    except PermissionError:
        raise UnreadableInput(f"{path}: permission denied", path=str(path)) from None
    except OSError as error:
        kind = _kind_of(path)
        reason = f"is {kind}, not a regular file; give {give}" if kind else f"cannot be read ({error.strerror})"
        raise UnreadableInput(f"{path} {reason}", path=str(path)) from None
    mode = os.fstat(descriptor).st_mode
    kind = _kind(mode)
    if kind is not None:
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise UnreadableInput(f"{path} is a folder; give {give}", path=str(path))
        raise UnreadableInput(f"{path} is {kind}, not a regular file; give {give}", path=str(path))
    os.set_blocking(descriptor, True)
    return io.BufferedReader(io.FileIO(descriptor, "rb"))


def _too_large(name: str, limit: int) -> UnreadableInput:
    return UnreadableInput(
        f"{name} is larger than {limit} bytes (TRIGLOT_MAX_INPUT_BYTES); split it, or raise the limit", path=name
    )


def _kind_of(path: Path) -> str | None:
    """What ``path`` is when it is not a regular file (following links); None for a regular file or no file."""
    try:
        return _kind(os.stat(path).st_mode)
    except OSError:
        return None


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "something other than a file"


def write_atomically(path: Path, text: str, *, what: str = "it") -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the whole new one, never a part:
    a temporary file in the same folder (same file system), flushed to disk, then ``os.replace``.

    A symbolic link is written through (its target replaced, the link kept); a folder,
    device, FIFO or socket is refused rather than replaced by a file; the file's mode is
    kept. ``what`` names the content in the error ("the digest")."""
    write_bytes_atomically(path, text.encode("utf-8"), what=what)


def write_bytes_atomically(path: Path, data: bytes, *, what: str = "it") -> None:
    """``write_atomically`` for bytes (a translated .docx): the same guarantees, the same errors."""
    target = Path(os.path.realpath(path))
    kind = _kind_of(target)
    if kind is not None:
        raise OutputFailed(f"{path} is {kind}; give the path of a regular file to write {what} to", path=str(path))
    temporary: Path | None = None
    try:
        _remove_stale_temporaries(target)
        mode = target.stat().st_mode & 0o777 if target.exists() else _default_mode()
        temporary = target.with_name(f".{target.name}.{os.getpid()}{_TEMPORARY_SUFFIX}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as error:
        raise OutputFailed(f"{path}: cannot write {what} ({error.strerror or error})", path=str(path)) from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files an earlier run left behind (killed before it could remove them): named
    ``.NAME.PID.triglot-tmp``, and removed once no process of that id is running."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*{_TEMPORARY_SUFFIX}"):
        pid = stale.name[len(target.name) + 2 : -len(_TEMPORARY_SUFFIX)]
        if pid.isdigit() and not process_running(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()


def process_running(pid: int) -> bool:
    """Whether a process with this id exists: a temporary file or folder named after a gone one is stale."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows: count it as running
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _default_mode() -> int:
    # NamedTemporaryFile makes 0600 files; what triglot writes is for publishing, so honour the umask instead.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
