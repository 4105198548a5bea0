"""Build the weekly digest for many synthetic members, in batches, as the workers do, and measure
digests per second, queries per batch and peak Python memory (tracemalloc).

    python -m bench.digests                      # 100,000 members; checkpoints at 10k and 100k
    python -m bench.digests --members 20000 --checkpoints 2000,20000 --batch-size 200

It runs on a throwaway SQLite database in a temporary directory (or --database-url, which must
name an empty database). "Build" means what a batch does before handing mail to SMTP: load the
members, their preferences and last digest, load the batch's content once, pick each member's
items, and render subject, text and HTML into a complete MIME message (`message().as_bytes()`).
No mail is sent and no delivery is recorded, so every checkpoint builds the same digests.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmprep.settings")
    import django

    django.setup()
    from django.conf import settings

    # DEBUG keeps every query in memory; the benchmark counts them itself.
    settings.DEBUG = False


def _seed(*, members: int, now: dt.datetime, slot: dt.datetime, rng: random.Random) -> None:
    from allauth.account.models import EmailAddress
    from django.db import transaction

    from accounts.models import User
    from digests.models import DigestPreference
    from jobs.models import Company, Job, Tag
    from llmprep.markdown import render_markdown
    from questions.models import Answer, Category, Question

    with transaction.atomic():
        roots = [Category.objects.create(name=f"第{i}部分", position=i) for i in range(3)]
        leaves = [
            Category.objects.create(name=f"专题{r.pk}-{j}", parent=r, position=j)
            for r in roots
            for j in range(4)
        ]
        categories = roots + leaves
        authors = User.objects.bulk_create(
            User(username=f"作者{i}", email=f"author{i}@bench.test", password="!")
            for i in range(20)
        )
        week = dt.timedelta(days=7)
        questions = Question.objects.bulk_create(
            Question(
                category=rng.choice(categories),
                title=f"第{i}题：LoRA 与全参数微调在显存和效果上有什么区别？",
                status=Question.Status.PUBLISHED,
                published_at=slot - week * rng.random(),
                position=i,
            )
            for i in range(60)
        )
        body = "RMSNorm 去掉了均值项：$\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}$ " * 3
        body_html = render_markdown(body)
        Answer.objects.bulk_create(
            Answer(
                question=rng.choice(questions),
                author=rng.choice(authors),
                body=body,
                body_html=body_html,
                status=Answer.Status.PUBLISHED,
                score=rng.randint(-2, 40),
                published_at=slot - week * rng.random(),
            )
            for _ in range(200)
        )
        tags = Tag.objects.bulk_create(
            Tag(name=name, slug=name.lower())
            for name in ["RLHF", "RAG", "多模态", "推理加速", "Agent"]
        )
        company = Company.objects.create(name="深度求索")
        jobs = Job.objects.bulk_create(
            Job(
                company=company,
                title=f"大模型算法工程师 {i}",
                location="上海",
                description="负责 RLHF 训练。",
                description_html="<p>负责 RLHF 训练。</p>",
                apply_url="https://jobs.example.com/apply",
                status=Job.Status.PUBLISHED,
                published_at=slot - week * rng.random(),
                expires_at=slot + week * 4,
            )
            for i in range(30)
        )
        Job.tags.through.objects.bulk_create(
            Job.tags.through(job_id=job.pk, tag_id=tag.pk)
            for job in jobs
            for tag in rng.sample(tags, rng.randint(1, 3))
        )
    through = DigestPreference.categories.through
    tag_through = DigestPreference.job_tags.through
    chunk = 5000
    for start in range(0, members, chunk):
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(
                    username=f"学员{i}",
                    email=f"member{i}@bench.test",
                    display_name=f"张三{i}",
                    password="!",
                    language="en" if i % 5 == 0 else "zh-hans",
                    last_login=now - dt.timedelta(days=rng.randint(0, 60)),
                    # Members of some standing: a first digest reaches back only to joining.
                    date_joined=now - dt.timedelta(days=90),
                )
                for i in range(start, min(start + chunk, members))
            )
            EmailAddress.objects.bulk_create(
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
            )
            preferences = DigestPreference.objects.bulk_create(
                DigestPreference(user=u, next_due_at=slot) for u in users
            )
            # A third of the members follow one or two categories, a quarter one or two job tags;
            # the others follow everything.
            through.objects.bulk_create(
                through(digestpreference_id=p.pk, category_id=c.pk)
                for p in preferences
                if p.pk % 3 == 0
                for c in rng.sample(categories, rng.randint(1, 2))
            )
            tag_through.objects.bulk_create(
                tag_through(digestpreference_id=p.pk, tag_id=t.pk)
                for p in preferences
                if p.pk % 4 == 0
                for t in rng.sample(tags, rng.randint(1, 2))
            )
        print(f"  seeded {min(start + chunk, members):,} members", flush=True)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _run(*, limit: int, now: dt.datetime, batch_size: int, trace_memory: bool) -> dict:
    from django.db import connection

    from digests import selectors
    from digests.building import digests_build, member_plan
    from digests.mail import digest_email

    counter = QueryCounter()
    per_batch, built, size_bytes = set(), 0, 0
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        batches = selectors.digest_due_user_id_batches(now=now, frequency="weekly", size=batch_size)
        for user_ids in batches:
            user_ids = user_ids[: limit - built]
            if not user_ids:
                break
            before = counter.count
            preferences = list(
                selectors.digest_batch_members(user_ids=user_ids, frequency="weekly", now=now)
            )
            digests = digests_build([member_plan(p, now=now) for p in preferences])
            for digest in digests:
                size_bytes += len(digest_email(digest).message().as_bytes())
            # The keyset page query belongs to planning, not to the batch.
            per_batch.add(counter.count - before)
            built += len(digests)
            if built >= limit:
                break
    elapsed = time.perf_counter() - started
    peak = None
    if trace_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {
        "members": built,
        "seconds": elapsed,
        "per_second": built / elapsed,
        "queries_per_batch": sorted(per_batch),
        "peak_mib": peak / 2**20 if peak is not None else None,
        "avg_kib": size_bytes / max(built, 1) / 1024,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.digests", description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--checkpoints", default="10000,100000")
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=20250609)
    args = parser.parse_args(argv)
    checkpoints = [int(c) for c in args.checkpoints.split(",") if c]

    with tempfile.TemporaryDirectory(prefix="bench-digests-") as tmp:
        _setup(args.database_url or f"sqlite:///{tmp}/bench.sqlite3")
        from django.core.management import call_command

        from digests import schedule

        # The most recent Monday 09:00 in Shanghai; the hourly run comes 5 s later.
        now = dt.datetime.now(dt.UTC)
        slot = schedule.next_slot(
            frequency="weekly", weekday=0, hour=9, time_zone="Asia/Shanghai", after=now
        ) - dt.timedelta(days=7)
        now = slot + dt.timedelta(seconds=5)

        print(f"migrating and seeding {args.members:,} members…", flush=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        _seed(members=args.members, now=now, slot=slot, rng=random.Random(args.seed))
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)

        print(f"\nweekly digests, batches of {args.batch_size}")
        header = (
            f"{'members':>9} {'seconds':>8} {'digests/s':>10} {'queries/batch':>14} "
            f"{'peak MiB':>9} {'mail KiB':>9}"
        )
        print(header)
        for limit in checkpoints:
            speed = _run(limit=limit, now=now, batch_size=args.batch_size, trace_memory=False)
            memory = _run(limit=limit, now=now, batch_size=args.batch_size, trace_memory=True)
            print(
                f"{speed['members']:>9,} {speed['seconds']:>8.1f} {speed['per_second']:>10.0f} "
                f"{','.join(map(str, speed['queries_per_batch'])):>14} "
                f"{memory['peak_mib']:>9.1f} {speed['avg_kib']:>9.1f}",
                flush=True,
            )
        print(
            "\ndigests/s and seconds without tracemalloc; peak MiB from a second pass under "
            "tracemalloc (Python allocations during the run, the seeded database excluded)."
        )


if __name__ == "__main__":
    main()
