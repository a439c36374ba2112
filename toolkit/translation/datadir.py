"""Failures of the data directory itself, told as what to do about them.

Installing and removing packages write under ``TRIGLOT_HOME``; when that cannot be
done (a read-only disk, a file where a folder must be, a full disk) the ``OSError``
becomes one ``DataDirectoryError`` that says which of these it is and what to do.
Callers have cleaned up by then, so the message can say that nothing changed.
"""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator
from pathlib import Path

from ..errors import DataDirectoryError, TriglotError
from ..settings import Settings

_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
_IN_THE_WAY = frozenset({errno.ENOTDIR, errno.EEXIST, errno.ENOTEMPTY, errno.EISDIR})


@contextlib.contextmanager
def writing(settings: Settings, doing: str) -> Iterator[None]:
    """Turn an ``OSError`` raised while ``doing`` something under ``settings.home`` into a ``DataDirectoryError``.

    ``doing`` names the file or package, as in ``"installing en-zh.argosmodel"``.
    """
    try:
        yield
    except TriglotError:
        raise
    except OSError as error:
        raise failure(error, settings.home, doing) from None


def failure(error: OSError, home: Path, doing: str) -> DataDirectoryError:
    """The error for ``error``, met while ``doing`` something in the data directory ``home``."""
    where = str(error.filename) if error.filename is not None else str(home)
    reason = (error.strerror or str(error)).lower()
    if error.errno in _FULL:
        advice = f"the disk holding TRIGLOT_HOME ({home}) is full: free some space, or set TRIGLOT_HOME to a folder on another disk"
    elif error.errno in _READ_ONLY:
        advice = f"TRIGLOT_HOME ({home}) cannot be written: make it writable, or set TRIGLOT_HOME to a folder you can write"
    elif error.errno in _IN_THE_WAY:
        advice = (
            f"something is in the way in TRIGLOT_HOME ({home}), a file where a folder must be: move it away, "
            "or set TRIGLOT_HOME to a folder you can write"
        )
    else:
        advice = f"check TRIGLOT_HOME ({home}), or set it to a folder you can write"
    return DataDirectoryError(f"{doing} failed and changed nothing: {reason} ({where}); {advice}", path=where)
