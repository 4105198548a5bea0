import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def _bearer(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


# The settings page --------------------------------------------------------------------------


def test_settings_page_links_to_the_token_page(client, member):
    client.force_login(member)

    html = client.get(reverse("accounts:settings")).content.decode()

    assert reverse("accounts:tokens") in html


def test_token_page_needs_a_login(client):
    response = client.get(reverse("accounts:tokens"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_creating_a_token_shows_its_secret_once_and_stores_only_a_hash(client, member):
    client.force_login(member)

    response = client.post(reverse("accounts:tokens"), {"name": "刷题小程序"})

    secret = response.context["secret"]
    token = ApiToken.objects.get(user=member)
    html = response.content.decode()
    assert response.status_code == 200
    assert secret.startswith("llmp_") and len(secret) > 40
    assert secret in html
    assert "刷题小程序" in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.key_hash}
    assert secret.startswith(token.prefix)
    # Shown once: the list page afterwards has the prefix but not the secret.
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert secret not in again
    assert token.prefix in again


def test_a_token_needs_a_name(client, member):
    client.force_login(member)

    response = client.post(reverse("accounts:tokens"), {"name": "   "})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_a_token_stops_it_working(client, member):
    token, secret = api_token_create(user=member, name="bot")
    assert _bearer(secret).get(ME).status_code == 200
    client.force_login(member)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert response.status_code == 302
    assert token.revoked_at is not None
    refused = _bearer(secret).get(ME)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "authentication_failed"


def test_a_member_cannot_revoke_someone_elses_token(client, member, other_member):
    token, secret = api_token_create(user=other_member, name="别人的")
    client.force_login(member)

    client.post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    assert token.revoked_at is None
    assert _bearer(secret).get(ME).status_code == 200


def test_revoking_twice_is_harmless(member):
    token, _secret = api_token_create(user=member, name="bot")

    assert api_token_revoke(user=member, token_id=token.pk) is True
    assert api_token_revoke(user=member, token_id=token.pk) is False


def test_revoke_needs_a_post(client, member):
    token, _secret = api_token_create(user=member, name="bot")
    client.force_login(member)

    response = client.get(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 405


# Authentication ----------------------------------------------------------------------------


def test_bearer_token_authenticates_as_its_owner(member):
    _token, secret = api_token_create(user=member, name="bot")

    response = _bearer(secret).get(ME)

    assert response.status_code == 200
    assert response.json()["username"] == member.username


def test_the_token_keyword_works_too(member):
    _token, secret = api_token_create(user=member, name="bot")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")

    assert client.get(ME).json()["username"] == member.username


@pytest.mark.parametrize(
    "header",
    ["Bearer llmp_not-a-real-token", "Bearer", "Bearer a b", "Bearer 令牌"],
)
def test_a_bad_token_is_a_401_even_on_public_endpoints(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))

    response = client.get("/api/v1/questions/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert set(response.json()["error"]) == {"code", "message"}


def test_a_deactivated_members_token_fails(member):
    _token, secret = api_token_create(user=member, name="bot")
    member.is_active = False
    member.save()

    assert _bearer(secret).get(ME).status_code == 401


def test_using_a_token_records_when_it_was_last_used(member):
    token, secret = api_token_create(user=member, name="bot")
    assert token.last_used_at is None

    _bearer(secret).get(ME)

    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)
