"""Build-time rules over a slide's HTML tree, one reveal.js convention each."""
