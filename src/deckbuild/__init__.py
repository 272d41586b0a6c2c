"""deckbuild: a folder of markdown slide decks becomes a reveal.js course website."""

from __future__ import annotations

__version__ = "0.1.0"
