"""The relevance set (relevance_set.py) over the real seed bank: recall@10 and MRR on this
database's engine, and on PostgreSQL the agreement of its top three with SQLite FTS5's."""

import pytest
from django.db import connection

from search.models import Document
from search.selectors import filters_for, plan_query, ranked_hits, sqlite_mirror_of_index
from tests.search.relevance_set import CASES

RECALL_AT_10 = 0.95
TOP3_AGREEMENT = 0.90


def _titles(query, using=None):
    hits = ranked_hits(
        plan_query(query, using=using), filters_for("question"), limit=10, using=using
    )
    titles = dict(Document.objects.filter(kind="question").values_list("object_id", "title"))
    return [titles[hit.object_id] for hit in hits]


def evaluate(using=None):
    found = total = 0
    reciprocal_ranks, misses = [], []
    for case in CASES:
        titles = _titles(case.query, using)
        ranks = [titles.index(t) + 1 for t in case.expected if t in titles[: case.top]]
        found += len(ranks)
        total += len(case.expected)
        reciprocal_ranks.append(1 / min(ranks) if ranks else 0.0)
        misses += [(case.kind, case.query, t) for t in case.expected if t not in titles[: case.top]]
    return found / total, sum(reciprocal_ranks) / len(CASES), misses


def test_the_relevance_set_is_big_and_varied_enough():
    assert len(CASES) >= 80
    kinds = {case.kind for case in CASES}
    assert {
        "exact title",
        "chinese",
        "english",
        "mixed",
        "extra words",
        "paraphrase",
        "typo",
    } <= kinds
    assert any(len(c.query) == 1 for c in CASES) and any(len(c.query) == 8 for c in CASES)


def test_recall_at_10_on_this_databases_engine(seed_bank):
    recall, mrr, misses = evaluate()
    print(f"\n{connection.vendor}: recall@10 {recall:.3f}, MRR {mrr:.3f}, {len(CASES)} queries")
    for miss in misses:
        print("  missed:", miss)
    assert recall >= RECALL_AT_10, misses


@pytest.mark.postgres
def test_postgresql_and_sqlite_rank_the_same_top_three(seed_bank):
    """On PostgreSQL: the SQLite FTS5 engine runs over an in-memory copy of the same index
    (same analysed text, vocabulary and order keys); their top three results must be the same
    questions for at least 90 % of the queries. On SQLite there is nothing to compare."""
    mirror = sqlite_mirror_of_index()
    recall, mrr, _misses = evaluate(using=mirror)
    same_set = same_order = 0
    differing = []
    for case in CASES:
        ours = _titles(case.query)[:3]
        theirs = _titles(case.query, mirror)[:3]
        same_set += set(ours) == set(theirs)
        same_order += ours == theirs
        if set(ours) != set(theirs):
            differing.append((case.query, ours, theirs))
    agreement = same_set / len(CASES)
    print(
        f"\nsqlite mirror: recall@10 {recall:.3f}, MRR {mrr:.3f}; top-3 agreement with "
        f"postgresql {agreement:.3f} (same order {same_order / len(CASES):.3f})"
    )
    assert recall >= RECALL_AT_10
    assert agreement >= TOP3_AGREEMENT, differing
