"""Code and math as readers see them in Chromium: code colours meet WCAG AA in dark mode (and
light), display formulas are centred, and \\left[ … \\right] fences stretch (with the math font
the site ships)."""

import pytest

from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = '''```python
import math

@torch.no_grad()
class RMSNorm(nn.Module):
    """Root mean square layer norm."""

    def forward(self, x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
        # no mean-centring, no bias
        if x is None or len(x) == 0:
            raise ValueError(f"empty input: {x!r}")
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * self.weight
```'''
FENCES = "$$\\left[ \\frac{QK^{T}}{\\sqrt{d_k}} \\right] = \\left( \\sum_{i=1}^{n} x_i \\right)$$"

# Contrast ratio of every token (WCAG 2 relative luminance) against the first opaque
# background behind it.
CONTRASTS = """
() => {
  const rgb = (value) => value.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (element) => {
    for (let e = element; e; e = e.parentElement) {
      const value = rgb(getComputedStyle(e).backgroundColor);
      if (value.length < 4 || value[3] > 0) return value.slice(0, 3);
    }
    return [255, 255, 255];
  };
  return [...document.querySelectorAll('.prose .highlight pre span')]
    .filter((span) => span.textContent.trim() && !span.children.length)
    .map((span) => {
      const a = luminance(rgb(getComputedStyle(span).color));
      const b = luminance(background(span));
      return [span.className, span.textContent, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    });
}
"""


def _open(browser, live_server, *, dark):
    question = QuestionFactory(title="RMS Norm 的计算公式写一下？")
    AnswerFactory(question=question, body=f"实现：\n\n{CODE}\n\n公式：\n\n{FENCES}")
    context = browser.new_context(
        viewport={"width": 1280, "height": 900},
        color_scheme="dark" if dark else "light",
        locale="zh-CN",
    )
    page = context.new_page()
    page.goto(live_server.url + question.get_absolute_url())
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return context, page


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_every_code_token_meets_wcag_aa_contrast(browser, live_server, dark):
    context, page = _open(browser, live_server, dark=dark)
    try:
        tokens = page.evaluate(CONTRASTS)
    finally:
        context.close()

    assert len({cls for cls, _text, _ratio in tokens}) >= 10  # keywords, names, strings, …
    failing = [(cls, text, round(ratio, 2)) for cls, text, ratio in tokens if ratio < 4.5]
    assert failing == []


def test_display_math_is_centred_and_fences_stretch(browser, live_server):
    context, page = _open(browser, live_server, dark=False)
    try:
        geometry = page.evaluate(
            """() => {
              const box = (e) => e.getBoundingClientRect();
              const math = document.querySelector('.prose .math-display math');
              const formula = math.querySelector('semantics > mrow');
              const bracket = [...math.querySelectorAll('mo')].find((e) => e.textContent === '[');
              const fraction = math.querySelector('mfrac');
              return {
                container: [box(math).left, box(math).width],
                formula: [box(formula).left, box(formula).width],
                bracket: box(bracket).height,
                fraction: box(fraction).height,
                font: getComputedStyle(math).fontFamily,
              };
            }"""
        )
    finally:
        context.close()

    left, width = geometry["container"]
    formula_left, formula_width = geometry["formula"]
    assert formula_width < width / 2
    assert abs((formula_left + formula_width / 2) - (left + width / 2)) < 2  # centred
    # The brackets grow to the fraction's height (unstretched they are one line tall).
    assert geometry["bracket"] >= 0.9 * geometry["fraction"]
    assert "Latin Modern Math" in geometry["font"]
