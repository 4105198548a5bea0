"""The README's API quick start works as written on a fresh site: its ids are those of the
imported question bank, its queries find questions, its writes succeed. The commands are read
from the README itself, so an example cannot drift from the bank unnoticed."""

import shlex
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from accounts.services import api_token_create
from questions.models import Answer, Category, Question
from tests.factories import UserFactory
from tests.questions.factories import AnswerFactory

README = Path(__file__).resolve().parent.parent / "README.md"

# A fresh database: the bank's ids start at 1, as after `make run`.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)


def _quick_start_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("Quick start (create a token at", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    block = block.replace("\\\n", " ")
    return [line.strip() for line in block.splitlines() if line.strip().startswith("curl ")]


def _request(command: str, substitutions: dict[str, str]) -> dict:
    for name, value in substitutions.items():
        command = command.replace(name, value)
    words = shlex.split(command)[1:]
    request = {"method": "GET", "headers": {}, "params": [], "body": None, "url": None}
    get_params = False
    words = iter(words)
    for word in words:
        if word == "-s":
            continue
        if word == "-G":
            get_params = True
        elif word == "-X":
            request["method"] = next(words)
        elif word == "-H":
            name, value = next(words).split(": ", 1)
            request["headers"][name] = value
        elif word in ("-d", "--data-urlencode"):
            value = next(words)
            if get_params:
                request["params"].append(tuple(value.split("=", 1)))
            else:
                request["body"] = value
        else:
            request["url"] = word
    if request["params"]:
        request["url"] += "?" + urlencode(request["params"])
    return request


def test_the_readme_api_examples_work_on_the_imported_bank(client):
    call_command("import_question_bank", verbosity=0)
    member = UserFactory()
    _token, secret = api_token_create(user=member, name="README")
    # Someone else's published answer to the question the README answers, for the vote.
    question = Question.objects.get(pk=78)
    theirs = AnswerFactory(
        question=question, body="LoRA 训练参数少，显存占用低，还能合并回原权重。"
    )
    substitutions = {"$API": "/api/v1", "$TOKEN": secret, "$ANSWER_ID": str(theirs.pk)}

    commands = _quick_start_commands()
    assert len(commands) == 6
    for command in commands:
        request = _request(command, substitutions)
        headers = {
            name: value for name, value in request["headers"].items() if name != "Content-Type"
        }
        if request["method"] == "GET":
            response = client.get(request["url"], headers=headers)
        else:
            response = client.generic(
                request["method"],
                request["url"],
                request["body"],
                content_type="application/json",
                headers=headers,
            )
        assert 200 <= response.status_code < 300, (command, response.content)
        data = response.json()
        results = data["results"] if isinstance(data, dict) and "results" in data else data
        # Every query finds something: no example answers with an empty list.
        assert results, command

    # What the comments say the ids are.
    assert Category.objects.get(pk=27).name == "LLMs 位置编码篇"
    assert question.title == "LoRA 微调优点是什么？"
    assert Answer.objects.filter(question=question, author=member).count() == 1
    assert theirs.votes.get().user == member


def test_the_readme_search_in_a_category_finds_its_questions_and_sub_categories(client):
    call_command("import_question_bank", verbosity=0)
    commands = [c for c in _quick_start_commands() if "category=" in c]
    assert len(commands) == 1
    request = _request(commands[0], {"$API": "/api/v1"})

    data = client.get(request["url"]).json()

    titles = [question["title"] for question in data["results"]]
    assert "什么是位置编码？" in titles
    assert "旋转位置编码 RoPE 有什么优点？" in titles  # in a sub-category
    assert all("位置编码" in title for title in titles)
