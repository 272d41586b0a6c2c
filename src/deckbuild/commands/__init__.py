"""One module per command; cli.py wires them to click."""
