import datetime

import factory
from django.utils import timezone

from jobs.models import Company, Job, RecruiterApplication, Tag, tag_slug
from llmprep.indexing import content_changed
from llmprep.markdown import render_markdown
from tests.factories import UserFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"深度求索{n}")
    website = factory.Sequence(lambda n: f"https://company{n}.example.com")
    description = "我们做大模型。"

    @factory.post_generation
    def recruiters(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.recruiters.add(*extracted)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"标签{n}")
    slug = factory.LazyAttribute(lambda o: tag_slug(o.name))


class JobFactory(factory.django.DjangoModelFactory):
    """A draft unless told otherwise; `published=True` makes it live for 29 more days."""

    class Meta:
        model = Job
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Job.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
            expires_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=29)),
        )

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"大模型算法工程师{n}")
    location = "上海"
    description = "负责 **RLHF** 训练。"
    description_html = factory.LazyAttribute(lambda o: render_markdown(o.description))
    apply_url = "https://jobs.example.com/apply"
    salary_min = 25000
    salary_max = 40000
    salary_months = 16

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.add(*extracted)

    @factory.post_generation
    def search_index(obj, create, extracted, **kwargs):
        # As the services would: the search index follows what was written.
        if create:
            content_changed("job", obj.pk)


class RecruiterApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecruiterApplication

    applicant = factory.SubFactory(UserFactory)
    company_name = factory.Sequence(lambda n: f"月之暗面{n}")
    website = "https://moonshot.example.com"
    work_email = factory.Sequence(lambda n: f"hr{n}@moonshot.example.com")
    note = "我负责招聘算法工程师。"
