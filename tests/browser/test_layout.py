"""Layout in a real browser: long content scrolls inside its card instead of widening the page,
on a desktop window and on a phone-sized one."""

import pytest

from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}

LONG_CODE_LINE = (
    "```python\n"
    "scores = torch.softmax(query @ key.transpose(-2, -1) / math.sqrt(head_dim) + "
    "alibi_bias + causal_mask + padding_mask + relative_position_bias + "
    "rotary_cache_correction_term_for_the_longest_sequence_we_ever_saw, dim=-1)\n"
    "```"
)
LONG_FORMULA = (
    "$$\\mathrm{Attention}(Q,K,V)=\\mathrm{softmax}\\left(\\frac{QK^{T}}{\\sqrt{d_k}}\\right)V"
    + "".join(f"+\\alpha_{{{i}}}\\beta_{{{i}}}\\gamma_{{{i}}}" for i in range(40))
    + "$$"
)
LONG_URL = (
    "论文见 https://arxiv.org/abs/2104.09864/RoFormer-Enhanced-Transformer-with-Rotary-"
    "Position-Embedding-and-a-very-long-tail-that-never-breaks-anywhere-at-all"
)
LONG_TITLE = (
    "旋转位置编码（RoPE）为什么能够外推到比训练时更长的上下文？请结合 NTK-aware 插值、"
    "YaRN、动态缩放以及 ALiBi 的线性偏置，比较它们在长度外推问题上的优缺点和适用场景"
    "（Rotary-Position-Embedding-extrapolation-without-any-spaces-at-all）"
)


def _question_with_long_content():
    question = QuestionFactory(title=LONG_TITLE)
    AnswerFactory(question=question, body=f"{LONG_CODE_LINE}\n\n{LONG_FORMULA}\n\n{LONG_URL}")
    # An ordinary answer: a sentence, inline math and a short code block.
    AnswerFactory(
        question=question,
        body=(
            "RoPE 把位置信息写进旋转角：$\\theta_i = 10000^{-2i/d}$。\n\n"
            "```python\nx = rope(x)\n```"
        ),
    )
    return question


def _open(browser, url, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def _page_and_window_width(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "375px"])
def test_long_code_formulas_urls_and_titles_do_not_widen_the_page(browser, live_server, viewport):
    question = _question_with_long_content()
    context, page = _open(browser, live_server.url + question.get_absolute_url(), viewport)
    try:
        scroll_width, inner_width = _page_and_window_width(page)
        code = page.locator(".prose .highlight pre").first.evaluate(
            "e => [e.scrollWidth, e.clientWidth]"
        )
        formula = page.locator(".prose .math-display math").first.evaluate(
            "e => [e.scrollWidth, e.clientWidth]"
        )
    finally:
        context.close()

    assert scroll_width <= inner_width
    # The code line and the formula stay whole: they scroll inside the card.
    assert code[0] > code[1]
    assert formula[0] > formula[1]


def test_an_ordinary_answer_fits_a_phone_screen(browser, live_server):
    answer = AnswerFactory(
        question=QuestionFactory(title="LoRA 微调时怎么加载基座模型？"),
        body=(
            "先加载基座模型，再挂上 LoRA 适配器，秩 $r$ 一般取 8 或 16：\n\n"
            "```python\n"
            'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-7b-hf")\n'
            "model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16))\n"
            "```"
        ),
    )
    context, page = _open(browser, live_server.url + answer.question.get_absolute_url(), PHONE)
    try:
        scroll_width, inner_width = _page_and_window_width(page)
    finally:
        context.close()

    assert scroll_width <= inner_width
