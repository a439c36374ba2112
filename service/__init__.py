"""triglot's HTTP service (a LibreTranslate-compatible API); filled by a later issue."""
