"""``python -m toolkit`` runs the triglot command line."""

import sys

from .cli import main

sys.exit(main())
