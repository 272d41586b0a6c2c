"""Office Math (OMML) to TeX that the bundled KaTeX typesets.

PowerPoint stores an equation as a tree of `m:` elements whose leaves are
runs of Unicode text. Two things make a naive conversion wrong: letters are
stored as Mathematical Alphanumeric Symbols (`𝑥` U+1D465, not `x`) and
operators as Unicode (`≤`, `∑`, `‖`), so both are mapped back to TeX
commands here; and every structure (fraction, script, n-ary, delimiter…)
has properties with defaults that PowerPoint leaves out, which are applied
as the OMML specification gives them (ECMA-376 Part 1, §22.1).

An element this module does not know raises `UnsupportedMath`, so the
importer can warn about the slide instead of silently dropping text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from lxml import etree

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class UnsupportedMath(Exception):
    """An OMML structure with no TeX equivalent here."""


def m(tag: str) -> str:
    return f"{{{M}}}{tag}"


GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ϖ": "varpi", "ρ": "rho",
    "ϱ": "varrho", "σ": "sigma", "ς": "varsigma", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "Γ": "Gamma", "Δ": "Delta",
    "Θ": "Theta", "Λ": "Lambda", "Ξ": "Xi", "Π": "Pi", "Σ": "Sigma", "Υ": "Upsilon",
    "Φ": "Phi", "Ψ": "Psi", "Ω": "Omega",
}  # fmt: skip
# U+03B5 is the curly epsilon in Cambria Math, TeX's \varepsilon; U+03F5 is \epsilon
GREEK["ε"] = "varepsilon"
GREEK["φ"] = "varphi"

SYMBOLS = {
    "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "±": r"\pm", "∓": r"\mp", "×": r"\times",
    "÷": r"\div", "·": r"\cdot", "⋅": r"\cdot", "∙": r"\cdot", "∗": r"\ast", "∘": r"\circ",
    "∞": r"\infty", "∂": r"\partial", "∇": r"\nabla", "→": r"\to", "←": r"\leftarrow",
    "↔": r"\leftrightarrow", "⇒": r"\Rightarrow", "⇐": r"\Leftarrow", "⇔": r"\Leftrightarrow",
    "↦": r"\mapsto", "∈": r"\in", "∉": r"\notin", "∋": r"\ni", "⊂": r"\subset",
    "⊃": r"\supset", "⊆": r"\subseteq", "⊇": r"\supseteq", "∪": r"\cup", "∩": r"\cap",
    "∅": r"\emptyset", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge",
    "∨": r"\vee", "≈": r"\approx", "∼": r"\sim", "≃": r"\simeq", "≅": r"\cong",
    "≡": r"\equiv", "∝": r"\propto", "≪": r"\ll", "≫": r"\gg", "⊥": r"\perp",
    "∥": r"\parallel", "∣": r"\mid", "…": r"\ldots", "⋯": r"\cdots", "⋮": r"\vdots",
    "⋱": r"\ddots", "′": "'", "″": "''", "‴": "'''", "−": "-", "∖": r"\setminus",
    "⊕": r"\oplus", "⊗": r"\otimes", "⊙": r"\odot", "†": r"\dagger", "ℓ": r"\ell",
    "ℏ": r"\hbar", "ℜ": r"\Re", "ℑ": r"\Im", "ℵ": r"\aleph", "°": r"^{\circ}",
    "⟨": r"\langle", "⟩": r"\rangle", "‖": r"\|", "≔": r"\coloneqq", "≜": r"\triangleq",
    "⊤": r"\top", "√": r"\surd", "∠": r"\angle", "△": r"\triangle", "□": r"\square",
    "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "⌊": r"\lfloor", "⌋": r"\rfloor",
    "⌈": r"\lceil", "⌉": r"\rceil", "≺": r"\prec", "≻": r"\succ", "⊢": r"\vdash",
    "∄": r"\nexists", "⟵": r"\longleftarrow", "⟸": r"\Longleftarrow", "⟺": r"\Longleftrightarrow",
    "≝": r"\overset{\text{def}}{=}", "≐": r"\doteq", "⊊": r"\subsetneq", "⊋": r"\supsetneq",
    "⊈": r"\nsubseteq", "≮": r"\nless", "≯": r"\ngtr", "∡": r"\measuredangle", "★": r"\star",
    "⋆": r"\star", "∎": r"\blacksquare", "⊎": r"\uplus", "⊓": r"\sqcap", "⊔": r"\sqcup",
    "⟶": r"\longrightarrow", "⟹": r"\Longrightarrow", "↑": r"\uparrow", "↓": r"\downarrow",
    "\u2061": "", "\u2062": "", "\u2063": "", "\u200b": "", "\u00a0": "~",
}  # fmt: skip
# characters TeX reads as syntax, written as themselves
TEX_SPECIAL = {
    "{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "$": r"\$", "_": r"\_",
    "\\": r"\backslash", "^": r"\hat{}", "~": r"\sim",
}  # fmt: skip

NARY = {
    "∑": r"\sum", "∏": r"\prod", "∐": r"\coprod", "∫": r"\int", "∬": r"\iint",
    "∭": r"\iiint", "∮": r"\oint", "∯": r"\oiint", "⋃": r"\bigcup", "⋂": r"\bigcap",
    "⋁": r"\bigvee", "⋀": r"\bigwedge", "⨁": r"\bigoplus", "⨂": r"\bigotimes",
}  # fmt: skip
INTEGRALS = {"∫", "∬", "∭", "∮", "∯"}

ACCENTS = {
    "\u0302": r"\hat", "\u0303": r"\tilde", "\u0307": r"\dot", "\u0308": r"\ddot",
    "\u20d7": r"\vec", "\u0304": r"\bar", "\u0305": r"\bar", "\u0301": r"\acute",
    "\u0300": r"\grave", "\u0306": r"\breve", "\u030c": r"\check", "\u20db": r"\dddot",
    "\u20d6": r"\overleftarrow", "\u20e1": r"\overleftrightarrow", "\u0311": r"\breve",
    "\u20d1": r"\overrightharpoon", "\u20d0": r"\overleftharpoon", "\u030a": r"\mathring",
    "^": r"\hat", "~": r"\tilde", "¯": r"\bar", "→": r"\vec",
}  # fmt: skip

DELIMITERS = {
    "(": "(", ")": ")", "[": "[", "]": "]", "{": r"\{", "}": r"\}", "|": "|", "‖": r"\|",
    "⟨": r"\langle", "⟩": r"\rangle", "〈": r"\langle", "〉": r"\rangle", "⌊": r"\lfloor",
    "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "": ".", "/": "/", "\\": r"\backslash",
    "⟦": r"[\![", "⟧": r"]\!]", "│": "|", "∣": "|",
}  # fmt: skip

FUNCTIONS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "coth", "log", "ln", "lg", "exp", "max", "min", "sup", "inf", "lim", "liminf",
    "limsup", "det", "dim", "ker", "deg", "gcd", "arg", "Pr", "hom",
}  # fmt: skip

# `m:scr` on a run: the alphabet Word-style OMML asks for with ASCII letters
SCRIPTS = {
    "double-struck": r"\mathbb", "script": r"\mathcal", "fraktur": r"\mathfrak",
    "sans-serif": r"\mathsf", "monospace": r"\mathtt",
}  # fmt: skip

GROUP_CHARS = {"⏟": r"\underbrace", "⏞": r"\overbrace", "︸": r"\underbrace", "︷": r"\overbrace"}

STYLES = {
    "BOLD ITALIC": r"\boldsymbol", "BOLD SCRIPT": r"\mathcal", "BOLD FRAKTUR": r"\mathfrak",
    "BOLD": r"\mathbf", "ITALIC": "", "DOUBLE-STRUCK": r"\mathbb", "SCRIPT": r"\mathcal",
    "FRAKTUR": r"\mathfrak", "SANS-SERIF BOLD ITALIC": r"\boldsymbol",
    "SANS-SERIF BOLD": r"\mathsf", "SANS-SERIF ITALIC": r"\mathsf", "SANS-SERIF": r"\mathsf",
    "MONOSPACE": r"\mathtt",
}  # fmt: skip
LETTERLIKE = {
    "ℎ": "h", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}",
    "ℂ": r"\mathbb{C}", "ℙ": r"\mathbb{P}", "ℒ": r"\mathcal{L}", "ℋ": r"\mathcal{H}",
    "ℱ": r"\mathcal{F}", "ℰ": r"\mathcal{E}", "ℳ": r"\mathcal{M}", "ℬ": r"\mathcal{B}",
    "ℐ": r"\mathcal{I}", "ℛ": r"\mathcal{R}", "ℊ": r"\mathcal{g}", "ℯ": "e", "ℴ": "o",
    "ℭ": r"\mathfrak{C}", "ℌ": r"\mathfrak{H}", "ℨ": r"\mathfrak{Z}",
}  # fmt: skip


def _alphanumeric(char: str) -> str | None:
    """`𝑥` → `x`, `𝐯` → `\\mathbf{v}`, `𝛼` → `\\alpha`: a styled letter as TeX."""
    if char in LETTERLIKE:
        return LETTERLIKE[char]
    if not 0x1D400 <= ord(char) <= 0x1D7FF:
        return None
    name = unicodedata.name(char, "")
    if not name.startswith("MATHEMATICAL "):
        return None
    rest = name.removeprefix("MATHEMATICAL ")
    style = next((style for style in STYLES if rest.startswith(style + " ")), None)
    if style is None:
        return None
    command, base = STYLES[style], rest.removeprefix(style + " ")
    letter = _plain_letter(base)
    if letter is None:
        return None
    if command == r"\mathbf" and letter.startswith("\\"):
        command = r"\boldsymbol"  # \mathbf leaves Greek italic-less; bold Greek needs \boldsymbol
    return f"{command}{{{letter}}}" if command else letter


def _plain_letter(base: str) -> str | None:
    """`SMALL X` → `x`, `CAPITAL ALPHA` → `A`… from the character's Unicode name."""
    if base.startswith("DIGIT "):
        return str(
            ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"].index(base[6:])
        )
    case, _, letter = base.partition(" ")
    if case not in {"SMALL", "CAPITAL"}:
        if base in {"PARTIAL DIFFERENTIAL", "NABLA"}:
            return r"\partial" if base.startswith("PARTIAL") else r"\nabla"
        return None
    if len(letter) == 1:
        return letter.lower() if case == "SMALL" else letter
    greek_name = "GREEK " + base.replace("CAPITAL", "CAPITAL LETTER").replace("SMALL", "SMALL LETTER")
    try:
        greek = unicodedata.lookup(greek_name)
    except KeyError:
        if letter.endswith("SYMBOL"):  # EPSILON SYMBOL, THETA SYMBOL, PHI SYMBOL…
            return "\\var" + letter.split()[0].lower()
        return None
    return "\\" + GREEK[greek] if greek in GREEK else greek


def char_tex(char: str) -> str:
    """One character of a math run as TeX."""
    if char.isascii():
        return TEX_SPECIAL.get(char, char)
    if char in GREEK:
        return "\\" + GREEK[char] + " "
    if char in SYMBOLS:
        tex = SYMBOLS[char]
        return tex + " " if tex[-1:].isalpha() else tex
    styled = _alphanumeric(char)
    if styled is not None:
        return styled + " " if styled[-1:].isalpha() and styled.startswith("\\") else styled
    if unicodedata.combining(char) and char in ACCENTS:
        return ""  # a combining accent on its own has nothing to sit on
    return char


def text_tex(text: str) -> str:
    return "".join(char_tex(char) for char in text)


def _text_mode(text: str) -> str:
    """Text inside `\\text{}`: only TeX's own syntax is escaped."""
    escaped = "".join(TEX_SPECIAL.get(c, c) if c in "{}%#&$_\\" else c for c in text)
    return escaped.replace(r"\backslash", r"\textbackslash{}")


def _val(element: etree._Element | None, tag: str, default: str | None = None) -> str | None:
    """The `m:val` of the property child `tag` of `element` (e.g. `m:fPr/m:type`)."""
    if element is None:
        return default
    child = element.find(m(tag))
    if child is None:
        return default
    return child.get(m("val"), default if default is not None else "on")


def _on(element: etree._Element | None, tag: str) -> bool:
    """An OMML on/off property: present means on unless its value says otherwise."""
    value = _val(element, tag)
    return value is not None and value not in {"0", "off", "false"}


class Converter:
    """Walks one `m:oMath` tree; `convert()` gives its TeX."""

    def __init__(self) -> None:
        self.handlers: dict[str, Callable[[etree._Element], str]] = {
            m("r"): self.run, m("f"): self.fraction, m("sSup"): self.sup, m("sSub"): self.sub,
            m("sSubSup"): self.subsup, m("sPre"): self.presub, m("nary"): self.nary,
            m("rad"): self.radical, m("d"): self.delimiter, m("m"): self.matrix,
            m("acc"): self.accent, m("bar"): self.bar, m("func"): self.function,
            m("limLow"): self.lim_low, m("limUpp"): self.lim_upp, m("groupChr"): self.group_chr,
            m("eqArr"): self.eq_array, m("box"): self.children, m("borderBox"): self.border_box,
            m("phant"): self.phantom, m("oMath"): self.children, m("e"): self.children,
        }  # fmt: skip
        self.ignored = {m(t) for t in ("ctrlPr", "rPr", "argPr")} | {
            f"{{{A}}}rPr",
        }

    def convert(self, element: etree._Element) -> str:
        return _tidy(self.children(element))

    def node(self, element: etree._Element) -> str:
        tag = element.tag
        if not isinstance(tag, str) or tag in self.ignored or tag.endswith("Pr"):
            return ""
        handler = self.handlers.get(tag)
        if handler is None:
            raise UnsupportedMath(f"equation element <{etree.QName(tag).localname}> has no TeX form here")
        return handler(element)

    def children(self, element: etree._Element | None) -> str:
        if element is None:
            return ""
        return "".join(self.node(child) for child in element)

    def arg(self, element: etree._Element, tag: str) -> str:
        return self.children(element.find(m(tag)))

    def group(self, element: etree._Element, tag: str) -> str:
        return "{" + self.arg(element, tag).strip() + "}"

    # -- leaves
    def run(self, element: etree._Element) -> str:
        text = "".join(t.text or "" for t in element.iter(m("t")))
        props = element.find(m("rPr"))
        if _on(props, "nor") or (props is not None and _val(props, "lit") is not None and not text.strip()):
            return r"\text{" + _text_mode(text) + "}"
        style = _val(props, "sty")
        alphabet = SCRIPTS.get(_val(props, "scr") or "")
        if alphabet and text.isascii() and text.strip():
            return alphabet + "{" + text_tex(text.strip()) + "}"
        if style == "p" and " " in text and any(c.isalpha() for c in text):
            return r"\text{" + _text_mode(text) + "}"  # upright words keep their spaces
        tex = text_tex(text)
        if style in {"p", "b"} and any(c.isalpha() for c in text) and text.isascii():
            word = text.strip()
            if style == "p" and word in FUNCTIONS and word == text:
                return "\\" + word + " "
            command = r"\mathrm" if style == "p" else r"\mathbf"
            return command + "{" + tex + "}"
        if style == "bi" and text.isascii():
            return r"\boldsymbol{" + tex + "}"
        return tex

    # -- structures
    def fraction(self, element: etree._Element) -> str:
        kind = _val(element.find(m("fPr")), "type", "bar")
        num, den = self.group(element, "num"), self.group(element, "den")
        if kind == "lin":
            return f"{num}/{den}"
        if kind == "skw":
            return f"{{}}^{num}\\!/_{den}"
        if kind == "noBar":
            return rf"\genfrac{{}}{{}}{{0pt}}{{}}{num}{den}"
        return rf"\frac{num}{den}"

    def base(self, element: etree._Element) -> str:
        """A script's base, braced when it is more than one token."""
        return _atom(self.arg(element, "e").strip())

    def sup(self, element: etree._Element) -> str:
        script = self.arg(element, "sup").strip()
        if script and set(script) == {"'"}:  # f′ is a prime, not a superscript
            return self.base(element) + script
        return f"{self.base(element)}^{{{script}}}"

    def sub(self, element: etree._Element) -> str:
        return f"{self.base(element)}_{self.group(element, 'sub')}"

    def subsup(self, element: etree._Element) -> str:
        return f"{self.base(element)}_{self.group(element, 'sub')}^{self.group(element, 'sup')}"

    def presub(self, element: etree._Element) -> str:
        return f"{{}}_{self.group(element, 'sub')}^{self.group(element, 'sup')}{self.base(element)}"

    def nary(self, element: etree._Element) -> str:
        props = element.find(m("naryPr"))
        char = _val(props, "chr", "∫") or "∫"
        operator = NARY.get(char) or text_tex(char)
        location = _val(props, "limLoc", "undOvr" if char not in INTEGRALS else "subSup")
        if char in INTEGRALS and location == "undOvr":
            operator += r"\limits"
        elif char not in INTEGRALS and location == "subSup":
            operator += r"\nolimits"
        if not _on(props, "subHide") and element.find(m("sub")) is not None:
            operator += "_" + self.group(element, "sub")
        if not _on(props, "supHide") and element.find(m("sup")) is not None:
            operator += "^" + self.group(element, "sup")
        return operator + " " + self.arg(element, "e")

    def radical(self, element: etree._Element) -> str:
        degree = "" if _on(element.find(m("radPr")), "degHide") else self.arg(element, "deg").strip()
        body = self.group(element, "e")
        return rf"\sqrt[{degree}]{body}" if degree else rf"\sqrt{body}"

    def delimiter(self, element: etree._Element) -> str:
        props = element.find(m("dPr"))
        begin = _val(props, "begChr", "(")
        end = _val(props, "endChr", ")")
        separator = _val(props, "sepChr", "|") or ""
        parts = [self.children(e).strip() for e in element.findall(m("e"))]
        if separator in {"|", "│", "∣"}:
            joined = r" \middle| ".join(parts)
        else:
            joined = (text_tex(separator) + " ").join(parts)
        return rf"\left{_delimiter(begin)} {joined} \right{_delimiter(end)}"

    def matrix(self, element: etree._Element) -> str:
        rows = [
            " & ".join(self.children(cell).strip() for cell in row.findall(m("e")))
            for row in element.findall(m("mr"))
        ]
        return r"\begin{matrix} " + r" \\ ".join(rows) + r" \end{matrix}"

    def accent(self, element: etree._Element) -> str:
        char = _val(element.find(m("accPr")), "chr", "\u0302") or "\u0302"
        command = ACCENTS.get(char)
        if command is None:
            return rf"\overset{{{text_tex(char)}}}{self.group(element, 'e')}"
        body = self.group(element, "e")
        wide = {r"\hat": r"\widehat", r"\tilde": r"\widetilde", r"\bar": r"\overline"}
        if len(self.arg(element, "e").strip()) > 1 and not self.arg(element, "e").strip().startswith("\\"):
            command = wide.get(command, command)
        return command + body

    def bar(self, element: etree._Element) -> str:
        position = _val(element.find(m("barPr")), "pos", "bot")
        command = r"\overline" if position == "top" else r"\underline"
        return command + self.group(element, "e")

    def function(self, element: etree._Element) -> str:
        name_element = element.find(m("fName"))
        name = self.children(name_element).strip()
        plain = "".join(t.text or "" for t in name_element.iter(m("t"))) if name_element is not None else ""
        if name.startswith(r"\mathrm{") and plain in FUNCTIONS:
            name = "\\" + plain
        elif name.startswith(r"\mathrm{") and plain.isalpha():
            name = r"\operatorname{" + plain + "}"
        return name + " " + self.arg(element, "e").strip()

    def lim_low(self, element: etree._Element) -> str:
        base = self.arg(element, "e").strip()
        if base.startswith("\\") and base[1:] in FUNCTIONS:
            return base + r"\limits_" + self.group(element, "lim")
        return rf"\underset{self.group(element, 'lim')}{{{base}}}"

    def lim_upp(self, element: etree._Element) -> str:
        base = self.arg(element, "e").strip()
        return rf"\overset{self.group(element, 'lim')}{{{base}}}"

    def group_chr(self, element: etree._Element) -> str:
        props = element.find(m("groupChrPr"))
        char = _val(props, "chr", "⏟") or "⏟"
        command = GROUP_CHARS.get(char)
        body = self.group(element, "e")
        if command is not None:
            return command + body
        position = _val(props, "pos", "bot")
        return (r"\underset" if position == "bot" else r"\overset") + "{" + text_tex(char) + "}" + body

    def eq_array(self, element: etree._Element) -> str:
        # `&` in an equation array is PowerPoint's alignment mark, as in TeX
        rows = [self.children(row).strip().replace(r"\&", "&") for row in element.findall(m("e"))]
        return r"\begin{aligned} " + r" \\ ".join(rows) + r" \end{aligned}"

    def border_box(self, element: etree._Element) -> str:
        return r"\boxed" + self.group(element, "e")

    def phantom(self, element: etree._Element) -> str:
        props = element.find(m("phantPr"))
        body = self.group(element, "e")
        return body if _on(props, "show") else rf"\phantom{body}"


def _delimiter(char: str | None) -> str:
    if char is None:
        return "."
    return DELIMITERS.get(char, text_tex(char) or ".")


def _atom(tex: str) -> str:
    """`tex` as one TeX atom: a single character or command stays bare, else it is braced."""
    if len(tex) == 1 or re.fullmatch(r"\\[A-Za-z]+|\\.", tex):
        return tex
    if re.fullmatch(r"\\(mathbf|mathbb|mathcal|mathrm|boldsymbol|mathfrak|mathsf|mathtt)\{[^{}]*\}", tex):
        return tex
    return "{" + tex + "}"


def _tidy(tex: str) -> str:
    """Collapse the spaces left after command names."""
    return " ".join(tex.split())


def omath_tex(element: etree._Element) -> str:
    """TeX for one `m:oMath` (or `m:oMathPara`, its equations one per line)."""
    converter = Converter()
    if element.tag == m("oMathPara"):
        lines = [converter.convert(child) for child in element.findall(m("oMath"))]
        return (
            r" \\ ".join(lines)
            if len(lines) < 2
            else r"\begin{gathered} " + r" \\ ".join(lines) + r" \end{gathered}"
        )
    return converter.convert(element)
