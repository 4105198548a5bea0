import pytest
from django.core.management import call_command

from questions.bank_parser import parse_bank_file
from questions.importer import DEFAULT_BANK_PATH, import_bank, import_bank_file
from questions.models import Category, Question

pytestmark = pytest.mark.django_db


def test_import_creates_the_category_tree_and_every_question_of_the_seed():
    bank = parse_bank_file(DEFAULT_BANK_PATH)

    report = import_bank_file()

    assert report.categories.created == len(bank.categories) == Category.objects.count()
    assert report.questions.created == len(bank.questions) == 164
    assert Question.objects.filter(status="published", source="seed").count() == 164
    peft = Category.objects.get(name="大模型（LLMs）参数高效微调(PEFT) 面")
    assert peft.parent.name == "第二部分：大模型一般知识点"
    lora = Category.objects.get(name="LoRA篇", parent=peft)
    assert list(lora.questions.order_by("position").values_list("title", flat=True)) == [
        "什么是 LoRA？",
        "LoRA 的思路是什么？",
        "LoRA 的特点是什么？",
    ]


def test_a_second_import_changes_nothing_and_says_so(capsys):
    call_command("import_question_bank")
    ids_before = sorted(Question.objects.values_list("pk", flat=True))

    call_command("import_question_bank")
    output = capsys.readouterr().out

    assert "questions: 0 created, 0 updated, 164 unchanged" in output
    assert "Nothing changed" in output
    assert sorted(Question.objects.values_list("pk", flat=True)) == ids_before


def test_a_changed_title_is_updated_not_duplicated(tmp_path):
    import_bank_file()
    original = DEFAULT_BANK_PATH.read_text(encoding="utf-8")
    edited = tmp_path / "bank.md"
    edited.write_text(
        original.replace("涌现能力是啥原因？", "涌现能力是什么原因？"), encoding="utf-8"
    )
    question = Question.objects.get(title="涌现能力是啥原因？")

    report = import_bank_file(edited)

    question.refresh_from_db()
    assert question.title == "涌现能力是什么原因？"
    assert report.questions.updated == 1
    assert report.questions.created == 0
    assert Question.objects.count() == 164


def test_import_keeps_answers_of_updated_questions(member):
    from tests.questions.factories import AnswerFactory

    import_bank_file()
    question = Question.objects.get(title="涌现能力是啥原因？")
    answer = AnswerFactory(question=question)
    bank = parse_bank_file(DEFAULT_BANK_PATH)

    import_bank(bank)

    assert question.answers.get() == answer


def test_missing_file_is_a_clear_command_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No such file"):
        call_command("import_question_bank", str(tmp_path / "nope.md"))
