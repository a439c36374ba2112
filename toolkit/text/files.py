"""A user's files: text read from a file or standard input (UTF-8, with or without BOM, or UTF-16
with BOM), and output written atomically.

Every reading failure becomes an ``InputError`` that names the file and says what to
do; every writing failure an ``OutputFailed`` that names it.
"""

from __future__ import annotations

import codecs
import os
import sys
from pathlib import Path

from ..errors import EmptyInput, OutputFailed, UnreadableInput

STDIN = "-"
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def read_text(source: str | Path) -> str:
    """The text of a file, or of standard input when ``source`` is ``-``; never empty."""
    name = "standard input" if str(source) == STDIN else str(source)
    data = sys.stdin.buffer.read() if str(source) == STDIN else read_bytes(Path(source))
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


def read_bytes(path: Path) -> bytes:
    """The bytes of a file, or an ``UnreadableInput`` that names it and says why not."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(f"{path}: no such file", path=str(path)) from None
    except IsADirectoryError:
        raise UnreadableInput(f"{path} is a folder; give a text file", path=str(path)) from None
    except PermissionError:
        raise UnreadableInput(f"{path}: permission denied", path=str(path)) from None
    except OSError as error:
        raise UnreadableInput(f"{path}: cannot be read ({error.strerror})", path=str(path)) from None


def write_atomically(path: Path, text: str, *, what: str = "it") -> None:
    """Write ``text`` to ``path`` so a reader sees the old file or the whole new one, never a part:
    a temporary file in the same folder (same file system), flushed to disk, then ``os.replace``.
    ``what`` names the content in the error ("the digest")."""
    import tempfile

    temporary: Path | None = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as error:
        raise OutputFailed(f"{path}: cannot write {what} ({error.strerror or error})", path=str(path)) from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()


def _default_mode() -> int:
    # NamedTemporaryFile makes 0600 files; what triglot writes is for publishing, so honour the umask instead.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
