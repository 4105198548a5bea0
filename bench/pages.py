"""Serve the question bank's busiest pages in-process and measure them: requests per second,
SQL queries per request, and the Markdown renderer's throughput on a formula-heavy answer.

    python -m bench.pages                    # 50 answers with 20 votes each on one question
    python -m bench.pages --answers 200 --requests 200

It runs on a throwaway SQLite database in a temporary directory with the real seed bank
imported. The query counts are the same budgets the test suite enforces; this adds the speed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAVY_ANSWER = """RMSNorm 去掉了 LayerNorm 的均值项，只保留缩放：

$$\\bar{a}_i = \\frac{a_i}{\\mathrm{RMS}(a)} g_i,\\quad
\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_{i=1}^{n} a_i^2}$$

注意力里的缩放因子是 $\\sqrt{d_k}$：$\\text{softmax}(QK^T/\\sqrt{d_k})V$。

```python
class RMSNorm(torch.nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight
```

| 方法 | 减均值 | 除标准差 |
| --- | --- | --- |
| LayerNorm | 是 | 是 |
| RMSNorm | 否 | 否（除以均方根） |
"""


def _setup(database_url: str) -> None:
    # WhiteNoise looks for collected static files, which these pages do not need.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmprep.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def _seed(*, answers: int, votes: int):
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import User
    from llmprep.markdown import render_markdown
    from questions.importer import import_bank_file
    from questions.models import Answer, Question, Vote

    call_command("migrate", verbosity=0)
    import_bank_file()
    users = User.objects.bulk_create(
        User(username=f"学员{i}", email=f"m{i}@bench.test", password="!")
        for i in range(max(answers, votes) + 1)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    question = Question.objects.get(title__startswith="RMS Norm 的计算公式")
    html = render_markdown(HEAVY_ANSWER)
    now = timezone.now()
    made = Answer.objects.bulk_create(
        Answer(
            question=question,
            author=users[i + 1],
            body=HEAVY_ANSWER,
            body_html=html,
            status=Answer.Status.PUBLISHED,
            published_at=now,
        )
        for i in range(answers)
    )
    Vote.objects.bulk_create(
        Vote(user=users[v], answer=a, value=1 if v % 4 else -1)
        for a in made
        for v in range(votes)
        if users[v].pk != a.author_id
    )
    Question.objects.filter(pk=question.pk).update(answer_count=answers)
    return question, users[0]


def _measure(client, url: str, requests: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and template loading
    timings, queries = [], set()
    for _ in range(requests):
        cache.clear()  # the API's throttles count in the cache; this is one client on purpose
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(ctx.captured_queries))
    return {
        "per_second": len(timings) / sum(timings),
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": sorted(timings)[int(len(timings) * 0.95) - 1] * 1000,
        "queries": sorted(queries),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--votes", type=int, default=20, help="votes on each answer")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        _setup(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        from django.test import Client

        from llmprep.markdown import render_markdown

        question, member = _seed(answers=args.answers, votes=args.votes)
        anonymous, logged_in = Client(), Client()
        logged_in.force_login(member)
        rows = [
            ("question page, anonymous", anonymous, question.get_absolute_url()),
            ("question page, logged in", logged_in, question.get_absolute_url()),
            ("list page (20 a page), anonymous", anonymous, "/questions/"),
            ("list page, text search 位置编码", anonymous, "/questions/?q=位置编码"),
            ("API question list", anonymous, "/api/v1/questions/"),
        ]
        print(
            f"{args.answers} answers with {args.votes} votes each on one question, "
            f"{args.requests} requests per row, SQLite, in-process (no network)"
        )
        print(f"{'page':36} {'req/s':>8} {'median ms':>10} {'p95 ms':>8}  queries")
        for label, client, url in rows:
            m = _measure(client, url, args.requests)
            print(
                f"{label:36} {m['per_second']:8.1f} {m['median_ms']:10.1f} {m['p95_ms']:8.1f}"
                f"  {','.join(map(str, m['queries']))}"
            )
        start = time.perf_counter()
        renders = 200
        for _ in range(renders):
            render_markdown(HEAVY_ANSWER)
        elapsed = time.perf_counter() - start
        print(
            f"render_markdown, formula+code+table answer ({len(HEAVY_ANSWER)} chars): "
            f"{renders / elapsed:.0f} renders/s"
        )


if __name__ == "__main__":
    main()
