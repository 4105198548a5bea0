"""The /search/ page, the header search box, the question list's text filter, and the API."""

import pytest
from django.urls import reverse

from tests.questions.factories import QuestionFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def html(response):
    return response.content.decode()


def test_an_empty_query_shows_nothing(client, small_bank):
    response = client.get("/search/")
    blank = client.get("/search/", {"q": "   "})

    assert response.status_code == blank.status_code == 200
    assert "什么是 LoRA" not in html(response) and "什么是 LoRA" not in html(blank)
    assert 'class="item-list search-results"' not in html(response)


def test_results_are_ranked_and_highlighted_with_synonyms(client, small_bank):
    response = client.get("/search/", {"q": "低秩适配 思路"})

    page = html(response)
    assert page.index("<mark>LoRA</mark> 的<mark>思路</mark>是什么？") < page.index(
        "什么是 <mark>LoRA</mark>？"
    )
    # the answer that matched is the snippet
    assert "<mark>低秩分解</mark>" not in page  # 低秩分解 was not asked for
    assert "大模型（LLMs）参数高效微调(PEFT) 面 › LoRA篇" in page


def test_snippets_come_from_the_answer_that_matched(client, small_bank):
    page = html(client.get("/search/", {"q": "冻结 权重"}))
    assert 'class="snippet"' in page
    assert "<mark>冻结</mark>的<mark>权重</mark>" in page


def test_titles_and_snippets_are_escaped(client, small_bank):
    QuestionFactory(category=small_bank["lora"], title="LoRA <script>alert(1)</script> 的秩")
    page = html(client.get("/search/", {"q": "LoRA 秩"}))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_latin_compounds_are_marked_whole(client, small_bank):
    page = html(client.get("/search/", {"q": "rmsnorm"}))
    assert "<mark>RMS Norm</mark> 的计算公式写一下？" in page


def test_htmx_gets_only_the_results_partial(client, small_bank):
    response = client.get("/search/", {"q": "LoRA"}, headers=HX)

    assert response.status_code == 200
    assert "<html" not in html(response)
    assert "什么是 <mark>LoRA</mark>？" in html(response)


def test_the_form_updates_as_you_type_and_works_without_javascript(client, small_bank):
    page = html(client.get("/search/", {"q": "LoRA"}))
    assert 'hx-trigger="input changed delay:300ms' in page
    assert 'method="get" action="/search/"' in page


def test_tabs_count_questions_and_live_jobs(client, small_bank):
    questions = html(client.get("/search/", {"q": "大模型 推理"}))
    jobs = html(client.get("/search/", {"q": "大模型 推理", "type": "jobs"}))

    assert 'type=jobs">职位 <span class="count">1</span>' in questions
    assert "<mark>大模型推理</mark>加速工程师" in jobs
    assert "1 个职位" in jobs


def test_the_category_filter_includes_sub_categories(client, small_bank):
    peft = html(client.get("/search/", {"q": "LoRA RMSNorm", "category": small_bank["peft"].pk}))
    norm = html(client.get("/search/", {"q": "LoRA RMSNorm", "category": small_bank["norm"].pk}))

    assert "什么是 <mark>LoRA</mark>" in peft and "RMS Norm" not in peft
    assert "<mark>RMS Norm</mark>" in norm and "什么是" not in norm


def test_an_unknown_category_or_type_is_ignored(client, small_bank):
    response = client.get("/search/", {"q": "LoRA", "category": "abc", "type": "x"})
    assert response.status_code == 200
    assert "什么是 <mark>LoRA</mark>" in html(response)


def test_did_you_mean_for_a_query_without_results(client, small_bank):
    page = html(client.get("/search/", {"q": "思录"}))
    assert "你是不是要找" in page
    assert "?q=%E6%80%9D%E8%B7%AF&amp;type=questions" in page  # 思路


def test_typos_in_latin_words_are_corrected_and_said_so(client, small_bank):
    page = html(client.get("/search/", {"q": "lroa"}))
    assert "什么是 <mark>LoRA</mark>？" in page
    assert "<strong>lora</strong>" in page


def test_the_page_speaks_english_too(client, small_bank):
    page = html(client.get("/search/", {"q": "LoRA"}, headers={"accept-language": "en"}))
    assert "2 questions" in page
    assert "Did you mean" not in page


@pytest.mark.parametrize("url", ["/", "/questions/", "/jobs/", "/search/"])
def test_every_page_has_the_search_box_in_its_header(client, url):
    page = html(client.get(url))
    header = page.split("</header>", 1)[0]
    assert 'action="/search/"' in header and 'name="q"' in header


def test_the_question_list_filter_uses_the_search_engine(client, small_bank):
    response = client.get(reverse("questions:list"), {"q": "低秩适配 思路"})

    titles = [q.title for q in response.context["questions"]]
    assert titles[0] == "LoRA 的思路是什么？"
    assert "什么是 LoRA？" in titles
    # an explicit sort still applies to the matches
    newest = client.get(reverse("questions:list"), {"q": "LoRA", "sort": "newest"})
    assert [q.title for q in newest.context["questions"]] == [
        "LoRA 的思路是什么？",
        "什么是 LoRA？",
    ]


def test_the_search_page_query_count_does_not_grow_with_the_results(
    client, small_bank, django_assert_max_num_queries
):
    for n in range(25):
        QuestionFactory(category=small_bank["lora"], title=f"LoRA 第{n}问")
    with django_assert_max_num_queries(12):
        response = client.get("/search/", {"q": "LoRA"})
    assert html(response).count("<li>\n          <a href=") == 20


# API ------------------------------------------------------------------------------------------


def test_the_api_searches_with_the_same_ranking(client, small_bank):
    body = client.get("/api/v1/search/", {"q": "低秩适配 思路"}).json()

    assert body["count"] == 2
    first = body["results"][0]
    assert first["title"] == "LoRA 的思路是什么？"
    assert first["title_html"] == "<mark>LoRA</mark> 的<mark>思路</mark>是什么？"
    assert first["type"] == "question"
    assert first["web_url"].startswith("http://testserver/questions/")


def test_the_api_searches_jobs_and_filters_by_category(client, small_bank):
    jobs = client.get("/api/v1/search/", {"q": "推理加速", "type": "jobs"}).json()
    norm = client.get("/api/v1/search/", {"q": "LoRA RMSNorm", "category": small_bank["norm"].pk})

    assert [r["title"] for r in jobs["results"]] == ["大模型推理加速工程师"]
    assert [r["title"] for r in norm.json()["results"]] == ["RMS Norm 的计算公式写一下？"]


def test_the_api_pages_results_and_refuses_unknown_types(client, small_bank):
    page = client.get("/api/v1/search/", {"q": "LoRA", "page_size": 1, "page": 2}).json()
    bad = client.get("/api/v1/search/", {"q": "LoRA", "type": "answers"})

    assert page["count"] == 2 and len(page["results"]) == 1 and page["previous"]
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"


def test_an_empty_api_query_finds_nothing(client, small_bank):
    assert client.get("/api/v1/search/").json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_the_schema_describes_the_search_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "type", "category", "page"}
