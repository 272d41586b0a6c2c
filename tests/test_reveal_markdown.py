"""reveal.js 6's own markdown tests, run against deckbuild's build-time output.

../shared/peer/reveal-markdown-tests.json holds the inputs and assertions of
reveal.js's `test/test-markdown.html` and its React `<Markdown>` tests. Each
`<section data-markdown>` becomes a deck of one course, its attributes mapped
onto deck settings (reveal.js reads them the same way):

- `data-separator` / `data-separator-vertical` / `data-separator-notes` →
  `separator` / `vertical_separator` / `notes_separator`. reveal.js splits a
  section only when one of the three is given (the missing separator then
  takes the plugin's default, the vertical one none); a section without any
  is one slide, so it gets separators that never match.
- `data-attributes` / `data-element-attributes` → `slide_attributes` /
  `element_attributes`.
- any other attribute but `data-markdown` and `data-charset` (decks are
  UTF-8) stays on the slide, as reveal.js leaves it: a `.slide:` comment.
- the group's `Reveal.initialize` options → the deck's `reveal` settings.

The built pages are opened in Chromium. A `count` assertion counts its
selector over the pages of the group's decks (reveal.js puts the sections
side by side in one page; no selector spans two sections); an `eval` runs in
the group's one page with `R` the document (for the React tests: the page
as built, before reveal.js runs), `C` the slides container (where
the React component renders its sections) and the helpers `text`, `attr`,
`hasClass` of the React tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium, open_page, serve_folder
from conftest import SHARED, make_course

from deckbuild.commands.build import build

pytestmark = pytest.mark.browser

DATA = SHARED / "peer" / "reveal-markdown-tests.json"
REVEAL_SEPARATOR = r"\r?\n---\r?\n"  # the markdown plugin's default
NEVER = "(?!)"  # a separator that never matches: the section is one slide
SETTINGS = {
    "data-separator": "separator",
    "data-separator-vertical": "vertical_separator",
    "data-separator-notes": "notes_separator",
    "data-attributes": "slide_attributes",
    "data-element-attributes": "element_attributes",
}
DROPPED = {"data-markdown", "data-charset"}
HELPERS = """
const C = R.querySelector('.reveal .slides');
const text = (e) => (e ? e.textContent.replace(/\\s+/g, ' ').trim() : null);
const attr = (e, name) => (e ? e.getAttribute(name) : null);
const hasClass = (e, ...names) => !!e && names.every((n) => e.classList.contains(n));
"""


# `dom: ready` tests run once reveal.js is ready (as test-markdown.html does);
# `dom: markdown` tests (the React component's) read the markdown's HTML
# before reveal.js runs (which renumbers fragments): the page as built
ROOT = {
    "ready": "document",
    "markdown": "new DOMParser().parseFromString(await (await fetch(location.href)).text(), 'text/html')",
}


def load() -> dict[str, Any]:
    if not DATA.is_file():
        pytest.fail(f"reveal.js's markdown tests are expected at {DATA}")
    return dict(json.loads(DATA.read_text("utf-8")))


def groups() -> list[dict[str, Any]]:
    return [group for page in load()["pages"] for group in page["groups"]]


def deck_text(section: dict[str, Any], reveal: dict[str, Any]) -> str:
    """A deck file standing for one `<section data-markdown>`."""
    attrs = dict(section["attrs"])
    settings: dict[str, Any] = {}
    if any(name in attrs for name in ("data-separator", "data-separator-vertical", "data-separator-notes")):
        settings["separator"] = attrs.get("data-separator") or REVEAL_SEPARATOR
        settings["vertical_separator"] = attrs.get("data-separator-vertical") or NEVER
    else:
        settings["separator"] = settings["vertical_separator"] = NEVER
    for name, value in attrs.items():
        if name in SETTINGS:
            settings[SETTINGS[name]] = value
    if reveal:
        settings["reveal"] = reveal
    kept = " ".join(f'{n}="{v}"' for n, v in attrs.items() if n not in SETTINGS and n not in DROPPED)
    body = section["markdown"]
    if kept:
        body = f"<!-- .slide: {kept} -->\n" + body
    # JSON is YAML: the regexes keep every backslash
    front = "\n".join(f"{key}: {json.dumps(value)}" for key, value in settings.items())
    return f"---\n{front}\n---\n{body}"


def deck_names(group: dict[str, Any]) -> list[str]:
    return [f"{group['id']}_{n}" for n in range(len(group["sections"]))]


CASES = [(group, test) for group in groups() for test in group["tests"]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    decks = {}
    for group in groups():
        for name, section in zip(deck_names(group), group["sections"], strict=True):
            decks[f"{name}.md"] = deck_text(section, group["reveal_config"])
    root = make_course(tmp_path_factory.mktemp("reveal-tests"), decks)
    build(root)
    with serve_folder(root / "_site") as url:
        yield url


@pytest.fixture(scope="module")
def pages(site: str) -> Iterator[dict[str, Any]]:
    """Each deck's page, opened once."""
    with chromium() as browser:
        opened: dict[str, Any] = {}
        blocked: list[str] = []
        for group in groups():
            for name in deck_names(group):
                opened[name] = open_page(browser, f"{site}{name}.html", blocked)
        yield opened
        assert blocked == []


def check(assertion: dict[str, Any], group: dict[str, Any], pages: dict[str, Any]) -> None:
    names = deck_names(group)
    if assertion["kind"] == "count":
        got = sum(
            pages[name].evaluate("(s) => document.querySelectorAll(s).length", assertion["selector"])
            for name in names
        )
        assert got == assertion["expected"], (assertion["selector"], assertion.get("message"))
        return
    assert len(names) == 1, "an eval assertion runs in one page"
    got = pages[names[0]].evaluate(
        f"async () => {{ const R = {ROOT[group['dom']]}; {HELPERS} return ({assertion['js']}); }}"
    )
    if assertion["compare"] == "contains":
        assert got is not None and assertion["expected"] in got, (assertion["js"], got)
    else:
        assert got == assertion["expected"], (assertion["js"], got)


@pytest.mark.parametrize(
    ("group", "test"), CASES, ids=[f"{g['id']}-{t['name']}".replace(" ", "_") for g, t in CASES]
)
def test_reveal_markdown(group: dict[str, Any], test: dict[str, Any], pages: dict[str, Any]) -> None:
    for assertion in test["assertions"]:
        check(assertion, group, pages)


def test_every_reveal_test_runs_or_is_listed_not_applicable() -> None:
    """36 tests run; the others test reveal.js's JS API, React or run-time loading (the reasons are in the JSON)."""
    data = load()
    applicable = len(CASES)
    listed = {(n["source"], n["test"]): n["reason"] for n in data["not_applicable"]}
    assert applicable == 36
    assert len(listed) == 8 and all(reason.strip() for reason in listed.values())


def test_deck_text_maps_section_attributes(tmp_path: Path) -> None:
    section = {
        "attrs": [["data-markdown", ""], ["class", "x"], ["data-separator-notes", "^Note:"]],
        "markdown": "a",
    }
    text = deck_text(section, {"markdown": {"smartypants": True}})
    assert 'separator: "\\\\r?\\\\n---\\\\r?\\\\n"' in text and 'notes_separator: "^Note:"' in text
    assert '<!-- .slide: class="x" -->\na' in text and 'reveal: {"markdown": {"smartypants": true}}' in text
