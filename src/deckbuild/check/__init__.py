"""`deckbuild check`: every slide looked at in a real browser.

`probe.js` walks the slides of a deck page and reports raw findings by
slide index; `findings.py` maps them to deck files and lines; `runner.py`
drives the browser (several pages at once).
"""
