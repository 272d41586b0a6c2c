"""Course configuration as a declarative schema (the mkdocs way).

Sources, later ones winning: defaults, a reveal-md layout's `reveal-md.json`
and `reveal.json`, then `deckbuild.yml`. A deck's front matter is checked
against DECK_SCHEMA and overrides the course per deck. Each key is an
`Option`; an unknown key is a warning naming it, a wrong value an error
naming file, line and key.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deckbuild.errors import DeckError, Where, warn

log = logging.getLogger("deckbuild")

CONFIG_FILE = "deckbuild.yml"
DEFAULT_SEPARATOR = r"\r?\n---\r?\n"
DEFAULT_VERTICAL_SEPARATOR = r"\r?\n----\r?\n"
DEFAULT_NOTES_SEPARATOR = r"^[ \t]*notes?:"
# reveal.js 6 markdown plugin's defaults for the attribute comments
DEFAULT_ELEMENT_ATTRIBUTES = r"\.element\s*?(.+?)$"
DEFAULT_SLIDE_ATTRIBUTES = r"\.slide:\s*?(\S.+?)$"


class Invalid(Exception):
    """A value that does not fit its option; the text completes "'key' …"."""


@dataclass(frozen=True)
class Option:
    """One key of a schema: its check and its default."""

    check: Callable[[Any], Any]
    default: Any = None


def _number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid("must be a number")
    return value


def _size(value: Any) -> Any:
    # reveal.js takes a pixel number or a percentage such as "100%"
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?%", value):
        return value
    try:
        return _number(value)
    except Invalid:
        raise Invalid('must be a number or a percentage such as "100%"') from None


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("must be a string")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Invalid("must be true or false")
    return value


def _strings(value: Any) -> list[str]:
    """A list of strings; a single string (or reveal-md's comma list) is one too."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("must be a list of strings")
    return list(value)


def _regex(value: Any) -> str:
    text = _string(value)
    try:
        re.compile(text)
    except re.error as exc:
        raise Invalid(f"is not a valid regular expression ({exc})") from None
    return text


def _attribute_regex(value: Any) -> str:
    text = _regex(value)
    if re.compile(text).groups < 1:
        raise Invalid("must have a group ( … ) that holds the attributes")
    return text


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Invalid("must be a mapping")
    return dict(value)


def _one_of(*choices: Any) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in choices:
            raise Invalid("must be one of " + ", ".join(json.dumps(c) for c in choices))
        return value

    return check


def _either(*checks: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        messages = []
        for one in checks:
            try:
                return one(value)
            except Invalid as exc:
                messages.append(str(exc).removeprefix("must be "))
        raise Invalid("must be " + " or ".join(messages))

    return check


TRANSITIONS = ("none", "fade", "slide", "convex", "concave", "zoom")
_transition = _one_of(*TRANSITIONS, *(f"{a}-in {b}-out" for a in TRANSITIONS for b in TRANSITIONS))

# The reveal.js options deckbuild knows (reveal.js 6 config.d.ts); others
# pass through to Reveal.initialize with a warning, as reveal.js may add more.
REVEAL_SCHEMA: dict[str, Option] = {
    "width": Option(_size),
    "height": Option(_size),
    "margin": Option(_number),
    "minScale": Option(_number),
    "maxScale": Option(_number),
    "controls": Option(_either(_bool, _one_of("speaker", "speaker-only"))),
    "controlsTutorial": Option(_bool),
    "controlsLayout": Option(_one_of("edges", "bottom-right")),
    "controlsBackArrows": Option(_one_of("faded", "hidden", "visible")),
    "progress": Option(_bool),
    "slideNumber": Option(_either(_bool, _one_of("h.v", "h/v", "c", "c/t"))),
    "showSlideNumber": Option(_one_of("all", "print", "speaker")),
    "hashOneBasedIndex": Option(_bool),
    "hash": Option(_bool),
    "respondToHashChanges": Option(_bool),
    "jumpToSlide": Option(_bool),
    "history": Option(_bool),
    "keyboard": Option(_either(_bool, _mapping)),
    "disableLayout": Option(_bool),
    "overview": Option(_bool),
    "center": Option(_bool),
    "touch": Option(_bool),
    "loop": Option(_bool),
    "rtl": Option(_bool),
    "navigationMode": Option(_one_of("default", "linear", "grid")),
    "shuffle": Option(_bool),
    "fragments": Option(_bool),
    "fragmentInURL": Option(_bool),
    "embedded": Option(_bool),
    "help": Option(_bool),
    "pause": Option(_bool),
    "showNotes": Option(_bool),
    "showHiddenSlides": Option(_bool),
    "autoPlayMedia": Option(_either(_bool, _one_of(None))),
    "preloadIframes": Option(_either(_bool, _one_of(None))),
    "autoAnimate": Option(_bool),
    "autoAnimateEasing": Option(_string),
    "autoAnimateDuration": Option(_number),
    "autoAnimateUnmatched": Option(_bool),
    "autoSlide": Option(_either(_number, _one_of(False))),
    "autoSlideStoppable": Option(_bool),
    "defaultTiming": Option(_either(_number, _one_of(None))),
    "mouseWheel": Option(_bool),
    "previewLinks": Option(_bool),
    "transition": Option(_transition),
    "transitionSpeed": Option(_one_of("default", "fast", "slow")),
    "backgroundTransition": Option(_transition),
    "parallaxBackgroundImage": Option(_either(_string, _one_of(None))),
    "parallaxBackgroundSize": Option(_either(_string, _one_of(None))),
    "view": Option(_one_of(None, "print", "scroll")),
    "scrollProgress": Option(_either(_bool, _one_of("auto"))),
    "pdfMaxPagesPerSlide": Option(_number),
    "pdfSeparateFragments": Option(_bool),
    "viewDistance": Option(_number),
    "mobileViewDistance": Option(_number),
    "display": Option(_string),
    "hideInactiveCursor": Option(_bool),
    "hideCursorTime": Option(_number),
}

# The markdown plugin's options (`reveal: {markdown: {...}}`, reveal.js 6
# MarkdownConfig): reveal.js passes them to marked in the browser, deckbuild
# applies them at build time (markdown.MarkdownOptions). Options that only
# a JS function can give, or that marked no longer reads, are named as such.
MARKDOWN_SCHEMA: dict[str, Option] = {
    "smartypants": Option(_bool),
    "gfm": Option(_bool),
    "breaks": Option(_bool),
    "animateLists": Option(_bool),
    "headerIds": Option(_bool),
    "headerPrefix": Option(_string),
    "langPrefix": Option(_string),
    "separator": Option(_regex),
    "verticalSeparator": Option(_regex),
    "notesSeparator": Option(_regex),
}
# accepted and without effect on a build-time renderer (said once, as a warning)
MARKDOWN_WITHOUT_EFFECT = {
    "async": "the markdown is rendered at build time",
    "silent": "build problems are always reported",
    "pedantic": "deckbuild renders CommonMark",
    "mangle": "marked no longer reads it",
    "smartLists": "marked no longer reads it",
    "xhtml": "marked no longer reads it",
    "sanitize": "marked no longer reads it",
    "baseUrl": "marked no longer reads it",
    "attributes": "reveal.js does not read it from the config",
    "renderer": "it needs JavaScript functions",
    "tokenizer": "it needs JavaScript functions",
    "walkTokens": "it needs JavaScript functions",
    "highlight": "it needs JavaScript functions",
    "sanitizer": "it needs JavaScript functions",
    "hooks": "it needs JavaScript functions",
    "extensions": "it needs JavaScript functions",
}

# Keys a deck's front matter may set (reveal-md spellings accepted too).
DECK_SCHEMA: dict[str, Option] = {
    "title": Option(_string),
    "description": Option(_string, ""),
    "theme": Option(_string),
    "css": Option(_strings),
    "highlight_theme": Option(_string),
    "reveal": Option(_mapping),
    "separator": Option(_regex),
    "vertical_separator": Option(_regex),
    "notes_separator": Option(_regex),
    "element_attributes": Option(_attribute_regex),
    "slide_attributes": Option(_attribute_regex),
    "incremental": Option(_bool),
    "fit": Option(_bool),
    "logo": Option(_either(_string, _one_of(False))),
    "footer": Option(_either(_string, _one_of(False))),
}

COURSE_SCHEMA: dict[str, Option] = {
    **DECK_SCHEMA,
    "title": Option(_string),  # default: the course folder's name made readable
    "theme": Option(_string, "white"),
    "css": Option(_strings, []),
    "highlight_theme": Option(_string, "monokai"),
    "reveal": Option(_mapping, {}),
    "separator": Option(_regex, DEFAULT_SEPARATOR),
    "vertical_separator": Option(_regex, DEFAULT_VERTICAL_SEPARATOR),
    "notes_separator": Option(_regex, DEFAULT_NOTES_SEPARATOR),
    "element_attributes": Option(_attribute_regex, DEFAULT_ELEMENT_ATTRIBUTES),
    "slide_attributes": Option(_attribute_regex, DEFAULT_SLIDE_ATTRIBUTES),
    "incremental": Option(_bool, False),
    "fit": Option(_bool, True),
    "decks": Option(_strings, []),
    "slides": Option(_string, "slides"),
    "output": Option(_string, "_site"),
    "site_url": Option(_string),
    # the language of the slides' text: screen readers and hyphenation follow it (WCAG 3.1.1)
    "lang": Option(_string, "en"),
    # files or folders holding Marp themes (`/* @theme name */`); the course's own css is searched too
    "themes": Option(_strings, []),
    # inline the course's SVGs as they are, scripts and all (for interactive drawings one trusts)
    "svg_trust": Option(_bool, False),
    # the home page: its logo (default: `logo`), pictures of first slides, each deck's PDF
    "home_logo": Option(_either(_string, _one_of(False))),
    "thumbnails": Option(_bool, False),
    "pdf": Option(_bool, False),
    # search across every deck, built into the site; speaker notes are searched on request
    "search": Option(_bool, True),
    "search_notes": Option(_bool, False),
}

ALIASES = {
    "revealOptions": "reveal",
    "verticalSeparator": "vertical_separator",
    "notesSeparator": "notes_separator",
    "highlightTheme": "highlight_theme",
    "elementAttributes": "element_attributes",
    "slideAttributes": "slide_attributes",
}

# reveal-md.json keys deckbuild takes; the rest is named once as ignored.
REVEAL_MD_KEYS = {"theme", "css", "separator", "verticalSeparator", "notesSeparator", "highlightTheme"}


@dataclass
class Located:
    """Parsed YAML/JSON data with the line of each top-level and nested key."""

    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)


def _key_lines(node: yaml.Node, prefix: str = "") -> dict[str, int]:
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[prefix + key.value] = key.start_mark.line + 1
                lines.update(_key_lines(value, prefix + key.value + "."))
    return lines


MAX_NODES = 200_000  # far beyond any course; a "billion laughs" document is far beyond this


def expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the document has once its aliases are expanded (counted, not built)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a node inside itself (a recursive alias) counts once
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(expanded_size(k, memo) + expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size
    return size


def load_yaml(text: str, where: Where, first_line: int = 1) -> Located:
    """YAML mapping with key lines; `first_line` offsets front matter."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None and expanded_size(node, {}) > MAX_NODES:
            raise DeckError(
                f"YAML whose aliases expand to more than {MAX_NODES} values: deckbuild does not read it",
                Where(where.path, first_line),
            )
        data = yaml.safe_load(text) if node is not None else {}
    except RecursionError:
        raise DeckError("YAML nested too deeply", Where(where.path, first_line)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else where.line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DeckError(f"invalid YAML: {problem}", Where(where.path, line)) from None
    if data is None:
        return Located({})
    if not isinstance(data, dict):
        raise DeckError("must be a mapping of keys to values", Where(where.path, first_line))
    if node is None or not data:
        return Located({})  # empty, or comments only
    lines = {k: v + first_line - 1 for k, v in _key_lines(node).items()}
    return Located(data, lines)


def validate(
    located: Located, schema: Mapping[str, Option], path: str, *, prefix: str = ""
) -> dict[str, Any]:
    """Check each key against its option; unknown keys are warnings."""
    result: dict[str, Any] = {}
    for raw_key, value in located.data.items():
        key = ALIASES.get(str(raw_key), str(raw_key))
        where = Where(path, located.lines.get(prefix + str(raw_key)))
        option = schema.get(key)
        if option is None:
            warn(f"unknown key '{prefix}{raw_key}' (ignored)", where)
            continue
        try:
            result[key] = option.check(value)
        except Invalid as exc:
            raise DeckError(f"'{raw_key}' {exc}", where) from None
        if key == "reveal":
            nested = Located(result[key], located.lines)
            result[key] = validate_reveal(nested, path, prefix=prefix + str(raw_key) + ".")
    return result


def validate_reveal(located: Located, path: str, *, prefix: str = "") -> dict[str, Any]:
    """reveal.js options: known ones are checked, unknown ones pass with a warning."""
    result: dict[str, Any] = {}
    for key, value in located.data.items():
        where = Where(path, located.lines.get(prefix + key))
        if key == "markdown":
            nested = Located(_check(_mapping, key, value, where), located.lines)
            result[key] = validate_markdown(nested, path, prefix=prefix + key + ".")
            continue
        option = REVEAL_SCHEMA.get(key)
        if option is None:
            warn(f"unknown reveal.js option '{key}' (passed on as it is)", where)
            result[key] = value
            continue
        try:
            result[key] = option.check(value)
        except Invalid as exc:
            raise DeckError(f"'{key}' {exc}", where) from None
    return result


def _check(check: Callable[[Any], Any], key: str, value: Any, where: Where) -> Any:
    try:
        return check(value)
    except Invalid as exc:
        raise DeckError(f"'{key}' {exc}", where) from None


def validate_markdown(located: Located, path: str, *, prefix: str = "") -> dict[str, Any]:
    """The markdown plugin's options: applied at build time, or named as without effect."""
    result: dict[str, Any] = {}
    for key, value in located.data.items():
        where = Where(path, located.lines.get(prefix + key))
        option = MARKDOWN_SCHEMA.get(key)
        if option is not None:
            result[key] = _check(option.check, f"markdown.{key}", value, where)
        elif key in MARKDOWN_WITHOUT_EFFECT:
            warn(f"markdown plugin option '{key}' has no effect ({MARKDOWN_WITHOUT_EFFECT[key]})", where)
        else:
            warn(f"unknown markdown plugin option '{key}' (ignored)", where)
    return result


def defaults(schema: Mapping[str, Option]) -> dict[str, Any]:
    return {key: option.default for key, option in schema.items()}


def _load_json(path: Path, name: str) -> Located:
    text = read_file(path, name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DeckError(f"invalid JSON: {exc.msg}", Where(name, exc.lineno)) from None
    if not isinstance(data, dict):
        raise DeckError("must be a JSON object", Where(name, 1))
    lines = {k: _json_key_line(text, k) for k in data}
    return Located(data, {k: v for k, v in lines.items() if v is not None})


def _json_key_line(text: str, key: str) -> int | None:
    at = text.find(json.dumps(key))
    return None if at < 0 else text.count("\n", 0, at) + 1


_TOLD: set[Path] = set()


def _reveal_md(root: Path) -> dict[str, Any]:
    """What deckbuild takes from a reveal-md layout (reveal-md.json, reveal.json)."""
    config: dict[str, Any] = {}
    md_json = root / "reveal-md.json"
    if md_json.is_file():
        located = _load_json(md_json, "reveal-md.json")
        ignored = sorted(k for k in located.data if k not in REVEAL_MD_KEYS)
        if ignored and root not in _TOLD:
            _TOLD.add(root)  # said once, not at every rebuild of `serve`
            log.info(
                "reveal-md.json: ignoring %s (deckbuild inlines SVG layers, has its own template "
                "and slide menu)",
                ", ".join(ignored),
            )
        kept = Located({k: v for k, v in located.data.items() if k in REVEAL_MD_KEYS}, located.lines)
        config.update(validate(kept, COURSE_SCHEMA, "reveal-md.json"))
    reveal_json = root / "reveal.json"
    if reveal_json.is_file():
        config["reveal"] = validate_reveal(_load_json(reveal_json, "reveal.json"), "reveal.json")
    return config


def read_file(path: Path, name: str) -> str:
    """A UTF-8 text file, or a one-line error naming it."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DeckError(f"not UTF-8 text (byte {exc.start})", Where(name, line)) from None
    except OSError as exc:
        raise DeckError(f"cannot read: {exc.strerror}", Where(name)) from None


def load_course_config(root: Path) -> dict[str, Any]:
    """The course's settings: defaults < reveal-md files < deckbuild.yml."""
    config = defaults(COURSE_SCHEMA)
    config.update(_reveal_md(root))
    yml = root / CONFIG_FILE
    if yml.is_file():
        own = validate(load_yaml(read_file(yml, CONFIG_FILE), Where(CONFIG_FILE)), COURSE_SCHEMA, CONFIG_FILE)
        if "reveal" in own:
            own["reveal"] = {**config["reveal"], **own["reveal"]}
        config.update(own)
    if not config.get("title"):
        config["title"] = readable(root.name)
    return config


def readable(name: str) -> str:
    """A file or folder name as a title: `rses-dl-course` -> `Rses dl course`."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name
