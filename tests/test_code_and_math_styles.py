"""The code colours and the MathML the pages rely on: the shipped Pygments stylesheet is the
generated one (light and dark), and the sanitizer keeps the attributes that make fences stretch
and display math display."""

from pathlib import Path

from llmprep.markdown import DARK_CODE_STYLE, pygments_stylesheet, render_markdown

STATIC = Path(__file__).resolve().parent.parent / "static"


def test_the_shipped_pygments_stylesheet_is_up_to_date():
    shipped = (STATIC / "css" / "pygments.css").read_text(encoding="utf-8")

    assert shipped == pygments_stylesheet()
    assert DARK_CODE_STYLE == "github-dark"
    dark = shipped.split("@media (prefers-color-scheme: dark) {", 1)[1]
    assert ".highlight .k { color: #FF7B72 }" in dark


def test_fences_keep_their_stretchy_and_fence_attributes_through_the_sanitizer():
    html = render_markdown("$$\\left[ \\frac{a}{b} \\right]$$")

    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in html
    assert '<mo stretchy="true" fence="true" form="prefix">[</mo>' in html
    assert '<mo stretchy="true" fence="true" form="postfix">]</mo>' in html


def test_the_math_font_is_shipped_with_its_licence():
    font = STATIC / "fonts" / "latinmodern-math.woff2"

    assert font.read_bytes()[:4] == b"wOF2"
    assert (STATIC / "fonts" / "latinmodern-math-LICENSE.txt").exists()
    css = (STATIC / "css" / "math.css").read_text(encoding="utf-8")
    assert 'url("../fonts/latinmodern-math.woff2")' in css
    assert 'math { font-family: "Latin Modern Math", math; }' in css
