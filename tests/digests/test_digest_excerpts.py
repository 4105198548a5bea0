"""Answer excerpts in digests come from the rendered text: no Markdown syntax, formulas whole as
their TeX (code style) or left out, cut at a word boundary, never mid-formula."""

import datetime as dt
import re

import pytest

from digests.services import digest_batch_send
from llmprep.markdown import excerpt, render_markdown
from tests.digests.factories import NOW, DigestPreferenceFactory
from tests.questions.factories import AnswerFactory

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)

# A real answer's shape: bold, a link, inline math, then a long display formula right where a
# 140-character cut would fall.
ANSWER = (
    "**RMSNorm** 去掉了 LayerNorm 的均值项，只保留缩放，参见 [论文](https://arxiv.org/abs/1910.07467)。"
    "它的计算是 $\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}$，再乘以可学习的增益 $g_i$；"
    "相比 LayerNorm 少了一次求均值，速度更快，效果相当。整体公式：\n\n"
    "$$\\bar{a}_i = \\frac{a_i}{\\mathrm{RMS}(a)} g_i,\\quad "
    "\\mathrm{RMS}(a) = \\sqrt{\\frac{1}{n}\\sum_{i=1}^{n} a_i^2 + \\epsilon}$$\n\n"
    "所以 LLaMA、T5 等模型都用它。"
)


def _digest_with(body, mailoutbox):
    AnswerFactory(body=body, published_at=NOW - DAY, score=3)
    preference = DigestPreferenceFactory()
    digest_batch_send(frequency="weekly", user_ids=[preference.user_id], now=NOW)
    (mail,) = mailoutbox
    return mail.body, mail.alternatives[0][0]


def _excerpt_line(text_body):
    # The line after the answer's title line in the text part.
    lines = text_body.splitlines()
    index = next(i for i, line in enumerate(lines) if "得分 3" in line)
    return lines[index + 1].strip()


def test_the_excerpt_has_no_markdown_syntax_and_formulas_as_tex_in_code(mailoutbox):
    text, html = _digest_with(ANSWER, mailoutbox)

    line = _excerpt_line(text)
    assert line.startswith("RMSNorm 去掉了 LayerNorm 的均值项，只保留缩放，参见 论文。")
    assert "**" not in line and "](" not in line and "$" not in line
    assert "`\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}`" in line
    # Cut at the end of a sentence near the limit, not inside a word (整体公|式).
    assert line.endswith("效果相当。…")
    assert '<code style="' in html
    assert ">\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}</code>" in html
    assert "**RMSNorm**" not in html


def test_a_formula_that_does_not_fit_is_left_out_whole(mailoutbox):
    text, html = _digest_with(ANSWER, mailoutbox)

    line = _excerpt_line(text)
    # Every formula shown is complete: balanced braces inside each `…`.
    for formula in re.findall(r"`([^`]*)`", line):
        assert formula.count("{") == formula.count("}")
    assert "\\bar{a}_i" not in line  # the display formula did not fit: omitted, not cut
    assert "\\bar{a}" not in html


def test_an_english_excerpt_is_cut_between_words():
    html = render_markdown(
        "LoRA freezes the pretrained weights and trains two low-rank matrices whose product "
        "is added to the frozen weight, which saves memory and storage."
    )

    cut = excerpt(html, limit=60)

    assert cut.truncated
    assert cut.text == "LoRA freezes the pretrained weights and trains two low-rank"
    assert len(cut.text) <= 60


def test_a_short_answer_is_whole_and_not_marked_truncated():
    cut = excerpt(render_markdown("用 $O(n)$ 显存。"), limit=140)

    assert not cut.truncated
    assert cut.text == "用 `O(n)` 显存。"
    assert [part.is_math for part in cut.parts] == [False, True, False]


def test_code_blocks_and_tables_become_plain_text():
    html = render_markdown(
        "步骤：\n\n```python\nx = rope(x)\n```\n\n| 方法 | 显存 |\n|---|---|\n| LoRA | 低 |"
    )

    cut = excerpt(html, limit=140)

    assert cut.text == "步骤： x = rope(x) 方法 显存 LoRA 低"
    assert "<" not in cut.text


def test_latex_that_did_not_render_is_still_shown_whole_as_code():
    cut = excerpt(render_markdown("错误公式 $\\frac{a$ 之后的文字"), limit=140)

    assert [part.text for part in cut.parts if part.is_math] == ["\\frac{a"]
