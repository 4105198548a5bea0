"""Tests for questions.bank_parser: the real question bank file plus synthetic edge cases."""

import re
from collections import Counter
from pathlib import Path

import pytest

from questions import bank_parser
from questions.bank_parser import ParsedBank, ParsedQuestion, parse_bank, parse_bank_file

BANK_PATH = Path(__file__).resolve().parents[2] / "questions" / "data" / "llm_interview_bank.md"

PART1 = "第一部分 基础知识"
PART2 = "第二部分：大模型一般知识点"
BASICS = (PART2, "大模型（LLMs）基础面")
ADVANCED = (PART2, "大模型（LLMs）进阶面")
FINETUNE = (PART2, "大模型（LLMs）微调面")
LANGCHAIN = (PART2, "大模型（LLMs）langchain面")
LC_BASIC = (*LANGCHAIN, "基于LLM+向量库的文档对话 基础面")
LC_CONCEPTS = (*LC_BASIC, "概念部分")
LC_TECH = (*LC_BASIC, "基础技术部分")
LC_OPTIMISE = (*LANGCHAIN, "基于LLM+向量库的文档对话 优化面")
PEFT = (PART2, "大模型（LLMs）参数高效微调(PEFT) 面")
PROMPTING_Q = "什么是 提示学习（Prompting）？"
POSITION = (PART2, "LLMs 位置编码篇")
TOKENIZER = (PART2, "LLMs Tokenizer 篇")
LAYER_NORM = (PART2, "Layer Normalization 篇")
LN_METHODS = (*LAYER_NORM, "Layer normalization-方法篇")

# The whole outline, read by hand from `cat -A questions/data/llm_interview_bank.md`.
EXPECTED_CATEGORIES = (
    (PART1,),
    (PART1, "什么是大模型"),
    (PART1, "大模型类别"),
    (PART2,),
    BASICS,
    ADVANCED,
    FINETUNE,
    LANGCHAIN,
    LC_BASIC,
    LC_CONCEPTS,
    LC_TECH,
    LC_OPTIMISE,
    PEFT,
    (*PEFT, "LoRA篇"),
    (*PEFT, "QLoRA篇"),
    (*PEFT, "AdaLoRA篇"),
    (*PEFT, PROMPTING_Q),
    (*PEFT, "前缀微调（Prefix-tuning）篇"),
    (*PEFT, "适配器微调（Adapter-tuning）篇"),
    (PART2, "大模型（LLMs）推理面"),
    (PART2, "大模型（LLMs）评测面"),
    (PART2, "大模型（LLMs）强化学习面"),
    (PART2, "大模型（LLMs）软硬件配置面"),
    (PART2, "大模型（LLMs）训练集面"),
    (PART2, "Token及模型参数准备篇"),
    (PART2, "ALiBi (Attention with Linear Biases)篇"),
    POSITION,
    (*POSITION, "什么是位置编码？"),
    (*POSITION, "旋转位置编码 RoPE篇"),
    (PART2, "长度外推问题篇"),
    TOKENIZER,
    (*TOKENIZER, "Byte-Pair Encoding(BPE)篇"),
    (*TOKENIZER, "WordPiece 篇"),
    (*TOKENIZER, "SentencePiece 篇"),
    (*TOKENIZER, "对比篇"),
    LAYER_NORM,
    (*LAYER_NORM, "Layer Norm 篇"),
    (*LAYER_NORM, "RMS Norm 篇 （均方根 Norm）"),
    (*LAYER_NORM, "Deep Norm 篇"),
    LN_METHODS,
    (*LN_METHODS, "Layer normalization-位置篇"),
    (*LN_METHODS, "Layer normalization 对比篇"),
)

# Questions per category, counted by hand; categories not listed hold none.
EXPECTED_COUNTS = {
    BASICS: 4,
    ADVANCED: 7,
    FINETUNE: 23,
    LC_CONCEPTS: 10,
    LC_TECH: 16,
    LC_OPTIMISE: 9,
    PEFT: 7,
    (*PEFT, "LoRA篇"): 3,
    (*PEFT, "QLoRA篇"): 2,
    (*PEFT, "AdaLoRA篇"): 1,
    (*PEFT, PROMPTING_Q): 10,
    (*PEFT, "前缀微调（Prefix-tuning）篇"): 4,
    (*PEFT, "适配器微调（Adapter-tuning）篇"): 8,
    (PART2, "大模型（LLMs）推理面"): 8,
    (PART2, "大模型（LLMs）评测面"): 3,
    (PART2, "大模型（LLMs）强化学习面"): 5,
    (PART2, "大模型（LLMs）软硬件配置面"): 7,
    (PART2, "大模型（LLMs）训练集面"): 9,
    (PART2, "Token及模型参数准备篇"): 2,
    (PART2, "ALiBi (Attention with Linear Biases)篇"): 4,
    POSITION: 1,
    (*POSITION, "什么是位置编码？"): 2,
    (*POSITION, "旋转位置编码 RoPE篇"): 4,
    (PART2, "长度外推问题篇"): 2,
    (*TOKENIZER, "Byte-Pair Encoding(BPE)篇"): 1,
    (*TOKENIZER, "WordPiece 篇"): 1,
    (*TOKENIZER, "SentencePiece 篇"): 1,
    (*TOKENIZER, "对比篇"): 2,
    (*LAYER_NORM, "Layer Norm 篇"): 1,
    (*LAYER_NORM, "RMS Norm 篇 （均方根 Norm）"): 2,
    (*LAYER_NORM, "Deep Norm 篇"): 3,
    (*LN_METHODS, "Layer normalization-位置篇"): 1,
    (*LN_METHODS, "Layer normalization 对比篇"): 1,
}

# Counted by hand, section by section, in the raw file (question-like lines only; headings,
# "N. …篇" chapter items, "**…**" sections and the two part-1 links excluded):
#   基础面 4 + 进阶面 7 (numbers 1,1,2..6) + 微调面 23
#   + langchain 35 (概念部分 10 + 基础技术部分 16 + 优化面 4 numbered + 5 "- N. 痛点")
#   + PEFT 35 (LoRA 3 + QLoRA 2 + AdaLoRA 1 + items 4..10 = 7 + 9.1..9.10 = 10
#              + 11.1..11.4 = 4 + 12.1..12.8 = 8)
#   + 推理面 8 + 评测面 3 + 强化学习面 5 + 软硬件配置面 7 + 训练集面 9 + Token 篇 2
#   + ALiBi 篇 4 + 位置编码篇 7 (1. + 1.1, 1.2 + 2.1..2.4) + 长度外推问题篇 2
#   + Tokenizer 篇 5 (one un-numbered line under each of 1..3, plus 4.1, 4.2)
#   + Layer Normalization 篇 8 (un-numbered lines: 1 + 2 + 3 + 1 + 1)
#   = 34 + 35 + 35 + 32 + 13 + 7 + 8 = 164
EXPECTED_TOTAL_QUESTIONS = 164


@pytest.fixture(scope="module")
def bank() -> ParsedBank:
    return parse_bank_file(BANK_PATH)


def titles_in(bank: ParsedBank, path: tuple[str, ...]) -> list[str]:
    questions = sorted(
        (q for q in bank.questions if q.category_path == path), key=lambda q: q.position
    )
    return [q.title for q in questions]


def category_names(bank: ParsedBank) -> set[str]:
    return {name for path in bank.categories for name in path}


# --------------------------------------------------------------------------- real file


def test_parts_are_the_root_categories_in_document_order(bank):
    roots = [path for path in bank.categories if len(path) == 1]
    assert roots == [(PART1,), (PART2,)]


def test_category_tree_is_exactly_the_hand_read_outline(bank):
    assert bank.categories == EXPECTED_CATEGORIES


def test_question_count_per_category_matches_the_hand_count(bank):
    counts = Counter(q.category_path for q in bank.questions)
    assert dict(counts) == EXPECTED_COUNTS


def test_total_question_count_matches_the_hand_count(bank):
    assert len(bank.questions) == EXPECTED_TOTAL_QUESTIONS
    assert sum(EXPECTED_COUNTS.values()) == EXPECTED_TOTAL_QUESTIONS


def test_preamble_title_blurb_and_careers_link_are_neither_categories_nor_questions(bank):
    names = category_names(bank)
    assert "LLM_Interview_Prepare" not in names
    assert "AI面试与职业机会" not in names
    all_text = list(names) + [q.title for q in bank.questions]
    assert not any("maintained by" in text or "本仓库" in text for text in all_text)
    assert not any("AI面试与职业机会" in text for text in all_text)


def test_plain_llm_mianjing_heading_is_only_a_label(bank):
    assert "LLM面经" not in category_names(bank)
    assert PEFT in bank.categories


def test_remark_under_part_two_is_not_a_question(bank):
    assert not any("主要内容借鉴" in q.title for q in bank.questions)
    assert not any("主要内容借鉴" in name for name in category_names(bank))


def test_part_one_link_headings_are_empty_categories_named_by_link_text(bank):
    assert (PART1, "什么是大模型") in bank.categories
    assert (PART1, "大模型类别") in bank.categories
    assert not any(q.category_path[0] == PART1 for q in bank.questions)


def test_lora_chapter_holds_exactly_its_three_questions_in_order(bank):
    assert titles_in(bank, (*PEFT, "LoRA篇")) == [
        "什么是 LoRA？",
        "LoRA 的思路是什么？",
        "LoRA 的特点是什么？",
    ]


def test_tab_indented_item_12_stays_between_items_11_and_13_in_finetuning(bank):
    titles = titles_in(bank, FINETUNE)
    index = titles.index("训练中文大模型有啥经验？")
    assert titles[index - 1] == "如何训练自己的大模型？"
    assert titles[index + 1] == "指令微调的好处？"
    assert index == 11  # 0-based: the twelfth item
    assert not any(path[:2] == FINETUNE and len(path) > 2 for path in bank.categories)


def test_repeated_number_one_keeps_both_advanced_questions(bank):
    assert titles_in(bank, ADVANCED)[:2] == [
        "llama 输入句子长度理论上可以无限长吗？",
        "什么是 LLMs 复读机问题？",
    ]


def test_langchain_basic_group_holds_concepts_10_and_basic_techniques_16(bank):
    concepts = titles_in(bank, LC_CONCEPTS)
    techniques = titles_in(bank, LC_TECH)
    assert len(concepts) == 10
    assert len(techniques) == 16
    assert concepts[0] == "什么是 LangChain?"
    assert concepts[-1] == "LangChain 替代方案？"
    assert techniques[0] == "LangChain 中 Components and Chains 是什么？"
    assert techniques[-1] == "LangChain 缺乏标准的可互操作数据类型问题"
    assert titles_in(bank, LANGCHAIN) == []
    assert titles_in(bank, LC_BASIC) == []


def test_langchain_pain_point_bullets_are_siblings_of_the_numbered_questions(bank):
    titles = titles_in(bank, LC_OPTIMISE)
    assert titles[3] == "基于LLM+向量库的文档对话 prompt 模板 如何构建？"
    assert titles[4:] == [
        "痛点1：文档切分粒度不好把控，既担心噪声太多又担心语义信息丢失",
        "痛点2：在基于垂直领域 表现不佳",
        "痛点3：langchain 内置 问答分句效果不佳问题",
        "痛点4：如何 尽可能召回与query相关的Document 问题",
        "痛点5：如何让LLM基于query和context得到高质量的respose",
    ]


def test_dotted_bullets_at_the_same_indent_belong_to_the_prefix_tuning_chapter(bank):
    assert titles_in(bank, (*PEFT, "前缀微调（Prefix-tuning）篇")) == [
        "为什么需要 前缀微调（Prefix-tuning）？",
        "前缀微调（Prefix-tuning）思路是什么？",
        "前缀微调（Prefix-tuning）的优点是什么？",
        "前缀微调（Prefix-tuning）的缺点是什么？",
    ]


def test_prompting_item_is_both_a_peft_question_and_the_category_of_its_children(bank):
    assert titles_in(bank, PEFT) == [
        "LoRA权重是否可以合入原模型？",
        "ChatGLM-6B LoRA后的权重多大？",
        "LoRA 微调优点是什么？",
        "LoRA微调方法为啥能加速训练？",
        "如何在已有LoRA模型上继续训练？",
        PROMPTING_Q,
        "提示学习（Prompting）有哪些方法，能不能稍微介绍一下它们？",
    ]
    children = titles_in(bank, (*PEFT, PROMPTING_Q))
    assert children[0] == "为什么需要 P-tuning？"
    assert children[-1] == "指示微调（Prompt-tuning）与 fine-tuning 区别 是什么？"


def test_position_encoding_question_with_children_is_also_a_subcategory(bank):
    assert titles_in(bank, POSITION) == ["什么是位置编码？"]
    assert titles_in(bank, (*POSITION, "什么是位置编码？")) == [
        "什么是绝对位置编码？",
        "什么是相对位置编码？",
    ]
    assert titles_in(bank, (*POSITION, "旋转位置编码 RoPE篇"))[1] == "推导一下 旋转位置编码 RoPE ？"


def test_tokenizer_section_appears_once_with_its_four_chapters(bank):
    assert bank.categories.count(TOKENIZER) == 1
    assert [p[-1] for p in bank.categories if p[:-1] == TOKENIZER] == [
        "Byte-Pair Encoding(BPE)篇",
        "WordPiece 篇",
        "SentencePiece 篇",
        "对比篇",
    ]
    assert titles_in(bank, (*TOKENIZER, "WordPiece 篇")) == ["WordPiece 与 BPE 异同点是什么？"]


def test_layer_normalization_chapters_nest_despite_tab_and_space_mix(bank):
    assert [p[-1] for p in bank.categories if p[:-1] == LAYER_NORM] == [
        "Layer Norm 篇",
        "RMS Norm 篇 （均方根 Norm）",
        "Deep Norm 篇",
        "Layer normalization-方法篇",
    ]
    assert titles_in(bank, (*LAYER_NORM, "Deep Norm 篇")) == [
        "Deep Norm 有什么优点？",
        "Deep Norm 思路？",
        "写一下 Deep Norm 代码实现？",
    ]
    assert titles_in(bank, (*LN_METHODS, "Layer normalization 对比篇")) == [
        "LLMs 各模型分别用了 哪种 Layer normalization？"
    ]


def test_titles_are_clean(bank):
    for q in bank.questions:
        for junk in ("主要内容借鉴", "maintained by", "](", "**", "\xa0", "\t", "  "):
            assert junk not in q.title, (junk, q.title)
        assert not re.match(r"[0-9]+\.", q.title), q.title
        assert not q.title.startswith(("- ", "#")), q.title
        assert q.title == q.title.strip() and q.title


def test_titles_keep_the_single_spaces_authors_wrote_between_words(bank):
    assert "prefix LM 和 causal LM 区别是什么？" in titles_in(bank, BASICS)
    assert titles_in(bank, (*PEFT, PROMPTING_Q))[1] == "P-tuning 思路是什么？"
    assert "如何给LLM注入领域知识？" in titles_in(bank, (PART2, "大模型（LLMs）训练集面"))


def test_no_category_name_is_empty_or_unclean(bank):
    for path in bank.categories:
        for name in path:
            assert name and name == name.strip(), path
            assert "**" not in name and "](" not in name and "\xa0" not in name, path
            assert not re.match(r"[0-9]+\.", name), path


def test_categories_are_unique_and_parents_come_before_children(bank):
    assert len(set(bank.categories)) == len(bank.categories)
    seen: set[tuple[str, ...]] = set()
    for path in bank.categories:
        if len(path) > 1:
            assert path[:-1] in seen, path
        seen.add(path)


def test_every_question_category_is_a_listed_category(bank):
    assert {q.category_path for q in bank.questions} <= set(bank.categories)


def test_positions_run_from_zero_without_gaps_in_document_order(bank):
    by_category: dict[tuple[str, ...], list[int]] = {}
    for q in bank.questions:
        by_category.setdefault(q.category_path, []).append(q.position)
    for path, positions in by_category.items():
        assert positions == list(range(len(positions))), path


def test_parsing_is_deterministic():
    assert parse_bank_file(BANK_PATH) == parse_bank_file(BANK_PATH)


def test_parse_bank_file_accepts_str_and_path_and_matches_parse_bank():
    text = BANK_PATH.read_text(encoding="utf-8")
    assert parse_bank_file(str(BANK_PATH)) == parse_bank(text) == parse_bank_file(BANK_PATH)


@pytest.mark.parametrize("tab_width", [4, 5, 6, 8])
def test_real_file_parse_does_not_depend_on_how_wide_a_tab_is(bank, monkeypatch, tab_width):
    monkeypatch.setattr(bank_parser, "TAB_WIDTH", tab_width)
    assert parse_bank_file(BANK_PATH) == bank


@pytest.mark.parametrize(
    ("old", "new"),
    [("\t", "    "), ("\t", "        "), ("\xa0", ""), ("\xa0", " "), ("\n", "\r\n")],
)
def test_real_file_parse_survives_whitespace_rewrites(bank, old, new):
    text = BANK_PATH.read_text(encoding="utf-8")
    assert old in text
    assert parse_bank(text.replace(old, new)) == bank


# --------------------------------------------------------------------------- synthetic


def parse_lines(*lines: str) -> ParsedBank:
    return parse_bank("\n".join(lines))


def test_empty_text_gives_an_empty_bank():
    assert parse_bank("") == ParsedBank(categories=(), questions=())
    assert parse_bank("\n  \n\t\n\xa0\n") == ParsedBank(categories=(), questions=())


def test_text_before_the_first_part_is_ignored():
    bank = parse_lines(
        "# Title",
        "blurb",
        "### [Careers](x.html)",
        "- **Not a section**",
        "1. not a question？",
        "# 第一部分 A",
        "**S**",
        "1. q？",
    )
    assert bank.categories == (("第一部分 A",), ("第一部分 A", "S"))
    assert bank.questions == (ParsedQuestion(("第一部分 A", "S"), "q？", 0),)


def test_without_numbered_parts_every_level_one_heading_is_a_part():
    bank = parse_lines("# Alpha", "**S**", "1. q？", "# Beta")
    assert bank.categories == (("Alpha",), ("Alpha", "S"), ("Beta",))


def test_link_heading_is_a_category_and_plain_heading_only_a_label():
    bank = parse_lines(
        "# 第一部分 A",
        "## [Linked](p.html)",
        "### [Nested](q.html)",
        "## Label",
        "- \xa0**Section**",
        "     1. q？",
    )
    assert bank.categories == (
        ("第一部分 A",),
        ("第一部分 A", "Linked"),
        ("第一部分 A", "Linked", "Nested"),
        ("第一部分 A", "Section"),
    )


def test_prose_and_remarks_outside_sections_are_skipped_but_list_items_count():
    bank = parse_lines(
        "# 第一部分 A",
        "（说明文字）",
        "Some prose about the part.",
        "1. a question directly under the part？",
        "**S**",
        "（这一行是备注）",
        "     1. q？",
    )
    assert [(q.category_path, q.title) for q in bank.questions] == [
        (("第一部分 A",), "a question directly under the part？"),
        (("第一部分 A", "S"), "q？"),
    ]


def test_stray_deeper_number_is_still_a_sibling_of_the_previous_number():
    bank = parse_lines("# 第一部分 A", "**S**", "     11. a？", "          12. b？", "     13. c？")
    assert bank.categories == (("第一部分 A",), ("第一部分 A", "S"))
    assert titles_in(bank, ("第一部分 A", "S")) == ["a？", "b？", "c？"]


def test_dotted_number_belongs_to_its_parent_number_even_at_the_same_indent():
    bank = parse_lines(
        "# 第一部分 A", "**S**", "     3. Group", "     - 3.1 x？", "     3.2 y？", "     4. z？"
    )
    assert titles_in(bank, ("第一部分 A", "S", "Group")) == ["x？", "y？"]
    assert titles_in(bank, ("第一部分 A", "S")) == ["z？"]


def test_dotted_numbers_nest_under_a_question_item_written_at_the_same_indent():
    bank = parse_lines(
        "# 第一部分 A",
        "**S**",
        "     9. 什么是X？",
        "     9.1 a？",
        "     - 9.2 b？",
        "     10. c？",
    )
    assert titles_in(bank, ("第一部分 A", "S")) == ["什么是X？", "c？"]
    assert titles_in(bank, ("第一部分 A", "S", "什么是X？")) == ["a？", "b？"]


def test_numbered_question_with_children_is_a_question_and_a_category():
    bank = parse_lines("# 第一部分 A", "**S**", "  1. 什么是X？", "     1.1 X1？", "  2. Y？")
    assert titles_in(bank, ("第一部分 A", "S")) == ["什么是X？", "Y？"]
    assert titles_in(bank, ("第一部分 A", "S", "什么是X？")) == ["X1？"]


def test_unnumbered_lines_under_an_item_are_its_questions():
    bank = parse_lines(
        "# 第一部分 A", "**S**", "     1. Chapter", "     q1？", "        q2？", "     2. Other？"
    )
    assert titles_in(bank, ("第一部分 A", "S", "Chapter")) == ["q1？", "q2？"]
    assert titles_in(bank, ("第一部分 A", "S")) == ["Other？"]


def test_heading_like_item_takes_a_same_level_bullet_as_child_but_a_question_does_not():
    bank = parse_lines(
        "# 第一部分 A",
        "**S**",
        "    1. Topic",
        "     - **Sub**",
        "          1. q？",
        "    2. Question？",
        "     - sibling？",
    )
    assert titles_in(bank, ("第一部分 A", "S", "Topic", "Sub")) == ["q？"]
    assert titles_in(bank, ("第一部分 A", "S")) == ["Question？", "sibling？"]


def test_item_shallower_than_the_previous_items_children_is_not_nested_in_it():
    bank = parse_lines(
        "# 第一部分 A",
        "**S**",
        "    - A篇",
        "            q1？",
        "        - B篇",
        "            q2？",
    )
    assert titles_in(bank, ("第一部分 A", "S", "A篇")) == ["q1？"]
    assert titles_in(bank, ("第一部分 A", "S", "B篇")) == ["q2？"]


def test_plain_line_directly_in_a_section_is_a_question():
    bank = parse_lines("# 第一部分 A", "**S**", "plain question？")
    assert titles_in(bank, ("第一部分 A", "S")) == ["plain question？"]


def test_bold_item_nested_in_a_section_is_a_subcategory_even_when_empty():
    bank = parse_lines(
        "# 第一部分 A", "**S**", "     - **Empty group**", "     - **Group**", "          x？"
    )
    assert ("第一部分 A", "S", "Empty group") in bank.categories
    assert titles_in(bank, ("第一部分 A", "S", "Group")) == ["x？"]


def test_childless_chapter_item_is_an_empty_subcategory_not_a_question():
    bank = parse_lines("# 第一部分 A", "**S**", "     1. Something篇", "     2. q？")
    assert ("第一部分 A", "S", "Something篇") in bank.categories
    assert titles_in(bank, ("第一部分 A", "S")) == ["q？"]


def test_repeated_section_is_one_category_and_positions_continue():
    bank = parse_lines(
        "# 第一部分 A", "**S**", "     1. a？", "**T**", "     1. t？", " **S**", "     1. b？"
    )
    assert bank.categories == (("第一部分 A",), ("第一部分 A", "S"), ("第一部分 A", "T"))
    assert [(q.title, q.position) for q in bank.questions if q.category_path[-1] == "S"] == [
        ("a？", 0),
        ("b？", 1),
    ]


def test_only_real_list_numbering_is_stripped_from_titles():
    bank = parse_lines(
        "# 第一部分 A",
        "**S**",
        "     1. 2023年的模型有哪些？",
        "     2. 1.5B 参数的模型够用吗？",
        "     3. 3D 生成怎么做？",
        "     - 4. GPT-4 是什么？",
        "     5.  \xa0多个\t 空格  ？   ",
        "     - **加粗** 的问题？",
    )
    assert titles_in(bank, ("第一部分 A", "S")) == [
        "2023年的模型有哪些？",
        "1.5B 参数的模型够用吗？",
        "3D 生成怎么做？",
        "GPT-4 是什么？",
        "多个 空格 ？",
        "加粗 的问题？",
    ]


def test_bullet_after_nbsp_and_whitespace_only_lines_are_handled():
    bank = parse_lines("# 第一部分 A", "-\xa0**S**", "    \t", "\xa0 ", "     -\xa0q？  ")
    assert bank.categories == (("第一部分 A",), ("第一部分 A", "S"))
    assert titles_in(bank, ("第一部分 A", "S")) == ["q？"]
