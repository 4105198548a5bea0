import datetime
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.jobs.factories import JobFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client):
    response = client.get(reverse("jobs:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return root.findall(f"{ATOM}entry")


def test_feed_is_atom_with_live_jobs_only(client, company):
    live = JobFactory(company=company, published=True, tags=[TagFactory(name="RLHF")])
    JobFactory(company=company, status="pending")
    JobFactory(company=company, published=True, expires_at=timezone.now() - datetime.timedelta(1))
    JobFactory(company=company, status="filled")

    entries = _entries(client)

    assert len(entries) == 1
    entry = entries[0]
    assert live.title in entry.find(f"{ATOM}title").text
    assert entry.find(f"{ATOM}link").get("href").endswith(live.get_absolute_url())
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["RLHF"]
    assert "<strong>RLHF</strong>" in entry.find(f"{ATOM}summary").text


def test_feed_is_linked_from_the_list(client):
    html = client.get(reverse("jobs:list")).content.decode()

    assert 'type="application/atom+xml"' in html
    assert reverse("jobs:feed") in html
