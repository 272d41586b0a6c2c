"""serve's in-place updates: what each open page is told after a rebuild (live.py, server.py)."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_course

import deckbuild
from deckbuild.commands.serve import PreviewSession, start_server
from deckbuild.server import PreviewServer

DECK = "---\ncss: [../assets/deck.css]\n---\n# First\n\n---\n## Second\n\nversion 0\n\nNote: say zero\n\n---\n## Third\n"
SITE = {"assets/deck.css": ".reveal h2 { color: red; }\n"}


class Course:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.session = PreviewSession(root)
        assert self.session.rebuild()
        self.server: PreviewServer = start_server(self.session, "127.0.0.1", 0)
        self.server.long_poll = 0.5

    def edit(self, name: str, text: str, *, ok: bool = True) -> None:
        (self.root / name).write_text(text, "utf-8")
        assert self.session.rebuild() is ok

    def ask(self, path: str) -> dict[str, Any]:
        with urllib.request.urlopen(self.server.url + path, timeout=10) as r:
            return dict(json.loads(r.read()))

    def news(self, page: str, epoch: int, error: int = 0) -> dict[str, Any]:
        return self.ask(f"_deckbuild/events?epoch={epoch}&error={error}&page=/{page}")

    @property
    def epoch(self) -> int:
        return self.session.state.snapshot.epoch


@pytest.fixture
def course(tmp_path: Path) -> Iterator[Course]:
    root = make_course(tmp_path, {"a.md": DECK, "b.md": "# Other deck\n"}, SITE)
    course = Course(root)
    try:
        yield course
    finally:
        course.server.shutdown()
        course.server.server_close()


def test_a_content_edit_sends_only_the_changed_slide(course: Course) -> None:
    before = course.epoch
    course.edit("slides/a.md", DECK.replace("version 0", "version 1").replace("say zero", "say one"))
    news = course.news("a.html", before)
    assert news["action"] == "update" and news["epoch"] == before + 1
    [slide] = news["slides"]
    assert (slide["h"], slide["v"], slide["stacked"], slide["menu"]) == (1, 0, False, "Second")
    assert "version 1" in slide["html"] and '<aside class="notes"><p>say one</p>' in slide["html"]
    assert news["css"] == []


def test_a_heading_edit_renames_the_menu_entry_in_place(course: Course) -> None:
    before = course.epoch
    course.edit("slides/a.md", DECK.replace("## Third", "## Third, renamed"))
    news = course.news("a.html", before)
    assert news["action"] == "update"
    assert [(s["h"], s["menu"]) for s in news["slides"]] == [(2, "Third, renamed")]


def test_slide_attributes_travel_with_the_slide(course: Course) -> None:
    before = course.epoch
    course.edit(
        "slides/a.md", DECK.replace("## Second", '<!-- .slide: data-background-color="#123" -->\n## Second')
    )
    [slide] = course.news("a.html", before)["slides"]
    assert slide["attrs"] == {"data-background-color": "#123"} and slide["was"] == {}


@pytest.mark.parametrize(
    "change",
    [
        DECK + "\n---\n## Fourth\n",  # one more slide
        DECK.replace("---\n## Third", "----\n## Third"),  # the structure: a vertical stack
        DECK.replace("css: [../assets/deck.css]", "css: [../assets/deck.css]\ntheme: black"),  # a theme
        DECK.replace("---\n# First", "reveal:\n  controls: false\n---\n# First"),  # reveal.js options
        DECK.replace("version 0", "version $x$"),  # math is new to the deck: KaTeX's script is needed
        DECK.replace("# First", "# First title"),  # the deck's title (its first heading) is the page's
    ],
    ids=["slide-added", "stack", "theme", "options", "new-script", "title"],
)
def test_anything_but_slide_content_reloads(course: Course, change: str) -> None:
    before = course.epoch
    course.edit("slides/a.md", change)
    assert course.news("a.html", before)["action"] == "reload"


def test_a_stylesheet_edit_swaps_the_stylesheet(course: Course) -> None:
    before = course.epoch
    course.edit("assets/deck.css", ".reveal h2 { color: blue; }\n")
    news = course.news("a.html", before)
    assert news == {
        "epoch": before + 1,
        "error": None,
        "action": "update",
        "slides": [],
        "css": ["assets/deck.css"],
        "warnings": [],
    }


def test_an_edit_leaves_other_pages_alone(course: Course) -> None:
    before = course.epoch
    answers: dict[str, dict[str, Any]] = {}

    def wait(page: str) -> None:
        answers[page] = course.news(page, before)

    waiting = [threading.Thread(target=wait, args=(page,)) for page in ("b.html", "", "a.html")]
    for thread in waiting:
        thread.start()
    course.edit("slides/a.md", DECK.replace("version 0", "version 1"))
    for thread in waiting:
        thread.join(10)
    assert answers["a.html"]["action"] == "update"
    # the other deck and the index had no news: their long polls ran out with nothing to do
    assert answers["b.html"] == {"epoch": before + 1, "error": None, "action": "none", "warnings": []}
    assert answers[""]["action"] == "none"


def test_a_page_many_builds_behind_gets_the_sum_of_the_changes(course: Course) -> None:
    before = course.epoch
    course.edit("slides/a.md", DECK.replace("version 0", "version 1"))
    course.edit("slides/b.md", "# Other deck, edited\n")
    course.edit("slides/a.md", DECK.replace("version 0", "version 2").replace("## Third", "## 3"))
    news = course.news("a.html", before)
    assert [(s["h"], "version 2" in s["html"]) for s in news["slides"]] == [(1, True), (2, False)]
    # a page from a build no longer remembered reloads
    assert course.news("a.html", -5)["action"] == "reload"


def test_builds_of_other_decks_do_not_age_an_open_page(course: Course) -> None:
    before = course.epoch
    for n in range(20):  # an editor saving another deck every second, while this page's poll waits
        course.edit("slides/b.md", f"# Other deck, save {n}\n")
    course.edit("slides/a.md", DECK.replace("version 0", "version 1"))
    news = course.news("a.html", before)
    assert news["action"] == "update" and [s["h"] for s in news["slides"]] == [1]


def test_an_image_saved_again_reloads_its_page(course: Course) -> None:
    (course.root / "slides" / "x.png").write_bytes(b"\x89PNG one")
    course.edit("slides/a.md", DECK.replace("version 0", "![x](x.png)"))
    before = course.epoch
    (course.root / "slides" / "x.png").write_bytes(b"\x89PNG two, longer")
    assert course.session.rebuild()
    assert course.news("a.html", before)["action"] == "reload"
    assert course.news("b.html", before)["action"] == "none"


def test_warnings_are_the_page_s_own(course: Course) -> None:
    course.edit("slides/a.md", DECK.replace("version 0", "![gone](img/gone.png)"))
    state = course.ask("_deckbuild/page?page=/a.html")
    assert state["warnings"] == ['slides/a.md:9: missing file "img/gone.png"']
    assert course.ask("_deckbuild/page?page=/b.html")["warnings"] == []
    before = course.epoch
    course.edit("slides/a.md", DECK)
    news = course.news("a.html", before)
    assert news["action"] == "update" and news["warnings"] == []


def test_a_failed_build_then_the_same_page_again_clears_the_error(course: Course) -> None:
    before = course.epoch
    course.edit("deckbuild.yml", "reveal:\n  width: wide\n", ok=False)
    news = course.news("a.html", before)
    assert "'width' must be a number" in news["error"]
    (course.root / "deckbuild.yml").unlink()
    assert course.session.rebuild()
    news = course.news("a.html", before, error=1)
    assert news["error"] is None and news["action"] == "none"


def test_a_course_s_own_deck_template_reloads_on_any_change(tmp_path: Path) -> None:
    own = (Path(deckbuild.__file__).parent / "templates" / "deck.html").read_text("utf-8")
    files = {
        **SITE,
        "templates/deck.html": own.replace('<div class="slides">', '<div class="slides" data-own>'),
    }
    course = Course(make_course(tmp_path, {"a.md": DECK}, files))
    try:
        before = course.epoch
        course.edit("slides/a.md", DECK.replace("version 0", "version 1"))
        assert course.news("a.html", before)["action"] == "reload"
    finally:
        course.server.shutdown()
        course.server.server_close()


def test_the_course_s_own_warnings_show_on_every_deck(course: Course) -> None:
    course.edit("deckbuild.yml", "titel: typo\n")
    for page in ("a.html", "b.html"):
        [message] = course.ask(f"_deckbuild/page?page=/{page}")["warnings"]
        assert message.startswith("deckbuild.yml") and "titel" in message


def test_serve_parses_the_decks_drawings_before_the_first_edit(tmp_path: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="l1"/></svg>'
    deck = '# A\n\n<object type="image/svg+xml" data="img/x.svg" data-layers="l1"></object>\n'
    root = make_course(tmp_path, {"a.md": deck}, {"slides/img/x.svg": svg})
    session = PreviewSession(root)
    assert session.rebuild()
    session.builder.svgs.cache.clear()  # as after a first build made in workers
    session.warm()
    assert list(session.builder.svgs.cache) == [root.resolve() / "slides" / "img" / "x.svg"]
