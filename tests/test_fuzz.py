"""Random decks never raise anything but deckbuild's own one-line error (a bounded run; bench/fuzz_decks.py runs long)."""

from __future__ import annotations

from fuzzdecks import build_deck, deck_texts
from hypothesis import HealthCheck, given, settings


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deck_texts)
def test_random_decks_raise_only_deck_errors(text: str) -> None:
    build_deck(text)
