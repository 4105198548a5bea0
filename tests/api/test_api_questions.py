"""The question bank API, per endpoint and per role: anonymous, member (author), another
member, recruiter, moderator."""

import pytest

from questions.models import Answer, AnswerRevision, Question, Vote
from tests.api.conftest import client_for
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "/api/v1/questions/"


def _titles(response):
    return [q["title"] for q in response.json()["results"]]


def _q(pk):
    return f"/api/v1/questions/{pk}/"


def _answers(pk):
    return f"/api/v1/questions/{pk}/answers/"


def _a(pk):
    return f"/api/v1/answers/{pk}/"


def _vote(pk):
    return f"/api/v1/answers/{pk}/vote/"


# Categories -------------------------------------------------------------------------------------


def test_categories_are_a_tree_with_question_counts(api, bank):
    response = api.get("/api/v1/categories/")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2  # the roots; sub-categories are nested
    peft = next(c for c in body["results"] if c["id"] == bank["peft"].pk)
    assert peft["name"] == "大模型（LLMs）参数高效微调(PEFT) 面"
    assert peft["question_count"] == 0
    assert peft["total_question_count"] == 2  # the pending one is not counted
    assert [c["name"] for c in peft["children"]] == ["LoRA篇"]
    assert peft["children"][0]["question_count"] == 2
    assert peft["children"][0]["children"] == []


# Question list ----------------------------------------------------------------------------------


def test_list_shows_published_questions_in_bank_order_and_is_paginated(api, bank):
    response = api.get(QUESTIONS, {"page_size": 2})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")
    assert "LoRA 的秩应该怎么选？" not in _titles(api.get(QUESTIONS))
    first = body["results"][0]
    assert first["title"] == "什么是 LoRA？"
    assert first["category"] == {"id": bank["lora"].pk, "name": "LoRA篇"}
    assert first["answer_count"] == 2
    assert first["web_url"].startswith("http://testserver/questions/")


def test_the_authors_pending_question_is_not_in_the_list(as_member, bank):
    assert "LoRA 的秩应该怎么选？" not in _titles(as_member.get(QUESTIONS))


def test_search_finds_chinese_words(api, bank):
    assert _titles(api.get(QUESTIONS, {"search": "位置编码"})) == ["旋转位置编码 RoPE 思路是什么？"]
    # Any word may match; the question matching both (思路 in its title, LoRA in its category)
    # ranks first, then those matching one.
    titles = _titles(api.get(QUESTIONS, {"search": "LoRA 思路"}))
    assert titles[0] == "QLoRA 的思路是怎么样的？"
    assert sorted(titles[1:]) == ["什么是 LoRA？", "旋转位置编码 RoPE 思路是什么？"]


def test_category_filter_includes_subcategories(api, bank):
    response = api.get(QUESTIONS, {"category": bank["peft"].pk})

    assert sorted(_titles(response)) == sorted(["什么是 LoRA？", "QLoRA 的思路是怎么样的？"])


def test_unanswered_filter(api, bank):
    response = api.get(QUESTIONS, {"unanswered": "true"})

    assert sorted(_titles(response)) == sorted(
        ["QLoRA 的思路是怎么样的？", "旋转位置编码 RoPE 思路是什么？"]
    )


def test_ordering_by_most_answers(api, bank):
    AnswerFactory.create_batch(3, question=bank["rope_q"])

    titles = _titles(api.get(QUESTIONS, {"ordering": "answers"}))

    assert titles[:2] == ["旋转位置编码 RoPE 思路是什么？", "什么是 LoRA？"]


def test_an_unknown_category_is_a_404(api, bank):
    response = api.get(QUESTIONS, {"category": 999999})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"ordering": "random"}, "ordering"),
        ({"unanswered": "maybe"}, "unanswered"),
        ({"category": "abc"}, "category"),
        ({"search": "x" * 101}, "search"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
    ],
)
def test_invalid_filters_are_a_400_with_field_errors(api, bank, params, field):
    response = api.get(QUESTIONS, params)

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_an_empty_choice_is_a_400_but_an_empty_search_is_no_filter(api, bank):
    empty_choice = api.get(QUESTIONS, {"ordering": "", "unanswered": ""})
    empty_search = api.get(QUESTIONS, {"search": ""})

    assert empty_choice.status_code == 400
    assert set(empty_choice.json()["error"]["fields"]) == {"ordering", "unanswered"}
    assert empty_search.json()["count"] == 3


@pytest.mark.parametrize("page", ["2", "0", "abc", "99999999999999999999"])
def test_a_page_out_of_range_is_a_404(api, bank, page):
    response = api.get(QUESTIONS, {"page": page})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


# Question detail --------------------------------------------------------------------------------


def test_a_published_question_is_public(api, bank):
    response = api.get(_q(bank["what_is_lora"].pk))

    body = response.json()
    assert response.status_code == 200
    assert body["title"] == "什么是 LoRA？"
    assert body["status"] == "published"
    assert body["author"] is None  # seed questions have none
    assert set(body) >= {"body", "body_html", "category", "answer_count", "web_url"}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("api", 404),
        ("as_member", 200),  # the author
        ("as_other_member", 404),
        ("as_recruiter", 404),
        ("as_moderator", 200),
    ],
)
def test_a_pending_question_is_visible_to_its_author_and_moderators_only(
    request, bank, who, status
):
    client = request.getfixturevalue(who)

    response = client.get(_q(bank["pending_q"].pk))

    assert response.status_code == status
    if status == 200:
        assert response.json()["status"] == "pending"
        assert response.json()["author"]["display_name"]


@pytest.mark.parametrize("pk", ["0", "999999", "9223372036854775807", "99999999999999999999"])
def test_unknown_question_ids_are_404(api, bank, pk):
    response = api.get(f"/api/v1/questions/{pk}/")

    assert response.status_code == 404
    assert set(response.json()["error"]) == {"code", "message"}
    assert response.json()["error"]["code"] == "not_found"


def test_a_url_that_matches_nothing_under_api_is_a_json_404(api):
    response = api.get("/api/v1/questions/abc/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"


# Submitting a question --------------------------------------------------------------------------


def test_a_member_submits_a_question_that_waits_for_review(as_member, member, bank):
    response = as_member.post(
        QUESTIONS,
        {"title": "  什么是   DPO？ ", "category": bank["lora"].pk, "body": "和 **RLHF** 比较"},
        format="json",
    )

    body = response.json()
    question = Question.objects.get(pk=body["id"])
    assert response.status_code == 201
    assert body["status"] == "pending"
    assert body["title"] == "什么是 DPO？"
    assert "<strong>RLHF</strong>" in body["body_html"]
    assert question.author == member
    assert question.status == Question.Status.PENDING


def test_a_moderators_question_is_published_directly(as_moderator, bank):
    response = as_moderator.post(
        QUESTIONS, {"title": "什么是 PPO？", "category": bank["lora"].pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "published"


def test_anonymous_cannot_submit(api, bank):
    response = api.post(QUESTIONS, {"title": "什么是 PPO？", "category": bank["lora"].pk})

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not Question.objects.filter(title="什么是 PPO？").exists()


def test_an_unverified_member_cannot_submit(unverified_member, bank):
    client = client_for(unverified_member)

    response = client.post(QUESTIONS, {"title": "什么是 PPO？", "category": bank["lora"].pk})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "什么是 PPO？", "category": "LORA", "votes": 5}, "votes"),
        ({"title": "什么是 PPO？", "category": "LORA", "status": "published"}, "status"),
        ({"title": 12345, "category": "LORA"}, "title"),
        ({"title": "短", "category": "LORA"}, "title"),
        ({"title": "      x    ", "category": "LORA"}, "title"),
        ({"title": "x" * 201, "category": "LORA"}, "title"),
        ({"title": "什么是 PPO？", "category": "1"}, "category"),
        ({"title": "什么是 PPO？", "category": 999999}, "category"),
        ({"title": "什么是 PPO？", "category": 2**70}, "category"),
        ({"title": "什么是 PPO？", "category": True}, "category"),
        ({"title": "什么是 PPO？", "category": "LORA", "body": None}, "body"),
        ({"title": "什么是\x00PPO？", "category": "LORA"}, "title"),
        ({"category": "LORA"}, "title"),
    ],
)
def test_bad_questions_are_400_with_field_errors(as_member, bank, payload, field):
    payload = {**payload}
    if payload.get("category") == "LORA":
        payload["category"] = bank["lora"].pk

    response = as_member.post(QUESTIONS, payload, format="json")

    error = response.json()["error"]
    assert response.status_code == 400, response.json()
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_malformed_json_is_a_400(as_member, bank):
    response = as_member.generic(
        "POST", QUESTIONS, '{"title": "什么是', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_a_json_list_instead_of_an_object_is_a_400(as_member, bank):
    response = as_member.post(QUESTIONS, [1, 2], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()["error"]["fields"]


def test_a_form_post_is_a_415(as_member, bank):
    response = as_member.post(QUESTIONS, {"title": "什么是 PPO？"}, format="multipart")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


# Answers ----------------------------------------------------------------------------------------


def test_anonymous_sees_only_published_answers_with_scores(api, bank):
    response = api.get(_answers(bank["what_is_lora"].pk))

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 2
    assert {a["id"] for a in body["results"]} == {bank["by_other"].pk, bank["by_member"].pk}
    first = body["results"][0]
    assert set(first) >= {"score", "viewer_vote", "body_html", "author", "is_endorsed"}
    assert (
        "<math" in next(a for a in body["results"] if a["id"] == bank["by_other"].pk)["body_html"]
    )


def test_the_author_also_sees_their_pending_answer(as_member, bank):
    ids = {a["id"] for a in as_member.get(_answers(bank["what_is_lora"].pk)).json()["results"]}

    assert bank["pending_a"].pk in ids


def test_another_member_does_not_see_the_pending_answer(as_other_member, bank):
    ids = {
        a["id"] for a in as_other_member.get(_answers(bank["what_is_lora"].pk)).json()["results"]
    }

    assert bank["pending_a"].pk not in ids


def test_moderators_see_pending_and_hidden_answers(as_moderator, bank):
    lora = {a["id"] for a in as_moderator.get(_answers(bank["what_is_lora"].pk)).json()["results"]}
    qlora = {a["id"] for a in as_moderator.get(_answers(bank["qlora"].pk)).json()["results"]}

    assert bank["pending_a"].pk in lora
    assert bank["hidden_a"].pk in qlora


def test_answers_of_a_pending_question_are_404_for_others(as_other_member, bank):
    assert as_other_member.get(_answers(bank["pending_q"].pk)).status_code == 404


def test_the_answer_list_shows_the_callers_vote(as_member, member, bank):
    Vote.objects.create(user=member, answer=bank["by_other"], value=-1)

    results = as_member.get(_answers(bank["what_is_lora"].pk)).json()["results"]

    votes = {a["id"]: a["viewer_vote"] for a in results}
    assert votes[bank["by_other"].pk] == -1
    assert votes[bank["by_member"].pk] == 0


def test_a_new_members_answer_waits_for_review(bank):
    newcomer = UserFactory()
    client = client_for(newcomer)

    response = client.post(
        _answers(bank["rope_q"].pk),
        {"body": "RoPE 用旋转矩阵把绝对位置编码成相对位置：$q_m^T k_n$ 只依赖 $m-n$。"},
        format="json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["status"] == "pending"
    assert body["author"]["username"] == newcomer.username
    assert "<math" in body["body_html"]
    assert Answer.objects.get(pk=body["id"]).author == newcomer


def test_a_moderators_answer_is_published(as_moderator, bank):
    response = as_moderator.post(
        _answers(bank["rope_q"].pk), {"body": "参考答案：旋转位置编码……"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["status"] == "published"
    bank["rope_q"].refresh_from_db()
    assert bank["rope_q"].answer_count == 1


def test_a_pending_question_cannot_be_answered(as_member, bank):
    response = as_member.post(
        _answers(bank["pending_q"].pk), {"body": "自问自答，足够长的回答。"}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "太短"},
        {"body": "          够长了吗"},
        {"body": 1234567890123},
        {},
        {"body": "足够长的回答内容。", "score": 100},
    ],
)
def test_bad_answers_are_400(as_member, bank, payload):
    response = as_member.post(_answers(bank["rope_q"].pk), payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_anonymous_and_unverified_cannot_answer(api, unverified_member, bank):
    payload = {"body": "足够长的回答内容。"}

    assert api.post(_answers(bank["rope_q"].pk), payload, format="json").status_code == 401
    unverified = client_for(unverified_member)
    assert unverified.post(_answers(bank["rope_q"].pk), payload, format="json").status_code == 403


def test_an_answer_reads_with_its_score_and_the_callers_vote(as_member, member, bank):
    answer = bank["by_other"]
    Vote.objects.create(user=member, answer=answer, value=1)
    answer.score = 1
    answer.save()

    body = as_member.get(_a(answer.pk)).json()

    assert body["score"] == 1
    assert body["viewer_vote"] == 1
    assert body["question"] == bank["what_is_lora"].pk
    assert body["web_url"].endswith(f"#answer-{answer.pk}")


@pytest.mark.parametrize(
    ("who", "pending", "hidden"),
    [
        ("api", 404, 404),
        ("as_member", 200, 404),  # author of the pending answer
        ("as_other_member", 404, 404),  # author of the hidden one: hidden is hidden
        ("as_recruiter", 404, 404),
        ("as_moderator", 200, 200),
    ],
)
def test_answer_visibility_per_role(request, bank, who, pending, hidden):
    client = request.getfixturevalue(who)

    assert client.get(_a(bank["pending_a"].pk)).status_code == pending
    assert client.get(_a(bank["hidden_a"].pk)).status_code == hidden


def test_the_author_edits_an_answer_and_the_old_text_is_kept(as_member, member, bank):
    answer = bank["by_member"]
    old = answer.body

    response = as_member.patch(
        _a(answer.pk), {"body": "改进后的回答：LoRA 的秩 $r$ 远小于 $d$。"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["body"] == "改进后的回答：LoRA 的秩 $r$ 远小于 $d$。"
    assert "<math" in response.json()["body_html"]
    assert AnswerRevision.objects.get(answer=answer).body == old
    put = as_member.put(_a(answer.pk), {"body": "再改一次，也是足够长的。"}, format="json")
    assert put.status_code == 200
    assert AnswerRevision.objects.filter(answer=answer).count() == 2


@pytest.mark.parametrize("who", ["as_other_member", "as_moderator", "as_recruiter"])
def test_nobody_else_can_edit_an_answer(request, bank, who):
    client = request.getfixturevalue(who)

    response = client.patch(_a(bank["by_member"].pk), {"body": "别人改的回答内容。"}, format="json")

    assert response.status_code == 404
    bank["by_member"].refresh_from_db()
    assert bank["by_member"].body != "别人改的回答内容。"


def test_anonymous_cannot_edit(api, bank):
    assert api.patch(_a(bank["by_member"].pk), {"body": "匿名的修改内容。"}).status_code == 401


def test_edit_rejects_unknown_fields(as_member, bank):
    response = as_member.patch(_a(bank["by_member"].pk), {"score": 99}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["score"]


# Votes ------------------------------------------------------------------------------------------


def test_voting_returns_the_new_score_and_the_callers_vote(as_member, bank):
    url = _vote(bank["by_other"].pk)

    up = as_member.post(url, {"value": 1}, format="json")
    down = as_member.post(url, {"value": -1}, format="json")
    withdrawn = as_member.post(url, {"value": 0}, format="json")

    assert up.status_code == 200
    assert up.json() == {"score": 1, "value": 1}
    assert down.json() == {"score": -1, "value": -1}
    assert withdrawn.json() == {"score": 0, "value": 0}
    assert not Vote.objects.filter(answer=bank["by_other"]).exists()


def test_voting_twice_changes_the_vote_not_the_count(as_member, as_moderator, bank):
    url = _vote(bank["by_other"].pk)

    as_member.post(url, {"value": 1}, format="json")
    as_member.post(url, {"value": 1}, format="json")
    last = as_moderator.post(url, {"value": 1}, format="json")

    assert last.json() == {"score": 2, "value": 1}
    assert Vote.objects.filter(answer=bank["by_other"]).count() == 2


def test_voting_on_ones_own_answer_is_refused_with_a_message(as_member, bank):
    response = as_member.post(_vote(bank["by_member"].pk), {"value": 1}, format="json")

    english = as_member.post(
        _vote(bank["by_member"].pk), {"value": 1}, format="json", headers={"accept-language": "en"}
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert "自己" in response.json()["error"]["message"]  # Chinese by default
    assert english.json()["error"]["message"] == "You cannot vote on your own answer."


@pytest.mark.parametrize("key", ["pending_a", "hidden_a"])
def test_voting_on_a_pending_or_hidden_answer_is_404(as_other_member, bank, key):
    response = as_other_member.post(_vote(bank[key].pk), {"value": 1}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload",
    [{"value": 2}, {"value": "1"}, {"value": True}, {"value": 1.0}, {}, {"value": 1, "x": 1}],
)
def test_bad_votes_are_400(as_member, bank, payload):
    response = as_member.post(_vote(bank["by_other"].pk), payload, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]


def test_anonymous_and_unverified_cannot_vote(api, unverified_member, bank):
    url = _vote(bank["by_other"].pk)

    assert api.post(url, {"value": 1}, format="json").status_code == 401
    assert client_for(unverified_member).post(url, {"value": 1}, format="json").status_code == 403


def test_recruiters_vote_like_members(as_recruiter, bank):
    response = as_recruiter.post(_vote(bank["by_other"].pk), {"value": -1}, format="json")

    assert response.json() == {"score": -1, "value": -1}


# Sessions and CSRF ------------------------------------------------------------------------------


def test_a_browser_session_works_and_csrf_is_enforced_on_writes(member, bank):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    url = _vote(bank["by_other"].pk)

    assert browser.get("/api/v1/me/").status_code == 200
    refused = browser.post(url, {"value": 1}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]

    browser.get("/settings/")  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        url, {"value": 1}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


# Seed data ---------------------------------------------------------------------------------------


def test_a_member_created_question_needs_approval_before_it_lists(as_member, moderator, bank):
    from questions.services import question_approve

    created = as_member.post(
        QUESTIONS, {"title": "什么是 KV Cache？", "category": bank["lora"].pk}, format="json"
    ).json()
    assert "什么是 KV Cache？" not in _titles(as_member.get(QUESTIONS, {"page_size": 100}))

    question_approve(question=Question.objects.get(pk=created["id"]), moderator=moderator)

    assert "什么是 KV Cache？" in _titles(as_member.get(QUESTIONS, {"page_size": 100}))


def test_question_factory_titles_are_chinese():
    # The fixtures speak Chinese like the seed bank: guards the tests above.
    assert "？" in QuestionFactory.build().title
