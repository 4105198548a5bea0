"""One-click unsubscribe (RFC 8058): POST with no log-in, GET confirms, bad tokens are a 400."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client

from digests.mail import unsubscribe_token
from digests.models import DigestPreference
from digests.services import digest_batch_send
from tests.digests.factories import NOW, DigestPreferenceFactory, NewQuestionFactory

pytestmark = pytest.mark.django_db


def _url(user_id):
    return f"/digests/unsubscribe/{unsubscribe_token(user_id)}/"


def test_a_post_unsubscribes_without_logging_in():
    preference = DigestPreferenceFactory()
    # Mail clients send no cookie and no CSRF token.
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        _url(preference.user_id),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    preference.refresh_from_db()
    assert response.status_code == 200
    assert preference.frequency == "never"
    assert preference.next_due_at is None
    assert "_auth_user_id" not in client.session


def test_the_link_in_the_mail_header_unsubscribes(mailoutbox):
    NewQuestionFactory(published_at=NOW - dt.timedelta(days=1))
    preference = DigestPreferenceFactory()
    digest_batch_send(frequency="weekly", user_ids=[preference.user_id], now=NOW)
    link = mailoutbox[0].extra_headers["List-Unsubscribe"].split(">")[0].lstrip("<")

    Client(enforce_csrf_checks=True).post(urlsplit(link).path)

    preference.refresh_from_db()
    assert preference.frequency == "never"


def test_a_member_without_preferences_is_unsubscribed_too(member):
    response = Client().post(_url(member.pk))

    assert response.status_code == 200
    assert DigestPreference.objects.get(user=member).frequency == "never"


def test_a_get_shows_a_confirmation_button_and_changes_nothing(client):
    preference = DigestPreferenceFactory()

    response = client.get(_url(preference.user_id))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post">' in html
    assert "退订" in html
    preference.refresh_from_db()
    assert preference.frequency == "weekly"


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_a_clear_400(client, method):
    preference = DigestPreferenceFactory()
    token = unsubscribe_token(preference.user_id)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = getattr(client, method)(f"/digests/unsubscribe/{tampered}/")

    assert response.status_code == 400
    assert "退订链接无效" in response.content.decode()
    preference.refresh_from_db()
    assert preference.frequency == "weekly"


def test_a_token_signed_for_something_else_is_refused(client):
    from django.core import signing

    forged = signing.dumps({"u": 1}, salt="another.purpose")

    assert client.post(f"/digests/unsubscribe/{forged}/").status_code == 400


def test_unsubscribing_twice_is_harmless(client):
    preference = DigestPreferenceFactory()

    client.post(_url(preference.user_id))
    response = client.post(_url(preference.user_id))

    assert response.status_code == 200
