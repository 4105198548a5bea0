"""The curated synonym file (search/data/synonyms.txt)."""

import re

from search.analysis import SYNONYMS_FILE, form_key, synonym_table

REQUIRED = [
    ("LoRA", "低秩适配"),
    ("RMSNorm", "均方根归一化"),
    ("LayerNorm", "层归一化"),
    ("hallucination", "幻觉"),
    ("PEFT", "参数高效微调"),
    ("SFT", "监督微调"),
    ("SFT", "有监督微调"),
    ("RLHF", "人类反馈强化学习"),
    ("KV cache", "键值缓存"),
    ("GQA", "分组查询注意力"),
]
# Close in meaning or spelling, but different things: never in one group.
APART = [
    ("fine-tuning", "pre-training"),
    ("微调", "预训练"),
    ("SFT", "instruction tuning"),
    ("LoRA", "QLoRA"),
    ("LoRA", "AdaLoRA"),
    ("multi-head attention", "multi-query attention"),
    ("MQA", "GQA"),
    ("LayerNorm", "RMSNorm"),
    ("LayerNorm", "BatchNorm"),
    ("tokenizer", "token"),
    ("inference", "training"),
    ("RLHF", "DPO"),
    ("reward model", "value model"),
]


def _group_of(form):
    key = form_key(form)
    return set(synonym_table().canonical.get(key, ()))


def test_at_least_150_groups():
    assert len(synonym_table().groups) >= 150


def test_the_required_pairs_are_synonyms():
    for left, right in REQUIRED:
        assert _group_of(left) & _group_of(right), (left, right)


def test_different_ideas_are_kept_apart():
    for left, right in APART:
        assert not (_group_of(left) & _group_of(right)), (left, right)


def test_every_group_has_two_forms_and_a_plain_canonical_term():
    for keys in synonym_table().groups:
        assert len(keys) >= 2, keys
    for canonical in synonym_table().group_canonical:
        assert canonical.isalnum(), canonical


def test_no_form_is_listed_twice():
    seen = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        for form in filter(None, (f.strip() for f in line.split(","))):
            key = form_key(form)
            assert key not in seen or seen[key] == line, (form, seen.get(key))
            seen[key] = line


def test_the_file_has_no_full_width_commas_that_would_glue_forms_together():
    assert not re.search("，", SYNONYMS_FILE.read_text(encoding="utf-8"))
