"""Translated files kept for ``GET /download_file``: named by the server, kept a while, then deleted.

A file's name is a random token the server issued, a dot, and the name to download it
as (``3f…9a.report_ru.docx``), LibreTranslate's shape. A name asked for is looked up
only when it is exactly such a name: 32 hex digits, a dot, then a name made only of
letters, digits, ``-``, ``_`` and ``.`` (no path, no ``..``, no separator of any
system), so no name a client sends can reach outside the folder or a file the server
did not make. The folder is under the data directory (``TRIGLOT_HOME``), shared by
every worker of ``triglot serve --workers N``; files are written atomically, so a
download never sees half of one, and each is deleted ``TRIGLOT_KEEP_FILES_MINUTES``
after it was written (a sweep on every upload and download, and a timer), by
whichever worker sweeps first. An expired file is never served, swept or not.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path

from toolkit.text import write_bytes_atomically

FOLDER = "translated-files"
MAX_NAME_CHARS = 120  # the download name's; longer names are cut, the extension kept
_TOKEN_HEX = 32
_SERVED = re.compile(rf"[0-9a-f]{{{_TOKEN_HEX}}}\.(?P<name>[^/\\]+)")
_NAME_MARKS = frozenset("-_.")


class FileStore:
    """The folder of translated files, and the one way in and out of it."""

    def __init__(self, folder: Path, keep_seconds: float) -> None:
        self.folder = folder
        self.keep_seconds = keep_seconds

    def save(self, data: bytes, download_name: str) -> str:
        """Keep ``data`` and return the name that fetches it (token, dot, the download name made safe)."""
        self.sweep()
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(_TOKEN_HEX // 2)}.{safe_name(download_name)}"
        write_bytes_atomically(self.folder / name, data, what="the translated file")
        return name

    def open(self, name: str) -> tuple[bytes, str] | None:
        """The bytes of the file ``name`` names and the name to download it as, or None: not a name this
        server issues, no such file, or kept longer than allowed (deleted now)."""
        self.sweep()
        served = _SERVED.fullmatch(name)
        if served is None or safe_name(served["name"]) != served["name"]:
            return None
        path = self.folder / name
        try:
            with path.open("rb") as handle:
                if self._expired(os.fstat(handle.fileno()).st_mtime):
                    return None
                return handle.read(), served["name"]
        except OSError:  # no such file, or a folder someone made there
            return None

    def sweep(self) -> None:
        """Delete every file kept longer than allowed; another worker deleting it first is fine."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return  # no folder yet: nothing to sweep
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False) and self._expired(entry.stat(follow_symlinks=False).st_mtime):
                    os.unlink(entry.path)

    def _expired(self, written: float) -> bool:
        return time.time() - written >= self.keep_seconds


def safe_name(name: str) -> str:
    """``name`` with every character but letters, digits, ``-``, ``_`` and ``.`` as ``_``, no leading dot,
    no ``..``, at most ``MAX_NAME_CHARS`` characters (the extension kept): a file name on any system."""
    kept = "".join(char if char.isalnum() or char in _NAME_MARKS else "_" for char in name)
    kept = re.sub(r"\.{2,}", ".", kept).lstrip("._") or "document"
    if len(kept) > MAX_NAME_CHARS:
        stem, dot, extension = kept.rpartition(".")
        kept = stem[: MAX_NAME_CHARS - len(extension) - 1] + dot + extension if dot else kept[:MAX_NAME_CHARS]
    return kept
