"""Allows ``python -m bot``."""

from bot.runtime.cli import main

# Guarded: ingestion's worker processes are spawned and import the main module again.
if __name__ == "__main__":
    raise SystemExit(main())
