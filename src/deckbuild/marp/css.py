"""Marp CSS put onto reveal.js slides, with a real CSS parser (tinycss2).

A Marp theme is written for `section` (a slide) and `:root` (the same
slide, in Marpit); marpit scopes it to its own slide container. Here the
slide is a section of reveal.js, so each selector is rescoped: a leading
`section` or `:root` becomes the slide selector, any other selector is put
under it. `<style scoped>` is the same with the slide's own attribute.
"""

from __future__ import annotations

import tinycss2
from tinycss2.ast import AtRule, Node, QualifiedRule

# at-rules whose block holds rules to rescope; the others are kept as they are
NESTED = {"media", "supports", "layer", "container", "document"}


def split_selectors(prelude: list[Node]) -> list[list[Node]]:
    """A selector list at its top-level commas."""
    selectors: list[list[Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [strip(s) for s in selectors if strip(s)]


def strip(tokens: list[Node]) -> list[Node]:
    start, end = 0, len(tokens)
    while start < end and tokens[start].type in ("whitespace", "comment"):
        start += 1
    while end > start and tokens[end - 1].type in ("whitespace", "comment"):
        end -= 1
    return tokens[start:end]


def rescope_selector(tokens: list[Node], slide: str) -> str:
    first = tokens[0]
    if first.type == "ident" and first.lower_value in ("section", "html", "body"):
        return slide + str(tinycss2.serialize(tokens[1:]))
    second = tokens[1] if len(tokens) > 1 else None
    if first.type == "literal" and first.value == ":" and second is not None and second.type == "ident":
        if second.lower_value == "root":
            return slide + str(tinycss2.serialize(tokens[2:]))
    return f"{slide} {tinycss2.serialize(tokens)}"


def rescope_rules(rules: list[Node], slide: str) -> str:
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            selectors = [rescope_selector(s, slide) for s in split_selectors(rule.prelude)]
            out.append(", ".join(selectors) + " {" + tinycss2.serialize(rule.content) + "}")
        elif isinstance(rule, AtRule) and rule.lower_at_keyword in NESTED and rule.content is not None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            prelude = tinycss2.serialize(rule.prelude).strip()
            out.append(f"@{rule.at_keyword} {prelude} {{{rescope_rules(inner, slide)}}}")
        elif isinstance(rule, AtRule):
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


def rescope(css: str, slide: str) -> str:
    """Every rule of `css` applied to the slides `slide` selects."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return rescope_rules(rules, slide)


def scope_css(css: str, scope: str) -> str:
    """A `<style scoped>` of one slide: only the slide with attribute selector `scope`."""
    return rescope(css, f".reveal .slides section{scope}")


def imports(css: str) -> list[str]:
    """The targets of a stylesheet's `@import` rules (a theme importing another)."""
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if isinstance(rule, AtRule) and rule.lower_at_keyword == "import":
            for token in rule.prelude:
                if token.type in ("string", "url"):
                    found.append(str(token.value))
                    break
                if token.type == "function" and token.lower_name == "url" and token.arguments:
                    found.append(str(token.arguments[0].value))
                    break
    return found


def without_imports(css: str) -> str:
    """The stylesheet less its `@import` rules (they are resolved, or would go to the web)."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
    kept = [r for r in rules if not (isinstance(r, AtRule) and r.lower_at_keyword == "import")]
    return str(tinycss2.serialize(kept))
