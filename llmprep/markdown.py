"""The project's one renderer for user-written Markdown.

``render_markdown(text)`` turns Markdown source into HTML that is safe to store in ``*_html``
fields and to mark safe in templates. The pipeline is:

1. markdown-it-py in CommonMark mode with ``html=False`` (raw HTML in the source is shown as
   text), plus GFM tables and strikethrough.
2. ``$…$`` / ``$$…$$`` math (mdit-py-plugins ``dollarmath``) rendered on the server to MathML
   with latex2mathml. LaTeX that latex2mathml rejects (or that has unbalanced braces, or is
   too long or too deeply nested) is shown as its escaped source in ``<code class="math-error">``.
3. Fenced code highlighted with Pygments using CSS classes (``pygments_css()`` gives the
   stylesheet), never inline styles.
4. Everything is passed through ``nh3.clean`` with the explicit allowlists below, which is the
   security boundary: even if a step above misbehaves, no script, inline style, event handler,
   ``id`` or dangerous URL scheme can come out.

This module is plain library code: it must not import Django.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, SubElement, tostring

import nh3
from latex2mathml.converter import convert_to_element
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_CLASSES",
    "ALLOWED_TAGS",
    "ALLOWED_URL_SCHEMES",
    "HIGHLIGHT_CSS_CLASS",
    "LINK_REL",
    "MATHML_TAGS",
    "Excerpt",
    "excerpt",
    "pygments_css",
    "pygments_stylesheet",
    "render_markdown",
]

# --------------------------------------------------------------------------------------------
# Sanitizer allowlists
# --------------------------------------------------------------------------------------------

HIGHLIGHT_CSS_CLASS = "highlight"
LINK_REL = "nofollow ugc noopener"
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_URL_SCHEMES = frozenset({"http", "https"})

HTML_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "em",
        "strong",
        "del",
        "s",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "div",
    }
)

# Presentation MathML that latex2mathml emits, plus <semantics>/<annotation>, which this module
# adds to carry the TeX source. Deliberately absent: <annotation-xml> (an HTML integration
# point, a classic mXSS vector) and <maction>.
MATHML_TAGS = frozenset(
    {
        "math",
        "semantics",
        "annotation",
        "mrow",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "mspace",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "menclose",
        "mpadded",
        "mphantom",
    }
)

ALLOWED_TAGS = HTML_TAGS | MATHML_TAGS

# Elements that are removed together with their content (not just unwrapped).
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "svg", "iframe", "object", "embed", "template", "noscript", "textarea"}
)

# --- MathML attribute values -----------------------------------------------------------------

_MATHML_NAMESPACE = "http://www.w3.org/1998/Math/MathML"
_TEX_ENCODING = "application/x-tex"

# Lengths are bounded so that formulas cannot blow up the page layout or pull themselves far
# over the surrounding text (e.g. \hspace{-500em}, \rule{9999em}{1em}).
_MAX_LENGTH_EM = 30.0
_MIN_LENGTH_EM = -3.0
_EM_PER_UNIT = {"": 1.0, "em": 1.0, "ex": 0.5, "px": 1 / 16, "pt": 1 / 10, "mu": 1 / 18}
_LENGTH_RE = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))(em|ex|px|pt|mu|%)?")
_NAMED_LENGTHS = frozenset(
    {"thin", "medium", "thick", "infinity"}
    | {
        f"{sign}{size}mathspace"
        for sign in ("", "negative")
        for size in (
            "veryverythin",
            "verythin",
            "thin",
            "medium",
            "thick",
            "verythick",
            "veryverythick",
        )
    }
)
_COLOR_RE = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,20}")
_SCRIPTLEVEL_RE = re.compile(r"[+-]?[0-7]")
_MATHVARIANTS = frozenset(
    {
        "normal",
        "bold",
        "italic",
        "bold-italic",
        "double-struck",
        "bold-fraktur",
        "script",
        "bold-script",
        "fraktur",
        "sans-serif",
        "bold-sans-serif",
        "sans-serif-italic",
        "sans-serif-bold-italic",
        "monospace",
        "initial",
        "tailed",
        "looped",
        "stretched",
    }
)
_NOTATIONS = frozenset(
    {
        "box",
        "roundedbox",
        "circle",
        "left",
        "right",
        "top",
        "bottom",
        "updiagonalstrike",
        "downdiagonalstrike",
        "verticalstrike",
        "horizontalstrike",
        "updiagonalarrow",
        "madruwb",
        "actuarial",
        "longdiv",
        "radical",
        "phasorangle",
    }
)


def _is_length(value: str) -> bool:
    value = value.strip()
    if value in _NAMED_LENGTHS:
        return True
    match = _LENGTH_RE.fullmatch(value)
    if match is None:
        return False
    number, unit = float(match.group(1)), match.group(2) or ""
    em = number / 100 if unit == "%" else number * _EM_PER_UNIT[unit]
    return _MIN_LENGTH_EM <= em <= _MAX_LENGTH_EM


def _one_of(allowed: frozenset[str]) -> Callable[[str], bool]:
    return lambda value: value in allowed


def _matches(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda value: pattern.fullmatch(value) is not None


def _tokens_of(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """A space-separated list whose every item passes ``check`` (e.g. columnalign)."""
    return lambda value: bool(value.split()) and all(map(check, value.split()))


_BOOLEAN = _one_of(frozenset({"true", "false"}))

# Attribute -> value check. This is also the list of attributes allowed on MathML elements: an
# attribute not listed here is dropped, and one whose value fails its check is dropped.
# Not allowed on purpose: href (\href), style (\style), class (\class), id, mathsize (nested
# \Huge compounds), border-color (not MathML).
MATHML_ATTRIBUTE_CHECKS: dict[str, Callable[[str], bool]] = {
    "xmlns": _one_of(frozenset({_MATHML_NAMESPACE})),
    "display": _one_of(frozenset({"block", "inline"})),
    "encoding": _one_of(frozenset({_TEX_ENCODING})),
    "mathvariant": _one_of(_MATHVARIANTS),
    "mathcolor": _matches(_COLOR_RE),
    "mathbackground": _matches(_COLOR_RE),
    "displaystyle": _BOOLEAN,
    "scriptlevel": _matches(_SCRIPTLEVEL_RE),
    "stretchy": _BOOLEAN,
    "fence": _BOOLEAN,
    "separator": _BOOLEAN,
    "symmetric": _BOOLEAN,
    "largeop": _BOOLEAN,
    "movablelimits": _BOOLEAN,
    "accent": _BOOLEAN,
    "accentunder": _BOOLEAN,
    "form": _one_of(frozenset({"prefix", "infix", "postfix"})),
    "lspace": _is_length,
    "rspace": _is_length,
    "minsize": _is_length,
    "maxsize": _is_length,
    "width": _is_length,
    "height": _is_length,
    "depth": _is_length,
    "voffset": _is_length,
    "linethickness": _is_length,
    "rowspacing": _tokens_of(_is_length),
    "columnspacing": _tokens_of(_is_length),
    "columnalign": _tokens_of(_one_of(frozenset({"left", "center", "right"}))),
    "columnlines": _tokens_of(_one_of(frozenset({"none", "solid", "dashed"}))),
    "rowlines": _tokens_of(_one_of(frozenset({"none", "solid", "dashed"}))),
    "linebreak": _one_of(
        frozenset({"auto", "newline", "nobreak", "goodbreak", "badbreak", "indentingnewline"})
    ),
    "notation": _tokens_of(_one_of(_NOTATIONS)),
}

_HTML_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
}
# ``class`` is not in here: it is governed per tag by ALLOWED_CLASSES (nh3 rejects a tag that
# has ``class`` in both). ``rel`` on <a> is set by nh3 (LINK_REL), ``loading``/``referrerpolicy``
# on <img> by IMG_FORCED_ATTRIBUTES.
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    **_HTML_ATTRIBUTES,
    **{tag: frozenset(MATHML_ATTRIBUTE_CHECKS) for tag in MATHML_TAGS},
}

# Pygments' short token classes ("k", "nf", "s2", ...), as emitted by HtmlFormatter.
PYGMENTS_CLASSES = frozenset(cls for cls in STANDARD_TYPES.values() if cls)
TABLE_ALIGN_CLASSES = frozenset({"align-left", "align-center", "align-right"})
MATH_DISPLAY_CLASS = "math-display"
MATH_ERROR_CLASS = "math-error"

ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "span": PYGMENTS_CLASSES,
    "div": frozenset({HIGHLIGHT_CSS_CLASS, MATH_DISPLAY_CLASS}),
    "code": frozenset({MATH_ERROR_CLASS}),
    "th": TABLE_ALIGN_CLASSES,
    "td": TABLE_ALIGN_CLASSES,
}

IMG_FORCED_ATTRIBUTES = {"loading": "lazy", "referrerpolicy": "no-referrer"}


def _is_image_url(url: str) -> bool:
    """Absolute http(s) URLs only: no data:, no relative (same-origin GET) image URLs."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in IMAGE_URL_SCHEMES and bool(parts.netloc)


def _filter_attribute(tag: str, attr: str, value: str) -> str | None:
    """nh3 ``attribute_filter``: runs on attributes that survived the tag/attribute allowlists
    (and, for URLs, the scheme check). Returning None drops the attribute."""
    if tag in MATHML_TAGS:
        check = MATHML_ATTRIBUTE_CHECKS.get(attr)
        return value if check is not None and check(value) else None
    if tag == "img" and attr == "src":
        return value if _is_image_url(value) else None
    if tag == "ol" and attr == "start":
        return value if value.isdigit() and len(value) <= 9 else None
    return value


def _sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(ALLOWED_URL_SCHEMES),
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
        set_tag_attribute_values={"img": dict(IMG_FORCED_ATTRIBUTES)},
    )


# --------------------------------------------------------------------------------------------
# Math
# --------------------------------------------------------------------------------------------

# Longer formulas are shown as source: latex2mathml is recursive and not built for huge input.
MAX_MATH_CHARS = 5000
MAX_MATH_BRACE_DEPTH = 60
MAX_MATH_TREE_DEPTH = 100
_CHAR_REF_RE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,8})|([0-9]{1,8}));")


def _decode_char_ref(match: re.Match[str]) -> str:
    hex_digits, dec_digits = match.groups()
    code_point = int(hex_digits, 16) if hex_digits else int(dec_digits)
    if code_point > 0x10FFFF or 0xD800 <= code_point <= 0xDFFF or code_point == 0:
        return "\ufffd"
    return chr(code_point)


def _decode_text(value: str | None) -> str | None:
    return _CHAR_REF_RE.sub(_decode_char_ref, value) if value else value


def _braces_ok(latex: str) -> bool:
    """latex2mathml silently accepts unbalanced groups (``\\frac{a`` gives a one-child
    <mfrac>), so check balance here, and cap the depth before recursing into it.
    ``\\{`` and ``\\}`` are literal braces."""
    depth = 0
    chars = iter(latex)
    for char in chars:
        if char == "\\":
            next(chars, None)
        elif char == "{":
            depth += 1
            if depth > MAX_MATH_BRACE_DEPTH:
                return False
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _tree_depth(root: Element) -> int:
    deepest = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _latex_to_mathml(latex: str, *, display: bool) -> str:
    """Convert to a ``<math>`` string, or raise if the LaTeX is not usable."""
    if len(latex) > MAX_MATH_CHARS:
        raise ValueError("formula too long")
    if not _braces_ok(latex):
        raise ValueError("unbalanced or too deeply nested braces")
    math = convert_to_element(latex, display="block" if display else "inline")
    if _tree_depth(math) > MAX_MATH_TREE_DEPTH:
        # Refuse deep trees outright, so that whether a formula renders never depends on how
        # much Python stack the caller happened to use (latex2mathml is recursive).
        raise ValueError("formula nested too deeply")
    # latex2mathml puts pre-escaped character references ("&#x003B8;") into element text and
    # unescapes its own serialisation, so user text such as \text{<b>} would come out as raw
    # markup. Decode the references into characters and serialise properly instead: then
    # every "<" or "&" the user typed is escaped.
    for element in math.iter():
        element.text = _decode_text(element.text)
        element.tail = _decode_text(element.tail)
        for name, value in list(element.attrib.items()):
            element.set(name, _decode_text(value) or "")
    # <math><semantics><mrow>…</mrow><annotation encoding="application/x-tex">src</annotation>
    children = list(math)
    for child in children:
        math.remove(child)
    semantics = SubElement(math, "semantics")
    if len(children) == 1:
        semantics.append(children[0])
    else:
        SubElement(semantics, "mrow").extend(children)
    annotation = SubElement(semantics, "annotation", {"encoding": _TEX_ENCODING})
    annotation.text = latex
    return tostring(math, encoding="unicode", short_empty_elements=False)


def _math_or_none(latex: str, *, display: bool) -> str | None:
    try:
        return _latex_to_mathml(latex.strip(), display=display)
    except Exception:  # latex2mathml raises many exception types, incl. RecursionError
        return None


def _math_error(source: str) -> str:
    return f'<code class="{MATH_ERROR_CLASS}">{escapeHtml(source)}</code>'


def _render_math_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    latex = tokens[idx].content.strip()
    return _math_or_none(latex, display=False) or _math_error(f"${latex}$")


def _render_math_inline_double(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    # $$…$$ inside a paragraph: display-style <math>, which is phrasing content, so the
    # surrounding <p> stays valid (and so does the inline <code> used for errors).
    latex = tokens[idx].content.strip()
    return _math_or_none(latex, display=True) or _math_error(f"$${latex}$$")


def _render_math_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    latex = tokens[idx].content.strip()
    body = _math_or_none(latex, display=True) or f"<pre>{_math_error(f'$${latex}$$')}</pre>"
    return f'<div class="{MATH_DISPLAY_CLASS}">{body}</div>\n'


# --------------------------------------------------------------------------------------------
# Code
# --------------------------------------------------------------------------------------------

# Beyond this size code is shown unhighlighted (some lexers' regexes get slow on odd input).
MAX_HIGHLIGHT_CHARS = 50_000
_FORMATTER = HtmlFormatter(cssclass=HIGHLIGHT_CSS_CLASS, nowrap=True)


@lru_cache(maxsize=128)
def _lexer_for(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        lexer = get_lexer_by_name(language)
    except ClassNotFound:
        return None
    return None if isinstance(lexer, TextLexer) else lexer


def _render_fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info = unescapeAll(token.info).strip()
    language = info.split(maxsplit=1)[0].lower() if info else ""
    lexer = _lexer_for(language)
    if lexer is None or len(token.content) > MAX_HIGHLIGHT_CHARS:
        return f"<pre><code>{escapeHtml(token.content)}</code></pre>\n"
    body = highlight(token.content, lexer, _FORMATTER)
    return f'<div class="{HIGHLIGHT_CSS_CLASS}"><pre><code>{body}</code></pre></div>\n'


# Code colours: Pygments' default on light backgrounds; GitHub's dark theme under
# `prefers-color-scheme: dark`, every visible token at least WCAG AA (4.5:1) on the dark code
# background (tests/browser/test_code_and_math.py measures it in Chromium).
LIGHT_CODE_STYLE = "default"
DARK_CODE_STYLE = "github-dark"
PYGMENTS_CSS_HEADER = "/* Generated by llmprep.markdown.pygments_stylesheet(); do not edit. */\n"


def pygments_css(style: str = LIGHT_CODE_STYLE, *, dark_style: str | None = None) -> str:
    """The Pygments stylesheet for the token classes used in rendered code blocks, scoped to
    ``.highlight``; with `dark_style`, that style's rules follow inside
    ``@media (prefers-color-scheme: dark)``."""
    scope = f".{HIGHLIGHT_CSS_CLASS}"
    css = HtmlFormatter(style=style, cssclass=HIGHLIGHT_CSS_CLASS).get_style_defs(scope)
    if dark_style:
        dark = HtmlFormatter(style=dark_style, cssclass=HIGHLIGHT_CSS_CLASS).get_style_defs(scope)
        indented = "\n".join(f"  {line}" if line else line for line in dark.splitlines())
        css = f"{css}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}"
    return css


def pygments_stylesheet() -> str:
    """The content of static/css/pygments.css (a test checks that the file is up to date)."""
    return PYGMENTS_CSS_HEADER + pygments_css(dark_style=DARK_CODE_STYLE) + "\n"


# --------------------------------------------------------------------------------------------
# Images and tables
# --------------------------------------------------------------------------------------------


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    if not _is_image_url(str(token.attrGet("src") or "")):
        # Not an absolute http(s) image: show its alt text instead of a broken <img>.
        return escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    return self.image(tokens, idx, options, env)


_TEXT_ALIGN_RE = re.compile(r"text-align:\s*(left|center|right)")


def _table_align_to_class(state: StateCore) -> None:
    """markdown-it writes ``style="text-align:…"`` on aligned cells; the site's CSP forbids
    inline styles, so turn it into an ``align-…`` class."""
    for token in state.tokens:
        if token.type not in ("th_open", "td_open"):
            continue
        style = token.attrs.pop("style", None)
        match = _TEXT_ALIGN_RE.search(str(style or ""))
        if match:
            token.attrSet("class", f"align-{match.group(1)}")


# --------------------------------------------------------------------------------------------
# Parser
# --------------------------------------------------------------------------------------------


def _build_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    # Pandoc-style dollars: no space just inside the delimiters and no digit right after the
    # closing one (or before the opening one), so "价格 $5 和 $10" and "从$5到$10" stay text.
    dollarmath_plugin(
        md,
        allow_labels=False,  # labels render as id="…" anchors, which we do not allow
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.add_render_rule("math_inline", _render_math_inline)
    md.add_render_rule("math_inline_double", _render_math_inline_double)
    md.add_render_rule("math_block", _render_math_block)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("image", _render_image)
    md.core.ruler.push("table_align_to_class", _table_align_to_class)
    return md


_PARSER = _build_parser()


def render_markdown(text: str) -> str:
    """Markdown source -> sanitized HTML safe to store in *_html fields and mark safe."""
    if not text or not text.strip():
        return ""
    return _sanitize(_PARSER.render(text))


# --------------------------------------------------------------------------------------------
# Excerpts
# --------------------------------------------------------------------------------------------

# Elements whose boundaries separate words in the rendered text.
_BLOCK_TAGS = frozenset(
    {"p", "br", "hr", "li", "ul", "ol", "pre", "blockquote", "div", "table", "tr", "td", "th"}
    | {f"h{level}" for level in range(1, 7)}
)
# Latin letters, digits and the like: a cut between two of them would split a word. A cut next
# to a CJK character or punctuation is at a word boundary.
_WORD_CHAR_RE = re.compile(r"[0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF_'’-]")


class ExcerptPart(NamedTuple):
    text: str
    is_math: bool = False


class Excerpt:
    """The start of a rendered text: prose, and formulas as their TeX source (to be shown as
    code), never cut inside a word or a formula. `truncated` when something was left out."""

    def __init__(self) -> None:
        self.parts: list[ExcerptPart] = []
        self.truncated = False

    def __repr__(self) -> str:
        return f"Excerpt({self.parts!r}, truncated={self.truncated})"

    @property
    def text(self) -> str:
        """Plain text, formulas as `TeX`: for text mail."""
        return "".join(f"`{p.text}`" if p.is_math else p.text for p in self.parts)


class _RenderedText(HTMLParser):
    """Rendered HTML (render_markdown's output) as a sequence of ("text" | "math", str)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._math_depth = 0
        self._tex: list[str] | None = None
        self._in_annotation = False
        self._math_text: list[str] = []
        self._math_error: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "math":
            self._math_depth += 1
            if self._math_depth == 1:
                self._tex, self._math_text = None, []
        elif self._math_depth and tag == "annotation":
            self._in_annotation = (dict(attrs).get("encoding") or "") == _TEX_ENCODING
            if self._in_annotation:
                self._tex = []
        elif tag == "code" and MATH_ERROR_CLASS in (dict(attrs).get("class") or "").split():
            self._math_error = []
        elif tag in _BLOCK_TAGS:
            self.items.append(("text", " "))

    def handle_endtag(self, tag: str) -> None:
        if tag == "math" and self._math_depth:
            self._math_depth -= 1
            if not self._math_depth:
                source = "".join(self._tex) if self._tex is not None else "".join(self._math_text)
                self.items.append(("math", source))
        elif tag == "annotation":
            self._in_annotation = False
        elif tag == "code" and self._math_error is not None:
            # LaTeX that did not render, shown as its source: a formula all the same.
            self.items.append(("math", "".join(self._math_error).strip().strip("$")))
            self._math_error = None
        elif tag in _BLOCK_TAGS:
            self.items.append(("text", " "))

    def handle_data(self, data: str) -> None:
        if self._math_depth:
            into = self._tex if self._in_annotation and self._tex is not None else self._math_text
            into.append(data)
        elif self._math_error is not None:
            self._math_error.append(data)
        else:
            self.items.append(("text", data))


# Chinese has no spaces: near the limit, prefer ending after a clause or sentence.
_BREAK_AFTER = frozenset("。，；：！？、,.;:!? ")
_BREAK_LOOKBACK = 20


def _inside_word(text: str, cut: int) -> bool:
    return bool(_WORD_CHAR_RE.match(text[cut - 1]) and _WORD_CHAR_RE.match(text[cut]))


def _word_boundary_cut(text: str, limit: int) -> int:
    """The longest prefix length <= limit that does not end inside a word, preferring the end
    of a clause within the last few characters (0 if there is no boundary at all)."""
    cut = limit
    while 0 < cut < len(text) and _inside_word(text, cut):
        cut -= 1
    for position in range(cut, max(cut - _BREAK_LOOKBACK, 0), -1):
        if text[position - 1] in _BREAK_AFTER:
            return position
    return cut


def excerpt(html: str, *, limit: int) -> Excerpt:
    """The first `limit` characters of rendered HTML as readable text: whitespace collapsed,
    formulas kept whole as their TeX source (or left out, with everything after them, when they
    do not fit), cut at a word boundary."""
    parser = _RenderedText()
    parser.feed(html or "")
    parser.close()
    # Merge and normalise the text runs, keeping formulas as separate items.
    items: list[tuple[str, str]] = []
    for kind, value in parser.items:
        value = " ".join(value.split()) if kind == "math" else re.sub(r"\s+", " ", value)
        if kind == "text" and items and items[-1][0] == "text":
            items[-1] = ("text", re.sub(r"\s+", " ", items[-1][1] + value))
        elif value:
            items.append((kind, value))
    result = Excerpt()
    remaining = limit
    for index, (kind, value) in enumerate(items):
        if index == 0 and kind == "text":
            value = value.lstrip()
        if index == len(items) - 1 and kind == "text":
            value = value.rstrip()
        if len(value) <= remaining:
            if value:
                result.parts.append(ExcerptPart(value, is_math=kind == "math"))
            remaining -= len(value)
            continue
        result.truncated = True
        if kind == "text":
            cut = _word_boundary_cut(value, remaining)
            if cut == 0 and not result.parts:
                cut = remaining  # one overlong word (a URL, say): cut it rather than show nothing
            head = value[:cut].rstrip()
            if head:
                result.parts.append(ExcerptPart(head))
        break
    if result.parts and not result.parts[-1].is_math:
        last = result.parts[-1].text.rstrip()
        if result.truncated:
            last = last.rstrip("，、；：,;:")  # "…" follows
        result.parts[-1] = ExcerptPart(last)
    return result
