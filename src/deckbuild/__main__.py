from __future__ import annotations

from deckbuild.cli import main

main()
