import pytest
from django.db import connection

from questions.importer import import_bank_file


@pytest.fixture
def seed_bank(db):
    """The real question bank (questions/data/llm_interview_bank.md), imported and indexed as
    `import_question_bank` does."""
    import_bank_file()


@pytest.fixture
def engines(db):
    """Every engine available here, by name: the database's own, and on PostgreSQL also the
    SQLite FTS5 engine over an in-memory copy of the same index (built when first used)."""
    from search.engines import engine
    from search.selectors import sqlite_mirror_of_index

    found = {connection.vendor: engine()}
    if connection.vendor != "sqlite":
        found["sqlite (mirror)"] = sqlite_mirror_of_index
    return found


@pytest.fixture
def small_bank(db):
    """A few questions in the bank's style, with an answer, and a live job: enough to search."""
    from tests.jobs.factories import JobFactory
    from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

    peft = CategoryFactory(name="大模型（LLMs）参数高效微调(PEFT) 面")
    lora = CategoryFactory(name="LoRA篇", parent=peft)
    norm = CategoryFactory(name="Layer Normalization 篇")
    what = QuestionFactory(category=lora, title="什么是 LoRA？")
    idea = QuestionFactory(category=lora, title="LoRA 的思路是什么？")
    rms = QuestionFactory(category=norm, title="RMS Norm 的计算公式写一下？")
    AnswerFactory(question=what, body="LoRA 在冻结的权重旁加一个低秩分解 $W = W_0 + BA$。")
    job = JobFactory(title="大模型推理加速工程师", published=True)
    return {
        "peft": peft,
        "lora": lora,
        "norm": norm,
        "what": what,
        "idea": idea,
        "rms": rms,
        "job": job,
    }
