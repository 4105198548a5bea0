"""One source of truth for the site's name and address: SITE_URL and SITE_NAME from the
environment (`make run` sets SITE_URL for its port), used by the Site row that allauth's mails
read, the Atom feed, our mails and the JSON-LD. Nothing says "example.com"."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.jobs.factories import CompanyFactory, JobFactory

ROOT = Path(__file__).resolve().parent.parent
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://llmprep.test:9443"

# Module-wide, so that the database (whose set-up resets the mail outbox) comes before mailoutbox.
pytestmark = pytest.mark.django_db


def _make_dry_run(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    environment.update(env)
    done = subprocess.run(
        ["make", "-n", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _line_running(output: str, command: str) -> str:
    return next(line for line in output.splitlines() if command in line)


def test_make_run_on_another_port_sets_site_url_to_that_port():
    output = _make_dry_run("run", "PORT=9000")

    assert "SITE_URL='http://127.0.0.1:9000'" in _line_running(output, "runserver 127.0.0.1:9000")
    assert "SITE_URL='http://127.0.0.1:9000'" in _line_running(output, "manage.py migrate")


def test_make_run_keeps_a_site_url_given_in_the_environment():
    output = _make_dry_run("run", SITE_URL="https://llmprep.example.org")

    assert "SITE_URL='https://llmprep.example.org'" in _line_running(output, "runserver")


def test_the_settings_take_the_name_and_address_from_the_environment():
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(SITE_URL=f"{SITE}/", SITE_NAME="LLM 面试练习场")
    done = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.SITE_URL, settings.SITE_NAME, "
            "settings.DEFAULT_FROM_EMAIL, sep='|')",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        f"{SITE}|LLM 面试练习场|LLM 面试练习场 <noreply@localhost>"
    )


def test_migrate_sets_the_site_row_from_site_url_and_site_name(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "LLM 面试练习场"

    call_command("migrate", verbosity=0)

    site = Site.objects.get_current()
    assert (site.domain, site.name) == ("llmprep.test:9443", "LLM 面试练习场")


def test_the_default_site_row_is_never_example_com():
    site = Site.objects.get_current()

    assert site.domain == "127.0.0.1:8000"
    assert site.name == "大模型面试准备"


@pytest.fixture
def company(recruiter):
    return CompanyFactory(recruiters=[recruiter])


@pytest.fixture
def site_from_environment(settings, db):
    settings.SITE_URL = SITE
    call_command("migrate", verbosity=0)  # as `make run` and the compose `web` service do
    return settings


def test_sign_up_mail_names_the_site_not_example_com(client, mailoutbox, site_from_environment):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lihua@example.org",
            "username": "李华",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302, response.content.decode()[-3000:]
    (mail,) = mailoutbox
    assert "example.com" not in mail.subject + mail.body
    assert mail.subject.startswith("[大模型面试准备] ")
    assert "大模型面试准备" in mail.body
    assert "llmprep.test:9443" in mail.body


def test_password_reset_mail_names_the_site_not_example_com(
    client, mailoutbox, site_from_environment
):
    user = UserFactory()

    client.post(reverse("account_reset_password"), {"email": user.email})

    (mail,) = mailoutbox
    assert "example.com" not in mail.subject + mail.body
    assert "大模型面试准备" in mail.subject + mail.body


def test_the_atom_feed_links_are_absolute_from_site_url(client, site_from_environment, company):
    job = JobFactory(company=company, published=True, title="大模型算法工程师")

    root = ElementTree.fromstring(client.get(reverse("jobs:feed")).content)

    links = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert f"{SITE}{reverse('jobs:list')}" in links
    assert f"{SITE}{reverse('jobs:feed')}" in links
    assert f"{SITE}{job.get_absolute_url()}" in links
    assert all(link.startswith(SITE) for link in links)
    assert root.find(f"{ATOM}title").text == "AI 职位 · 大模型面试准备"
    assert "example.com" not in ElementTree.tostring(root, encoding="unicode")


def test_the_feed_ignores_a_stale_site_row(client, settings, company):
    # Even if the Site row was never synced (no migrate since SITE_URL changed), the feed's
    # links come from SITE_URL.
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    Site.objects.clear_cache()
    settings.SITE_URL = SITE
    JobFactory(company=company, published=True)

    body = client.get(reverse("jobs:feed")).content.decode()

    assert "example.com" not in body
    assert SITE in body


def test_job_posting_json_ld_uses_site_url(client, site_from_environment, company):
    job = JobFactory(company=company, published=True)

    html = client.get(job.get_absolute_url()).content.decode()

    payload = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(payload.group(1))["url"] == f"{SITE}{job.get_absolute_url()}"


def test_moderation_mails_link_to_site_url(
    mailoutbox, site_from_environment, moderator, django_capture_on_commit_callbacks
):
    from questions import services
    from tests.questions.factories import QuestionFactory

    question = QuestionFactory(status="pending", source="member", author=UserFactory())

    with django_capture_on_commit_callbacks(execute=True):
        services.question_approve(question=question, moderator=moderator)

    (mail,) = mailoutbox
    assert f"{SITE}{question.get_absolute_url()}" in mail.body
    assert "example.com" not in mail.body
