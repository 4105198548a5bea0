"""Preferences on the settings page and at sign-up; defaults when nothing was chosen."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from digests.models import DigestPreference
from digests.services import digest_preferences_create_missing
from tests.digests.factories import DigestPreferenceFactory
from tests.factories import PASSWORD, UserFactory
from tests.jobs.factories import TagFactory
from tests.questions.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_the_settings_page_shows_the_digest_form_with_the_defaults(client, member):
    client.force_login(member)

    response = client.get(reverse("accounts:settings"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="digests"' in html
    assert f'action="{reverse("digests:preferences")}"' in html
    assert re.search(r'value="weekly"[^>]* checked', html)
    assert re.search(r'<option value="Asia/Shanghai" selected>', html)
    assert re.search(r'<option value="9" selected>09:00</option>', html)
    assert not DigestPreference.objects.exists()  # showing the form writes nothing


def test_saving_preferences_stores_and_reschedules_them(client, member):
    peft = CategoryFactory(name="参数高效微调")
    rlhf = TagFactory(name="RLHF")
    client.force_login(member)

    response = client.post(
        reverse("digests:preferences"),
        {
            "frequency": "daily",
            "weekday": "0",
            "hour": "21",
            "time_zone": "Europe/Berlin",
            "categories": [peft.pk],
            "job_tags": [rlhf.pk],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:settings") + "#digests"
    preference = DigestPreference.objects.get(user=member)
    assert (preference.frequency, preference.hour, preference.time_zone) == (
        "daily",
        21,
        "Europe/Berlin",
    )
    assert list(preference.categories.all()) == [peft]
    assert list(preference.job_tags.all()) == [rlhf]
    local = preference.next_due_at.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert preference.next_due_at > timezone.now()
    assert local.hour in (21, 22)  # 21:00 in Berlin, winter or summer time


def test_an_unknown_time_zone_is_refused(client, member):
    client.force_login(member)

    response = client.post(
        reverse("digests:preferences"),
        {"frequency": "weekly", "weekday": "0", "hour": "9", "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 200
    assert "time_zone" in response.context["digest_form"].errors
    assert not DigestPreference.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("digests:preferences"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_saving_preferences_resumes_a_paused_member(client):
    preference = DigestPreferenceFactory(paused_at=timezone.now(), next_due_at=None)
    client.force_login(preference.user)
    DigestPreference.objects.filter(pk=preference.pk).update(paused_at=timezone.now())

    client.post(
        reverse("digests:preferences"),
        {"frequency": "weekly", "weekday": "0", "hour": "9", "time_zone": "Asia/Shanghai"},
    )

    preference.refresh_from_db()
    assert preference.paused_at is None
    assert preference.next_due_at is not None


def _sign_up(client, **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": "lihua@example.com",
            "username": "李华",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **extra,
        },
    )


def test_the_sign_up_form_asks_for_the_digest_frequency(client):
    response = client.get(reverse("account_signup"))

    assert 'name="digest_frequency"' in response.content.decode()


def test_a_frequency_chosen_at_sign_up_is_kept(client):
    _sign_up(client, digest_frequency="daily")

    preference = DigestPreference.objects.get(user__email="lihua@example.com")
    assert preference.frequency == "daily"
    assert preference.next_due_at is not None


def test_signing_up_without_choosing_gets_the_weekly_default(client):
    _sign_up(client)

    preference = DigestPreference.objects.get(user__email="lihua@example.com")
    assert (preference.frequency, preference.weekday, preference.hour, preference.time_zone) == (
        "weekly",
        0,
        9,
        "Asia/Shanghai",
    )


def test_members_without_preferences_get_the_defaults_lazily():
    members = [UserFactory() for _ in range(3)]
    a_monday_at_nine = dt.datetime(2025, 6, 9, 1, 0, 30, tzinfo=dt.UTC)

    created = digest_preferences_create_missing(now=a_monday_at_nine)
    again = digest_preferences_create_missing(now=a_monday_at_nine)

    assert (created, again) == (3, 0)
    for member in members:
        preference = DigestPreference.objects.get(user=member)
        assert preference.frequency == "weekly"
        # Created during the slot's hour: due in this run, not next week.
        assert preference.next_due_at == dt.datetime(2025, 6, 9, 1, 0, tzinfo=dt.UTC)


def test_moderators_can_read_the_delivery_log_but_not_change_it(client, moderator):
    from tests.digests.factories import DigestDeliveryFactory

    delivery = DigestDeliveryFactory()
    client.force_login(moderator)

    listing = client.get(reverse("admin:digests_digestdelivery_changelist"))
    detail = client.get(reverse("admin:digests_digestdelivery_change", args=[delivery.pk]))
    preferences = client.get(reverse("admin:digests_digestpreference_changelist"))

    assert (listing.status_code, detail.status_code, preferences.status_code) == (200, 200, 200)
    assert "Save" not in detail.content.decode() and "保存" not in detail.content.decode()
