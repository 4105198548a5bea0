"""The index follows every write of searchable content, in the writer's transaction, and an
index kept incrementally equals one rebuilt from scratch."""

import datetime

import pytest
from django.core.management import call_command

from jobs import services as job_services
from questions import services
from questions.models import Question
from search.models import AnswerTerms, Document, Term
from search.selectors import filters_for, plan_query, ranked_hits
from tests.jobs.factories import CompanyFactory, JobFactory
from tests.questions.factories import AnswerFactory, CategoryFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def found(text, kind="question", now=None):
    filters = filters_for(kind, now=now)
    return [hit.object_id for hit in ranked_hits(plan_query(text), filters, limit=50)]


def snapshot():
    """Everything the index holds, without row ids and timestamps."""
    documents = sorted(
        (
            d.kind,
            d.object_id,
            d.title,
            d.url,
            d.context,
            repr(sorted(d.extra.items())),
            d.category_id,
            d.answered,
            d.endorsed,
            d.expires_at,
            d.order_key,
            d.title_terms,
            d.path_terms,
            d.details_terms,
            d.answers_terms,
        )
        for d in Document.objects.all()
    )
    answers = sorted(
        (a.answer_id, a.document.object_id, a.digest, a.terms)
        for a in AnswerTerms.objects.select_related("document")
    )
    terms = sorted(Term.objects.values_list("term", "df"))
    return documents, answers, terms


@pytest.fixture
def lora_bank(db):
    peft = CategoryFactory(name="大模型（LLMs）参数高效微调(PEFT) 面")
    lora = CategoryFactory(name="LoRA篇", parent=peft)
    norm = CategoryFactory(name="Layer Normalization 篇")
    return {
        "lora": lora,
        "norm": norm,
        "what": QuestionFactory(category=lora, title="什么是 LoRA？"),
        "rms": QuestionFactory(category=norm, title="RMS Norm 的计算公式写一下？"),
    }


def test_a_members_question_is_found_once_approved_and_not_after_rejection(
    lora_bank, member, moderator
):
    question = services.question_submit(
        author=member, category=lora_bank["lora"], title="灾难性遗忘怎么缓解？", body="微调之后"
    )
    assert question.pk not in found("灾难性遗忘")

    services.question_approve(question=question, moderator=moderator)
    assert found("灾难性遗忘") == [question.pk]

    services.question_reject(question=question, moderator=moderator, reason="重复")
    assert found("灾难性遗忘") == []


def test_answers_are_searchable_once_published_and_gone_once_hidden(lora_bank, moderator):
    question = lora_bank["what"]
    answer = services.answer_create(
        question=question, author=moderator, body="它冻结原权重，只训练两个低秩矩阵，显存占用小。"
    )
    assert found("低秩矩阵") == [question.pk]
    assert Document.objects.get(object_id=question.pk).answered

    services.answer_update(answer=answer, editor=moderator, body="改成：梯度检查点也能省显存。")
    assert found("低秩矩阵") == []
    assert found("梯度检查点") == [question.pk]

    services.answer_hide(answer=answer, moderator=moderator, reason="不准确")
    assert found("梯度检查点") == []
    assert not Document.objects.get(object_id=question.pk).answered


def test_a_pending_answer_is_found_only_after_approval(lora_bank, member, moderator):
    question = lora_bank["what"]
    answer = services.answer_create(
        question=question, author=member, body="旁路的低秩分解矩阵，只训练 A 和 B。"
    )
    assert found("低秩分解") == []

    services.answer_approve(answer=answer, moderator=moderator)
    assert found("低秩分解") == [question.pk]

    services.answer_endorse(answer=answer, moderator=moderator)
    assert Document.objects.get(object_id=question.pk).endorsed


def test_moving_and_merging_questions_update_the_index(lora_bank, moderator):
    services.question_move(
        question=lora_bank["rms"], category=lora_bank["lora"], moderator=moderator
    )
    document = Document.objects.get(object_id=lora_bank["rms"].pk)
    assert document.category_id == lora_bank["lora"].pk
    assert "LoRA篇" in document.context

    duplicate = QuestionFactory(category=lora_bank["lora"], title="LoRA 是什么意思")
    AnswerFactory(question=duplicate, body="低秩适配：在冻结的权重旁加旁路。")
    services.question_merge(source=duplicate, target=lora_bank["what"], moderator=moderator)
    assert found("旁路") == [lora_bank["what"].pk]
    assert not Document.objects.filter(object_id=duplicate.pk).exists()


def test_writes_that_roll_back_leave_the_index_as_it_was(lora_bank, moderator):
    question = lora_bank["what"]
    before = snapshot()
    with pytest.raises(services.InvalidTransition):
        # the approve of an already published question fails after nothing was committed
        services.question_approve(question=question, moderator=moderator)
    assert snapshot() == before


def test_jobs_are_found_while_live(recruiter, moderator):
    company = CompanyFactory(name="深度求索", recruiters=[recruiter])
    job = JobFactory(company=company, title="大模型推理加速工程师", status="pending")
    assert found("推理加速", "job") == []

    job_services.job_publish(job=job, moderator=moderator)
    assert found("推理加速", "job") == [job.pk]
    assert found("深度求索", "job") == [job.pk]  # the company is indexed with the posting
    assert found("inference acceleration", "job") == [job.pk]

    job_services.job_archive(job=job, actor=recruiter)
    assert found("推理加速", "job") == []


def test_a_job_past_its_expiry_is_not_found_even_before_the_expiry_task_runs(recruiter):
    job = JobFactory(title="RLHF 算法工程师", published=True)
    assert found("RLHF", "job") == [job.pk]
    after_expiry = job.expires_at + datetime.timedelta(minutes=1)
    assert found("RLHF", "job", now=after_expiry) == []


def test_the_bank_import_indexes_every_question(seed_bank):
    assert Document.objects.filter(kind="question").count() == Question.objects.count() == 164


def test_incremental_index_equals_a_rebuild(seed_bank, member, moderator, recruiter):
    # A history of writes through the services: submissions, answers, edits, moderation,
    # moves, a merge, jobs through their lifecycle.
    questions = list(Question.objects.order_by("pk")[:6])
    lora = questions[0].category
    asked = services.question_submit(author=member, category=lora, title="LoRA 的秩怎么选？")
    services.question_approve(question=asked, moderator=moderator)
    first = services.answer_create(
        question=questions[1], author=moderator, body="复读机问题：重复生成。"
    )
    services.answer_create(
        question=questions[1], author=moderator, body="第二个回答：温度与 top-p。"
    )
    services.answer_update(answer=first, editor=moderator, body="改写：四个模型同时训练。")
    services.answer_endorse(answer=first, moderator=moderator)
    pending = services.answer_create(
        question=questions[2], author=member, body="一个待审核的回答：温度越高越发散。"
    )
    services.answer_approve(answer=pending, moderator=moderator)
    services.answer_hide(answer=pending, moderator=moderator, reason="跑题")
    services.question_move(question=questions[3], category=lora, moderator=moderator)
    services.question_merge(source=questions[4], target=questions[1], moderator=moderator)
    services.question_reject(question=questions[5], moderator=moderator, reason="重复")
    company = CompanyFactory(recruiters=[recruiter])
    job = JobFactory(company=company, status="pending", title="多模态大模型研究员")
    job_services.job_publish(job=job, moderator=moderator)
    job_services.job_set_featured(job=job, moderator=moderator, featured=True)
    gone = JobFactory(company=company, status="pending", title="数据工程师")
    job_services.job_publish(job=gone, moderator=moderator)
    job_services.job_mark_filled(job=gone, actor=recruiter)

    incremental = snapshot()
    call_command("rebuild_search_index", stdout=None)
    rebuilt = snapshot()

    assert incremental == rebuilt
    assert len(rebuilt[0]) == Question.objects.published().count() + 1


def test_rebuild_command_reports_what_it_indexed(seed_bank, capsys):
    Document.objects.all().delete()
    call_command("rebuild_search_index")
    assert "Indexed 164 questions and 0 jobs" in capsys.readouterr().out
    assert Document.objects.count() == 164
