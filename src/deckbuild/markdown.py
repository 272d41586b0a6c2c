"""The markdown renderer: markdown-it-py set up as reveal.js's own renderer.

Math is marked with `data-math` (not only a class) because a `.element`
comment may replace an element's class, as it does in reveal.js.

CommonMark with raw HTML, GFM tables and strikethrough; `$…$` / `$$…$$`
math kept intact for KaTeX; code fences keep reveal's line-step syntax.
Each rule here is a small markdown-it render rule.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from deckbuild.autolinks import autolinks_plugin
from deckbuild.containers import columns_plugin
from deckbuild.pandoc_attrs import pandoc_attrs_plugin

# reveal.js markdown plugin: ```js [2:1|3-4]  -> start line 2, steps "1|3-4"
LINE_STEPS = re.compile(r"\[\s*((\d*):)?\s*([\s\d,|-]*)\]")

Env = MutableMapping[str, Any]


@dataclass(frozen=True)
class MarkdownOptions:
    """The reveal.js markdown plugin's options that change the HTML (marked's names in comments)."""

    smartypants: bool = False  # smartypants: curly quotes, dashes, ellipses
    gfm: bool = True  # gfm: tables and strikethrough (and task lists, below)
    breaks: bool = False  # breaks: a line break in a paragraph is a <br>
    lang_prefix: str = "language-"  # langPrefix: class prefix of a code block's language
    # deckbuild's own authoring conventions (off unless a reader asks for them)
    columns: bool = False  # `::: columns` / `::: column width=40%` fenced blocks
    attributes: bool = False  # Pandoc attribute blocks `![a](x.png){width=50% .fragment}`
    tasklists: bool = False  # `- [ ] todo` as a disabled checkbox (marked's gfm does it)
    autolinks: bool = False  # a bare https://… or www.… is a link (marked's gfm does it)

    @classmethod
    def from_reveal(cls, markdown: Mapping[str, Any]) -> MarkdownOptions:
        """From `reveal: {markdown: …}` as config.MARKDOWN_SCHEMA checked it."""
        return cls(
            smartypants=bool(markdown.get("smartypants", False)),
            gfm=bool(markdown.get("gfm", True)),
            breaks=bool(markdown.get("breaks", False)),
            lang_prefix=str(markdown.get("langPrefix", "language-")),
            columns=True,
            attributes=True,
            tasklists=bool(markdown.get("gfm", True)),
            autolinks=bool(markdown.get("gfm", True)),
        )


DEFAULT_OPTIONS = MarkdownOptions()


def render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    """A code fence as reveal's highlight plugin reads it."""
    token = tokens[idx]
    info = token.info.strip()
    attrs = ""
    match = LINE_STEPS.search(info)
    if match:
        steps = match.group(3).strip()
        attrs += f' data-line-numbers="{escapeHtml(steps)}"'
        if match.group(2):
            attrs += f' data-ln-start-from="{match.group(2)}"'
        info = LINE_STEPS.sub("", info, count=1).strip()
    lang = escapeHtml(info.split()[0]) if info else ""
    env.setdefault("features", set()).add("code")
    # the bare language class as reveal.js 6 writes it (`code.javascript`
    # matches), and the prefixed one highlight.js reads first
    prefix = escapeHtml(options.get("langPrefix") or "language-")
    css = f' class="{lang} {prefix}{lang}"' if lang else ""
    return f"<pre><code{attrs}{css}>{escapeHtml(token.content)}</code></pre>\n"


def render_math_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    env.setdefault("features", set()).add("math")
    return f'<span class="math inline" data-math="inline">{escapeHtml(tokens[idx].content)}</span>'


def render_math_display(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    env.setdefault("features", set()).add("math")
    content = escapeHtml(tokens[idx].content.strip())
    if not tokens[idx].block:
        # $$…$$ inside a paragraph stays inline markup (a <div> would end the <p>)
        return f'<span class="math display" data-math="display">{content}</span>'
    return f'<div class="math display" data-math="display">{content}</div>\n'


def render_html_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Env) -> str:
    """Raw HTML as written, keeping a blank line before it visible.

    reveal.js 6 renders blank lines between blocks as text, and its
    `.element` rule reads them: a comment right after a list styles the last
    item, one after a blank line styles the list. Keep that signal.
    """
    token = tokens[idx]
    lines: list[str] = env.get("lines", [])
    start = token.map[0] if token.map else 0
    blank_before = start > 0 and start - 1 < len(lines) and not lines[start - 1].strip()
    return ("\n" if blank_before else "") + token.content


# SmartyPants as reveal.js runs it (marked-smartypants, config 2): em and en
# dashes and ellipses; quotes are markdown-it's smartquotes. Not markdown-it's
# other replacements ((c) to ©, +- to ±), which SmartyPants does not make.
SMARTYPANTS = (
    (re.compile(r"---"), "\u2014"),
    (re.compile(r"--"), "\u2013"),
    (re.compile(r"\.\.\.|\. \. \."), "\u2026"),
)


def smartypants_punctuation(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        in_url = False  # a bare URL made a link shows as written
        for child in block.children:
            if child.type in ("link_open", "link_close") and child.markup == "linkify":
                in_url = child.nesting == 1
            if not in_url and child.type == "text" and ("--" in child.content or "." in child.content):
                for pattern, replacement in SMARTYPANTS:
                    child.content = pattern.sub(replacement, child.content)


def make_renderer(options: MarkdownOptions = DEFAULT_OPTIONS) -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {
            "html": True,
            "breaks": options.breaks,
            "typographer": options.smartypants,
            "langPrefix": options.lang_prefix,
        },
    )
    if options.gfm:
        md.enable(["table", "strikethrough"])
    if options.smartypants:
        md.enable(["smartquotes"])
        md.core.ruler.after("smartquotes", "smartypants", smartypants_punctuation)
    if options.columns:
        md.use(columns_plugin)
    if options.attributes:
        md.use(pandoc_attrs_plugin)
    if options.tasklists:
        md.use(tasklists_plugin)
    if options.autolinks:
        md.use(autolinks_plugin)
    # No space just inside the dollars and no digit after the closing one,
    # so "$5 and $10" stays text (the pandoc rule).
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    md.add_render_rule("fence", render_fence)
    md.add_render_rule("code_block", render_fence)
    md.add_render_rule("math_inline", render_math_inline)
    md.add_render_rule("math_inline_double", render_math_display)
    md.add_render_rule("math_block", render_math_display)
    md.add_render_rule("math_block_label", render_math_display)
    md.add_render_rule("html_block", render_html_block)
    return md


@functools.lru_cache(maxsize=16)
def renderer(options: MarkdownOptions = DEFAULT_OPTIONS) -> MarkdownIt:
    """One renderer per set of options, made once."""
    return make_renderer(options)


Problems = list[tuple[int, str]]  # (line in the text, from 0; message)


@functools.lru_cache(maxsize=4096)
def _render(text: str, options: MarkdownOptions) -> tuple[str, frozenset[str], tuple[tuple[int, str], ...]]:
    env: dict[str, Any] = {"lines": text.split("\n"), "features": set(), "problems": []}
    html = str(renderer(options).render(text, env))
    return html, frozenset(env["features"]), tuple(env["problems"])


def render(
    text: str,
    features: set[str] | None = None,
    options: MarkdownOptions = DEFAULT_OPTIONS,
    problems: Problems | None = None,
) -> str:
    """Markdown to HTML; `features` collects what the page needs (math, code),
    `problems` what the author should hear about (line in `text`, message).

    A pure function of the text and options, so `serve` renders again only
    the slides an edit changed.
    """
    html, used, found = _render(text, options)
    if features is not None:
        features.update(used)
    if problems is not None:
        problems.extend(found)
    return html
