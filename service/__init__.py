"""triglot's HTTP service: LibreTranslate's API and triglot's own endpoints over ``toolkit``.

``create_app`` builds the app from ``ServiceSettings`` (and the toolkit's settings as a server
runs them, ``library_settings_for``); ``triglot serve`` runs it under
uvicorn (its workers build theirs with ``create_app()``) with ``uvicorn_options``, the
server's limits from the same settings. ``hash_key`` makes the digest
``TRIGLOT_API_KEYS`` holds for a key; ``metrics_directory`` is where several workers'
metrics meet, for the length of a run. The routes call ``toolkit``'s and ``glossary``'s
package surfaces; nothing here imports the command line.
"""

from .app import create_app
from .auth import hash_key
from .config import ServiceSettings, library_settings_for
from .multiprocess import metrics_directory
from .serving import uvicorn_options

__all__ = ["ServiceSettings", "create_app", "hash_key", "library_settings_for", "metrics_directory", "uvicorn_options"]
