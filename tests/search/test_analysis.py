"""search.analysis: what becomes an index term, and what a query asks for."""

import pytest

from search.analysis import (
    analyse_query,
    index_terms,
    normalise,
    normalise_with_map,
    split_han_word,
    vocabulary,
)


def terms(text):
    return set(index_terms(text).split())


def query_terms(text):
    return analyse_query(text).all_terms


def matches(query, text):
    """Every concept of the query has an alternative among the text's terms."""
    found = terms(text)
    return all(set(c.alternatives) & found for c in analyse_query(query).concepts)


def test_nfkc_turns_full_width_into_half_width_and_case_folds():
    assert normalise("ＬｏＲＡ　ＲＭＳＮｏｒｍ") == "lora rmsnorm"
    assert matches("lora", "ＬｏＲＡ 的思路")


def test_chinese_numerals_before_a_measure_word_become_digits():
    assert normalise("四个模型 三个阶段 十二层 两种方法") == "4个模型 3个阶段 12层 2种方法"
    # not where they do not count anything
    assert normalise("统一一下") == "统一一下"


def test_a_count_matches_as_one_term():
    assert matches("四个模型", "同时存在4个模型（2训练，2推理）")
    assert not matches("四个模型", "痛点4：召回与模型")


def test_normalise_with_map_points_back_into_the_original_text():
    text = "ＲＭＳ　Norm 有四个"
    normal, mapping = normalise_with_map(text)
    assert normal == "rms norm 有4个"
    assert text[mapping[normal.index("4")]] == "四"


@pytest.mark.parametrize(
    "spelling", ["RMSNorm", "RMS Norm", "rms-norm", "RMS_Norm", "ＲＭＳＮｏｒｍ"]
)
def test_latin_compounds_with_and_without_spaces_or_hyphens_match_each_other(spelling):
    for other in ["RMSNorm", "RMS Norm", "rms-norm"]:
        assert matches(spelling, other), (spelling, other)


def test_english_words_are_stemmed_but_tokenizer_is_not_token():
    assert matches("biases", "Attention with Linear Bias")
    assert matches("embeddings", "LangChain 如何Embedding")
    assert not matches("tokenizer", "SFT需要训练Token数？")
    assert matches("tokenizers", "LLMs Tokenizer 篇")


def test_jieba_keeps_the_fields_terms_whole_and_finds_their_parts():
    assert {"灾难性遗忘", "遗忘"} <= terms("灾难性遗忘是怎么回事")
    assert {"复读机", "复读机问题"} <= terms("LLMs 复读机问题")
    assert {"长度外推", "外推"} <= terms("什么是 长度外推问题？")
    assert {"位置编码", "旋转位置编码"} <= terms("旋转位置编码 RoPE")
    assert "词表扩增" in terms("领域模型词表扩增是不是有必要的？")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("LoRA", "低秩适配"),
        ("低秩适配", "什么是 LoRA？"),
        ("RMSNorm", "均方根归一化"),
        ("均方根归一化", "RMS Norm 的计算公式"),
        ("LayerNorm", "层归一化"),
        ("层归一化", "Layer Norm 的计算公式"),
        ("hallucination", "LLMs 存在模型幻觉问题"),
        ("幻觉", "how to reduce hallucinations"),
        ("PEFT", "参数高效微调"),
        ("参数高效微调", "PEFT 方法"),
        ("SFT", "监督微调"),
        ("SFT", "有监督微调"),
        ("有监督微调", "SFT 数据"),
        ("监督微调", "supervised fine-tuning"),
        ("RLHF", "人类反馈强化学习"),
        ("人类反馈强化学习", "RLHF 的不足"),
        ("KV cache", "键值缓存"),
        ("键值缓存", "KV-Cache 占显存"),
        ("GQA", "分组查询注意力"),
        ("分组查询注意力", "grouped-query attention"),
    ],
)
def test_synonyms_match_in_both_directions_and_across_languages(query, text):
    assert matches(query, text)


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("fine-tuning", "预训练"),
        ("预训练", "微调"),
        ("SFT", "指令微调"),
        ("LoRA", "QLoRA"),
        ("MQA", "GQA"),
        ("LayerNorm", "RMSNorm"),
        ("BatchNorm", "层归一化"),
        ("tokenizer", "token"),
    ],
)
def test_related_but_different_ideas_are_not_synonyms(query, text):
    assert not matches(query, text)


def test_query_stop_words_are_dropped_unless_nothing_else_is_left():
    assert [c.word for c in analyse_query("什么是 LoRA 的思路").concepts] == ["lora", "思路"]
    assert [c.word for c in analyse_query("什么是").concepts] == ["什么", "是"]


def test_each_typed_word_is_one_concept_with_its_alternatives():
    concepts = analyse_query("RMS Norm 和 低秩适配").concepts
    assert [c.word for c in concepts] == ["rms", "norm", "低秩适配"]
    assert "rmsnorm" in concepts[0].alternatives and "rmsnorm" in concepts[1].alternatives
    assert concepts[2].alternatives == ["lora"]


@pytest.mark.parametrize(
    "text",
    ["", "！！！", '"*NEAR:-^()', "\x00\x00", "😀🚀", "a" * 5000, "SELECT * FROM x; --"],
)
def test_odd_input_analyses_without_error(text):
    query = analyse_query(text)
    assert all(c.alternatives for c in query.concepts)
    assert all(alt.isalnum() for alt in query.all_terms)
    assert all(term.isalnum() for term in index_terms(text).split())


def test_split_han_word_uses_the_longest_dictionary_parts():
    assert split_han_word("注入知识") == ["注入", "知识"]
    assert split_han_word("显存占用") == ["显存", "占用"]


def test_vocabulary_is_words_as_typed_and_latin_compounds():
    assert vocabulary("LangChain 中 Output Parsers 是什么？") >= {
        "langchain",
        "output",
        "parsers",
        "outputparsers",
    }
