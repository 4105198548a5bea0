"""Search at scale: 10,000 questions with 100,000 answers (synthetic, deterministic, in the
bank's style), on SQLite FTS5 or PostgreSQL.

    python -m bench.search                                   # a throwaway SQLite database
    python -m bench.search --database-url postgres://postgres@127.0.0.1:5432/llmprep_bench
    python -m bench.search --questions 2000 --answers-per-question 5   # a quicker run

The PostgreSQL database must be a throwaway one: its tables are created by `migrate` and
emptied first. Measured, in-process (no HTTP):
- rebuild: `rebuild_search_index` from scratch, and the index's size on disk;
- query: `search.selectors.search()` as the page and the API call it (analysis, typo check,
  the two tabs' counts, one ranked page of 20 results), for the 132 queries of the relevance
  set plus 68 synthetic ones, each run three times: median and 99th percentile; and the
  highlighting of that page (titles and snippets) on its own;
- indexing cost of an answer: `answer_create` with and without the index listener, on
  questions with ten answers each, alternating: the median difference.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TERMS = [
    "LoRA",
    "QLoRA",
    "AdaLoRA",
    "P-tuning",
    "Prefix-tuning",
    "Prompt-tuning",
    "Adapter",
    "RLHF",
    "PPO",
    "DPO",
    "SFT",
    "RMSNorm",
    "LayerNorm",
    "DeepNorm",
    "RoPE",
    "ALiBi",
    "GQA",
    "MQA",
    "KV cache",
    "FlashAttention",
    "MoE",
    "BPE",
    "WordPiece",
    "SentencePiece",
    "LangChain",
    "RAG",
    "Agent",
    "ChatGLM",
    "LLaMA",
    "BERT",
    "GPT",
    "Transformer",
    "FFN",
    "GeLU",
    "SwiGLU",
    "DeepSpeed",
    "ZeRO",
    "vLLM",
    "int8",
    "fp16",
    "bf16",
    "tokenizer",
    "位置编码",
    "长度外推",
    "灾难性遗忘",
    "复读机问题",
    "幻觉",
    "词表扩增",
    "指令微调",
    "全参数微调",
    "参数高效微调",
    "奖励模型",
    "强化学习",
    "知识蒸馏",
    "量化",
    "剪枝",
    "思维链",
    "上下文学习",
    "向量数据库",
    "检索增强生成",
    "多轮对话",
    "显存",
    "推理加速",
    "混合精度",
    "梯度检查点",
    "学习率预热",
    "困惑度",
    "交叉熵",
    "注意力机制",
    "多头注意力",
    "激活函数",
    "残差连接",
    "预训练",
    "继续预训练",
    "领域模型",
    "基座模型",
    "偏好数据",
]
ASPECTS = ["思路", "原理", "优点", "缺点", "特点", "计算公式", "代码实现", "适用场景", "局限"]
TITLES = [
    "什么是 {a}？",
    "{a} 的{x}是什么？",
    "{a} 和 {b} 有什么区别？",
    "如何在{a}中使用{b}？",
    "为什么 {a} 能缓解{b}问题？",
    "{a} 训练时需要多少显存？",
    "面试官问：{a} 与 {b} 怎么选？",
    "What is the {x} of {a}?",
]
SENTENCES = [
    "{a} 的核心思路是在不改变原模型的前提下引入少量可训练参数。",
    "相比 {b}，{a} 的显存占用更小，训练速度更快。",
    "实践中常把 {a} 与 {b} 结合使用，效果更稳定。",
    "需要注意学习率和批大小，否则容易出现训练不收敛。",
    "公式上可以写成 $y = W x + \\Delta W x$，其中 $\\Delta W$ 是低秩的。",
    "In practice {a} reduces memory use and keeps inference latency low.",
    "面试时可以从动机、方法、优缺点三个方面回答 {a}。",
    "{a} 的缺点是对超参数比较敏感，而且在长文本上效果会下降。",
    "评测时一般看困惑度和下游任务的准确率。",
    "如果数据量不足，可以先做继续预训练再做 {b}。",
]
SYNTHETIC_QUERIES = [
    "{a}",
    "{a} {x}",
    "{a} 和 {b} 区别",
    "{a} 显存",
    "怎么理解 {a}",
    "{a} {b}",
]


def _setup(database_url: str) -> None:
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmprep.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def _fill(template: str, rng: random.Random) -> str:
    a, b = rng.sample(TERMS, 2)
    return template.format(a=a, b=b, x=rng.choice(ASPECTS))


def _seed(*, questions: int, answers_per_question: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from questions.importer import import_bank_file
    from questions.models import Answer, Category, Question
    from search.models import AnswerTerms, Document, Term

    call_command("migrate", verbosity=0)
    for model in (AnswerTerms, Document, Term, Answer, Question):
        model.objects.all().delete()
    User.objects.filter(email__endswith="@bench.test").delete()
    import_bank_file()  # the real categories and the 164 seed questions
    rng = random.Random(12)
    categories = list(Category.objects.all())
    authors = User.objects.bulk_create(
        User(username=f"bench{i}", email=f"bench{i}@bench.test", password="!") for i in range(200)
    )
    now = timezone.now()
    extra = questions - Question.objects.count()
    created = Question.objects.bulk_create(
        (
            Question(
                category=rng.choice(categories),
                title=_fill(rng.choice(TITLES), rng)[:200],
                status=Question.Status.PUBLISHED,
                source=Question.Source.MEMBER,
                position=1000 + i,
                published_at=now,
            )
            for i in range(extra)
        ),
        batch_size=2000,
    )
    all_questions = list(Question.objects.values_list("pk", flat=True))
    del created
    batch = []
    for pk in all_questions:
        for _ in range(answers_per_question):
            body = "".join(_fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(2, 4)))
            batch.append(
                Answer(
                    question_id=pk,
                    author=rng.choice(authors),
                    body=body,
                    body_html=f"<p>{body}</p>",
                    status=Answer.Status.PUBLISHED,
                    published_at=now,
                )
            )
        if len(batch) >= 5000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    Question.objects.update(answer_count=answers_per_question)


def _index_size() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY["
                "'search_document', 'search_answerterms', 'search_term']::regclass[]) c"
            )
            size = cursor.fetchone()[0]
        else:
            try:
                cursor.execute(
                    "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' "
                    "OR name LIKE 'sqlite_autoindex_search%'"
                )
                size = cursor.fetchone()[0]
            except Exception:
                return "n/a (this SQLite has no dbstat)"
    return f"{size / 2**20:.1f} MiB"


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _queries(rng: random.Random) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from tests.search.relevance_set import CASES

    synthetic = [_fill(rng.choice(SYNTHETIC_QUERIES), rng) for _ in range(68)]
    return [case.query for case in CASES] + synthetic


def _measure_queries(queries, repeats=3):
    from search import selectors

    timings, cpu, highlight = [], [], []
    selectors.search(text="LoRA 位置编码")  # load jieba, warm caches
    for _ in range(repeats):
        for text in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            page = selectors.search(text=text, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            started = time.perf_counter()
            selectors.with_highlights(page.results, page.plan)
            highlight.append((time.perf_counter() - started) * 1000)
    return timings, cpu, highlight


def _measure_answer_saves(samples=40):
    from accounts.models import User
    from llmprep import indexing
    from questions import services
    from questions.models import Question
    from search import indexer

    staff, _created = User.objects.get_or_create(
        username="bench-staff", defaults={"email": "staff@bench.test", "is_staff": True}
    )
    questions = list(Question.objects.order_by("pk").values_list("pk", flat=True)[: samples * 2])
    body = (
        "LoRA 的思路：冻结预训练权重，在旁路加低秩分解 $BA$，只训练 $A$、$B$；"
        "显存占用小，推理时可合入原权重，不增加延迟。相比全参数微调，它更适合资源有限的场景。"
    )
    wall = {True: [], False: []}
    cpu = {True: [], False: []}
    for i, pk in enumerate(questions):
        question = Question.objects.get(pk=pk)
        indexed = i % 2 == 0
        if not indexed:
            indexing.unregister(indexer.on_content_changed)
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            services.answer_create(question=question, author=staff, body=body + str(i))
            wall[indexed].append((time.perf_counter() - started) * 1000)
            cpu[indexed].append((time.process_time() - started_cpu) * 1000)
        finally:
            indexing.register(indexer.on_content_changed)
    median = statistics.median
    return (
        median(wall[True]) - median(wall[False]),
        median(cpu[True]) - median(cpu[False]),
        median(wall[False]),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--answers-per-question", type=int, default=10)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench-search.sqlite3"
        _setup(url)
        from django.db import connection

        from questions.models import Answer, Question
        from search.indexer import rebuild

        started = time.perf_counter()
        _seed(questions=args.questions, answers_per_question=args.answers_per_question)
        seeded = time.perf_counter() - started
        print(
            f"{connection.vendor}: {Question.objects.count():,} questions, "
            f"{Answer.objects.count():,} answers (seeded in {seeded:.0f} s)",
            flush=True,
        )

        started = time.perf_counter()
        counts = rebuild()
        print(
            f"rebuild: {counts['question']:,} documents in {time.perf_counter() - started:.1f} s; "
            f"index size {_index_size()}",
            flush=True,
        )

        queries = _queries(random.Random(7))
        timings, cpu, highlight = _measure_queries(queries)
        print(
            f"query ({len(queries)} queries × 3): median {statistics.median(timings):.1f} ms, "
            f"p99 {_percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms (wall clock; "
            f"this process's CPU time: median {statistics.median(cpu):.1f} ms, p99 "
            f"{_percentile(cpu, 0.99):.1f} ms); highlighting a page of 20: median "
            f"{statistics.median(highlight):.1f} ms",
            flush=True,
        )

        added_wall, added_cpu, plain = _measure_answer_saves()
        print(
            f"answer save: {plain:.1f} ms without the index; indexing adds {added_wall:.1f} ms "
            f"(median wall clock), {added_cpu:.1f} ms of this process's CPU time",
            flush=True,
        )


if __name__ == "__main__":
    main()
