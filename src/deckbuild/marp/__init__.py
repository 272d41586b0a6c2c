"""Marp decks: directives, image keywords, themes (read by readers/marp.py, rendered by render.py)."""
