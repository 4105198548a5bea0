"""Tests for llmprep.markdown, the one renderer for user Markdown.

The module is pure library code, so these tests need no Django. tests/conftest.py does, so
without the Django plugin skip it:
    .venv/bin/python -m pytest -p no:django -o addopts="" --noconftest -q tests/test_markdown.py
(With the Django plugin, a plain ``pytest tests/test_markdown.py`` works too.)
"""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from llmprep.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    pygments_css,
    render_markdown,
)

MODULE_PATH = Path(__file__).resolve().parent.parent / "llmprep" / "markdown.py"

RMSNORM_TORCH = '''\
```python
import torch
from torch import nn


class RMSNorm(nn.Module):
    """均方根归一化 (no mean-centering, no bias)."""

    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rms = torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return x * rms * self.weight
```
'''

RMSNORM_FORMULA = (
    r"$$\bar{a}_i = \frac{a_i}{\mathrm{RMS}(a)} g_i,\quad "
    r"\mathrm{RMS}(a)=\sqrt{\frac{1}{n}\sum_{i=1}^n a_i^2}$$"
)

ROPE_FORMULA = r"""$$
\begin{pmatrix} q_0 \\ q_1 \end{pmatrix}
\begin{pmatrix} \cos m\theta & -\sin m\theta \\ \sin m\theta & \cos m\theta \end{pmatrix}
$$"""

FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "form", "input", "svg", "style")


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def start_tags(rendered: str) -> list[tuple[str, dict[str, str]]]:
    """The real start tags in ``rendered`` (not tag-like text), attribute values decoded."""
    collector = _TagCollector()
    collector.feed(rendered)
    collector.close()
    return collector.tags


def attribute_values(rendered: str, name: str) -> list[str]:
    """Every value of attribute ``name`` on a real element of ``rendered``."""
    return [attrs[name] for _, attrs in start_tags(rendered) if name in attrs]


def assert_no_dangerous_markup(rendered: str) -> None:
    for tag, attrs in start_tags(rendered):
        assert tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("style", "id", "name"), (tag, name)
            squashed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not squashed.startswith(("javascript:", "data:", "vbscript:")), (tag, name)


# --- Basics -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\n  \r\n"])
def test_empty_or_whitespace_only_input_renders_as_empty_string(text):
    assert render_markdown(text) == ""


def test_chinese_question_passes_through_unchanged():
    question = "为什么SFT之后感觉LLM傻了?"
    assert render_markdown(question) == f"<p>{question}</p>\n"


def test_chinese_paragraphs_emphasis_and_lists_keep_their_text():
    rendered = render_markdown(
        "## 背景\n\n**指令微调**会导致*灾难性遗忘*吗？\n\n- 数据分布\n- 学习率"
    )
    assert "<h2>背景</h2>" in rendered
    assert "<strong>指令微调</strong>会导致<em>灾难性遗忘</em>吗？" in rendered
    assert "<li>数据分布</li>" in rendered
    assert "<li>学习率</li>" in rendered


def test_chinese_table_renders_header_and_cells():
    rendered = render_markdown(
        "| 方法 | 显存占用 | 说明 |\n"
        "|---|---|---|\n"
        "| LoRA | 低 | 只训练低秩矩阵 |\n"
        "| 全参微调 | 高 | 更新全部参数 |"
    )
    assert "<table>" in rendered
    assert "<th>显存占用</th>" in rendered
    assert "<td>只训练低秩矩阵</td>" in rendered
    assert "<td>全参微调</td>" in rendered


def test_table_column_alignment_becomes_a_class_not_an_inline_style():
    rendered = render_markdown("| 左 | 中 | 右 |\n|:---|:---:|---:|\n| a | b | c |")
    assert '<th class="align-left">左</th>' in rendered
    assert '<th class="align-center">中</th>' in rendered
    assert '<td class="align-right">c</td>' in rendered
    assert "style" not in rendered


def test_strikethrough_is_rendered():
    assert "<s>过时的结论</s>" in render_markdown("~~过时的结论~~")


def test_ordered_list_start_number_is_kept():
    assert '<ol start="3">' in render_markdown("3. 第三步\n4. 第四步")


def test_blockquote_rule_and_hard_break_are_allowed():
    rendered = render_markdown("> 引用\n\n---\n\n第一行  \n第二行")
    assert "<blockquote>" in rendered
    assert "<hr>" in rendered
    assert "第一行<br>" in rendered


def test_render_is_deterministic():
    text = "\n\n".join(["为什么SFT之后感觉LLM傻了?", RMSNORM_FORMULA, RMSNORM_TORCH, "$x^2$"])
    first = render_markdown(text)
    assert first == render_markdown(text) == render_markdown(text)


def test_module_does_not_import_django():
    # Load the file on its own: the llmprep package __init__ pulls in Celery (and Django bits).
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('md_under_test', {str(MODULE_PATH)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "assert module.render_markdown('*x*') == '<p><em>x</em></p>\\n'\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- Raw HTML and XSS -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ('<a href="javascript:alert(1)">点我</a>', '&lt;a href="javascript:alert(1)"&gt;'),
        ("<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"),
        ("<iframe src=https://evil.example></iframe>", "&lt;iframe"),
        ('<form action="/x"><input name=q></form>', "&lt;form"),
        ("<div style='position:fixed'>盖住页面</div>", "&lt;div style="),
    ],
)
def test_raw_html_is_shown_as_text_never_passed_through(payload, escaped):
    rendered = render_markdown(payload)
    assert escaped in rendered
    assert_no_dangerous_markup(rendered)
    assert "<a " not in rendered


def test_inline_raw_html_inside_a_paragraph_is_escaped():
    rendered = render_markdown("问题 <b onclick=alert(1)>加粗</b> 结束")
    assert "&lt;b onclick=alert(1)&gt;加粗&lt;/b&gt;" in rendered
    assert "<b" not in rendered


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](javascript&#58;alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](VBScript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](DATA:text/html,<script>alert(1)</script>)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_link_schemes_never_reach_output(link):
    rendered = render_markdown(link)
    assert_no_dangerous_markup(rendered)
    assert "<a " not in rendered


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[论文](https://arxiv.org/abs/1706.03762)", "https://arxiv.org/abs/1706.03762"),
        ("[旧站](http://example.com/a?b=1&c=2)", "http://example.com/a?b=1&c=2"),
        ("[联系](mailto:hr@example.com)", "mailto:hr@example.com"),
        ("[题目](/questions/42/)", "/questions/42/"),
        ("[锚点](#answer-3)", "#answer-3"),
        ("<https://huggingface.co>", "https://huggingface.co"),
    ],
)
def test_http_https_mailto_and_relative_links_survive(source, href):
    assert attribute_values(render_markdown(source), "href") == [href]


def test_other_schemes_are_stripped_from_links():
    rendered = render_markdown("[电话](tel:123) [ftp](ftp://example.com/x)")
    assert attribute_values(rendered, "href") == []


def test_every_link_gets_nofollow_ugc_noopener():
    rendered = render_markdown("[a](https://a.example) 和 <https://b.example> 和 [c](/rel)")
    assert rendered.count("<a ") == 3
    assert attribute_values(rendered, "rel") == ["nofollow ugc noopener"] * 3


def test_link_title_is_kept_and_escaped():
    rendered = render_markdown('[x](https://a.example "标题 \\" onmouseover=\\"alert(1)")')
    assert attribute_values(rendered, "title") == ['标题 " onmouseover="alert(1)']
    assert_no_dangerous_markup(rendered)


# --- Images -----------------------------------------------------------------------------------


def test_https_image_keeps_alt_and_gets_lazy_loading():
    rendered = render_markdown("![注意力热力图](https://img.example.com/attn.png)")
    assert '<img src="https://img.example.com/attn.png" alt="注意力热力图"' in rendered
    assert 'loading="lazy"' in rendered
    assert 'referrerpolicy="no-referrer"' in rendered


@pytest.mark.parametrize(
    "source",
    [
        "![图](data:image/png;base64,AAA)",
        "![图](data:image/gif;base64,R0lGODlhAQABAAAAACw=)",
        "![图](/media/logout)",
        "![图](//cdn.example.com/a.png)",
        "![图](ftp://example.com/a.png)",
    ],
)
def test_images_without_absolute_http_src_become_their_alt_text(source):
    # markdown-it itself accepts data:image/png etc.; the renderer must still refuse them.
    assert render_markdown(source) == "<p>图</p>\n"


@pytest.mark.parametrize(
    "source", ["![图](DATA:image/svg+xml;base64,PHN2Zz4=)", "![图](javascript:alert(1))"]
)
def test_images_with_dangerous_src_are_not_images_at_all(source):
    rendered = render_markdown(source)
    assert "<img" not in rendered
    assert_no_dangerous_markup(rendered)


def test_image_alt_text_cannot_inject_markup():
    rendered = render_markdown('![" onerror="alert(1)](https://img.example.com/a.png)')
    assert attribute_values(rendered, "alt") == ['" onerror="alert(1)']
    assert_no_dangerous_markup(rendered)


# --- Math -------------------------------------------------------------------------------------


def test_inline_math_sqrt_dk_renders_mathml():
    rendered = render_markdown(r"缩放因子是 $\sqrt{d_k}$。")
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">' in rendered
    assert "<msqrt><mrow><msub><mi>d</mi><mi>k</mi></msub></mrow></msqrt>" in rendered
    assert rendered.startswith("<p>缩放因子是 <math")
    assert rendered.endswith("</math>。</p>\n")


def test_attention_formula_renders_softmax_transpose_and_sqrt():
    rendered = render_markdown(r"$\text{softmax}(QK^T/\sqrt{d_k})V$")
    assert "<mtext>softmax</mtext>" in rendered
    assert "<msup><mi>K</mi><mi>T</mi></msup>" in rendered
    assert "<msqrt>" in rendered
    assert "math-error" not in rendered


def test_rmsnorm_display_formula_renders_as_block_mathml():
    rendered = render_markdown(RMSNORM_FORMULA)
    assert rendered.startswith('<div class="math-display"><math ')
    assert 'display="block"' in rendered
    for element in ("<mfrac>", "<msqrt>", "<msubsup>", "<mover>", '<mspace width="1em">'):
        assert element in rendered, element
    assert '<mi mathvariant="normal">R</mi>' in rendered
    assert "<mo>∑</mo>" in rendered
    assert '<mo stretchy="true">¯</mo>' in rendered


def test_gelu_formula_renders_upright_name_and_capital_phi():
    rendered = render_markdown(r"$\mathrm{GeLU}(x)=x\Phi(x)$")
    assert '<mi mathvariant="normal">G</mi>' in rendered
    assert "<mi>Φ</mi>" in rendered
    assert '<mo stretchy="false">(</mo>' in rendered


def test_swish_formula_renders_greek_letters_and_cdot():
    rendered = render_markdown(r"Swish: $x\cdot\sigma(\beta x)$")
    assert "<mo>·</mo>" in rendered
    assert "<mi>σ</mi>" in rendered
    assert "<mi>β</mi>" in rendered


def test_rope_rotation_matrix_renders_as_mtable():
    rendered = render_markdown(ROPE_FORMULA)
    assert rendered.count("<mtable>") == 2
    assert "<mtr>" in rendered
    assert "<mtd><mi>cos</mi><mi>m</mi><mi>θ</mi></mtd>" in rendered
    assert "<mo>−</mo><mi>sin</mi>" in rendered


def test_cases_alignment_and_stretchy_fences_survive_sanitizing():
    rendered = render_markdown(
        r"$$\mathrm{ReLU}(x)=\left\{\begin{cases} x & x>0 \\ 0 & x\le 0 \end{cases}\right.$$"
    )
    assert '<mtd columnalign="left">' in rendered
    assert 'fence="true"' in rendered
    assert 'form="prefix"' in rendered


def test_mathml_carries_the_tex_source_as_annotation():
    rendered = render_markdown(r"$a<b$")
    assert "<semantics>" in rendered
    assert '<annotation encoding="application/x-tex">a&lt;b</annotation>' in rendered


def test_double_dollar_inside_a_paragraph_is_display_math_inside_the_paragraph():
    rendered = render_markdown(r"损失为 $$\mathcal{L}=-\log p$$ 其中 p 是概率")
    assert rendered.startswith("<p>损失为 <math ")
    assert 'display="block"' in rendered
    assert "<div" not in rendered


def test_chinese_inside_math_text_is_kept():
    assert "<mtext>注意力</mtext>" in render_markdown(r"$\text{注意力}$")


@pytest.mark.parametrize(
    "source",
    [
        r"$\frac{a$",
        r"$\begin{foo}$",
        r"$x_1_2$",
        r"$x^$",
        r"$\left( x$",
        r"$a}$",
        r"$\def\a{\a\a}\a$",
        "$" + "{" * 500 + "x" + "}" * 500 + "$",
        "$" + r"\sqrt" * 400 + "x$",
    ],
)
def test_invalid_latex_renders_as_code_not_an_error(source):
    rendered = render_markdown(source)
    assert rendered.startswith('<p><code class="math-error">$')
    assert "<math" not in rendered


def test_invalid_display_latex_renders_as_preformatted_code():
    rendered = render_markdown("$$\n\\begin{foo}\n$$")
    assert rendered.startswith('<div class="math-display"><pre><code class="math-error">$$')
    assert "\\begin{foo}" in rendered


def test_invalid_double_dollar_latex_inside_a_paragraph_stays_inline_code():
    rendered = render_markdown(r"结果 $$\frac{a$$ 不对")
    assert rendered == '<p>结果 <code class="math-error">$$\\frac{a$$</code> 不对</p>\n'


def test_math_error_source_is_escaped():
    rendered = render_markdown(r"$\begin{<img src=x onerror=alert(1)>}$")
    assert '<code class="math-error">$\\begin{&lt;img src=x onerror=alert(1)&gt;}$</code>' in (
        rendered
    )
    assert_no_dangerous_markup(rendered)


@pytest.mark.parametrize(
    "prose",
    ["价格 $5 和 $10", "从$5到$10", "It costs $5 and $10 a month.", "预算 $5,000 到 $10,000"],
)
def test_dollar_amounts_in_prose_are_not_math(prose):
    assert render_markdown(prose) == f"<p>{prose}</p>\n"


def test_dollars_with_inner_spaces_are_not_math():
    assert "<math" not in render_markdown("$ x $")


def test_escaped_dollars_stay_literal():
    assert render_markdown(r"用 \$x\$ 表示") == "<p>用 $x$ 表示</p>\n"


def test_dollars_inside_code_are_not_math():
    rendered = render_markdown("`echo $HOME $PATH` 和\n\n```bash\necho $x$\n```")
    assert "<math" not in rendered
    assert "$HOME $PATH" in rendered


def test_math_href_payload_produces_no_link():
    rendered = render_markdown(r"$\href{javascript:alert(1)}{x}$")
    assert "<mi>x</mi>" in rendered
    assert attribute_values(rendered, "href") == []
    assert "a" not in [tag for tag, _ in start_tags(rendered)]
    assert_no_dangerous_markup(rendered)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        (r"$\text{<script>}$", "&lt;script&gt;"),
        (r"$\text{<img src=x onerror=alert(1)>}$", "&lt;img src=x onerror=alert(1)&gt;"),
        (r"$\mbox{</math><script>alert(1)</script>}$", "&lt;/math&gt;&lt;script&gt;"),
        (r"$\text{&#60;script&#62;}$", "&lt;script&gt;"),
    ],
)
def test_math_text_payloads_are_escaped_text(source, text):
    rendered = render_markdown(source)
    assert text in rendered
    assert "<mtext>" in rendered
    assert_no_dangerous_markup(rendered)


def test_math_style_class_and_attribute_injection_are_dropped():
    rendered = render_markdown(
        r'$\style{color:red}{x}$ $\class{evil}{y}$ $\color{red" onclick="alert(1)}{z}$'
    )
    assert "<mi>x</mi>" in rendered
    assert "<mi>y</mi>" in rendered
    assert "<mi>z</mi>" in rendered
    assert "class=" not in rendered
    assert "mathcolor" not in rendered
    assert_no_dangerous_markup(rendered)


def test_math_color_is_kept():
    assert '<mstyle mathcolor="red">' in render_markdown(r"$\color{red}{x}$")


def test_huge_math_spaces_are_dropped_but_normal_spaces_kept():
    rendered = render_markdown(r"$a\hspace{-500em}b\quad c\rule{9999em}{1em}\hspace{2em}$")
    assert attribute_values(rendered, "width") == ["1em", "2em"]
    assert attribute_values(rendered, "height") == ["1em"]


def test_math_size_commands_cannot_set_font_size():
    rendered = render_markdown(r"$\Huge x$")
    assert "<mi>x</mi>" in rendered
    assert "mathsize" not in rendered


# --- Code -------------------------------------------------------------------------------------


def test_pytorch_rmsnorm_snippet_is_highlighted_with_classes_not_inline_styles():
    rendered = render_markdown(RMSNORM_TORCH)
    assert rendered.startswith('<div class="highlight"><pre><code>')
    assert '<span class="kn">import</span>' in rendered
    assert '<span class="k">class</span>' in rendered
    assert '<span class="nc">RMSNorm</span>' in rendered
    assert '<span class="nf">forward</span>' in rendered
    assert "均方根归一化" in rendered
    assert "style=" not in rendered


@pytest.mark.parametrize(
    ("language", "code", "expected"),
    [
        ("python", "def f(): pass", '<span class="k">def</span>'),
        ("py", "def f(): pass", '<span class="k">def</span>'),
        ("Python", "def f(): pass", '<span class="k">def</span>'),
        ("bash", "export CUDA_VISIBLE_DEVICES=0", '<span class="nb">export</span>'),
        ("c++", "int main() { return 0; }", '<span class="kt">int</span>'),
        ("cpp", "int main() { return 0; }", '<span class="kt">int</span>'),
    ],
)
def test_fenced_code_is_highlighted_by_info_string_language(language, code, expected):
    rendered = render_markdown(f"```{language}\n{code}\n```")
    assert rendered.startswith('<div class="highlight">')
    assert expected in rendered


@pytest.mark.parametrize("info", ["", "not-a-real-language", "text"])
def test_unknown_or_missing_language_renders_plain_escaped_pre_code(info):
    rendered = render_markdown(f"```{info}\n<script>alert(1)</script> & x\n```")
    assert rendered == "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt; &amp; x\n</code></pre>\n"


def test_highlighted_code_escapes_html_in_source():
    rendered = render_markdown('```python\nprint("<script>alert(1)</script>")\n```')
    assert "&lt;script&gt;" in rendered
    assert_no_dangerous_markup(rendered)


def test_indented_code_block_is_escaped():
    rendered = render_markdown("    <img src=x onerror=alert(1)>\n")
    assert rendered == "<pre><code>&lt;img src=x onerror=alert(1)&gt;\n</code></pre>\n"


def test_pygments_css_is_class_based_and_scoped_to_highlight():
    css = pygments_css()
    assert ".highlight .k " in css
    assert ".highlight .nf " in css


# --- Allowlists -------------------------------------------------------------------------------


def test_allowlists_exclude_dangerous_tags_and_attributes():
    for tag in (*FORBIDDEN_TAGS, "annotation-xml", "maction"):
        assert tag not in ALLOWED_TAGS
    for math_tag in ("math", "mrow", "mfrac", "msqrt", "mtable", "semantics"):
        assert math_tag in ALLOWED_TAGS
    for tag, attributes in ALLOWED_ATTRIBUTES.items():
        assert not {"style", "id", "class"} & attributes, tag
        assert not any(name.startswith("on") for name in attributes), tag
        if tag not in ("a", "img"):
            assert not {"href", "src"} & attributes, tag


def test_kitchen_sink_of_payloads_produces_no_dangerous_markup():
    text = "\n\n".join(
        [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "![x](data:image/png;base64,AAA)",
            '<a href="javascript:alert(1)">x</a>',
            "<svg onload=alert(1)>",
            r"$\href{javascript:alert(1)}{x}$",
            r"$\text{<script>}$",
            r"$\style{background:url(javascript:alert(1))}{x}$",
            "<!-- comment --><style>*{}</style>",
            RMSNORM_FORMULA,
            RMSNORM_TORCH,
            "| a | b |\n|:-:|--:|\n| 1 | 2 |",
        ]
    )
    rendered = render_markdown(text)
    assert_no_dangerous_markup(rendered)
    assert "<!--" not in rendered
    assert "<msqrt>" in rendered
    assert '<div class="highlight">' in rendered
