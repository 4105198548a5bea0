"""Concurrent votes on PostgreSQL: the score stays equal to the sum of the votes."""

import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from questions import services
from questions.models import Answer, Vote
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory

THREADS = 30
SAME_MEMBER_THREADS = 5  # one member double-clicking from several tabs at once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_voters_keep_score_equal_to_the_sum_of_votes(settings):
    assert connection.vendor == "postgresql"
    # This is about locking, not about the vote rate limit (tests/test_action_limits.py).
    settings.ACTION_RATE_LIMITS = {}
    answer = AnswerFactory()
    voters = [UserFactory() for _ in range(THREADS - SAME_MEMBER_THREADS)]
    repeat_voter = UserFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def vote_once(user, value):
        try:
            barrier.wait(timeout=30)
            services.vote_cast(user=user, answer_id=answer.pk, value=value)
        except BaseException as exc:  # collected and asserted on below
            errors.append(exc)
        finally:
            connections.close_all()

    def vote_repeatedly(user):
        try:
            barrier.wait(timeout=30)
            for value in [1, -1, 0, 1, 1, -1, 0, -1, 1] * 3:
                services.vote_cast(user=user, answer_id=answer.pk, value=value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=vote_once, args=(user, 1 if i % 3 else -1))
        for i, user in enumerate(voters)
    ]
    threads += [
        threading.Thread(target=vote_repeatedly, args=(repeat_voter,))
        for _ in range(SAME_MEMBER_THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    answer.refresh_from_db()
    expected_once = sum(1 if i % 3 else -1 for i in range(len(voters)))
    assert errors == []
    assert answer.score == (Vote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"])
    repeat_vote = Vote.objects.filter(answer=answer, user=repeat_voter).first()
    assert answer.score == expected_once + (repeat_vote.value if repeat_vote else 0)
    assert Vote.objects.filter(answer=answer).exclude(user=repeat_voter).count() == len(voters)
    assert Vote.objects.filter(answer=answer, user=repeat_voter).count() <= 1
    assert Answer.objects.get(pk=answer.pk).score == answer.score
