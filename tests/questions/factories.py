import factory
from django.db.models import F
from django.utils import timezone

from llmprep.indexing import content_changed
from llmprep.markdown import render_markdown
from questions.models import Answer, Category, Question
from tests.factories import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"微调面{n}")
    position = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"为什么SFT之后感觉LLM傻了？({n})")
    body = ""
    body_html = ""
    status = Question.Status.PUBLISHED
    source = Question.Source.SEED
    published_at = factory.LazyFunction(timezone.now)
    position = factory.Sequence(int)

    @factory.post_generation
    def search_index(obj, create, extracted, **kwargs):
        # As the services would: the search index follows what was written.
        if create:
            content_changed("question", obj.pk)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(UserFactory)
    body = "RMSNorm 去掉了均值项：$\\mathrm{RMS}(a)=\\sqrt{\\frac{1}{n}\\sum_i a_i^2}$"
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    status = Answer.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def count_on_question(obj, create, extracted, **kwargs):
        # Keep the question's denormalized counter as the services would.
        if create and obj.status == Answer.Status.PUBLISHED:
            Question.objects.filter(pk=obj.question_id).update(answer_count=F("answer_count") + 1)
            content_changed("question", obj.question_id)
