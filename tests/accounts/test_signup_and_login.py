import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def _sign_up(client, email="lihua@example.com", username="李华"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_sends_a_verification_email_and_does_not_log_in(client, mailoutbox):
    response = _sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["lihua@example.com"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    user = User.objects.get(email="lihua@example.com")
    assert user.username == "李华"
    assert not EmailAddress.objects.get(user=user).verified
    assert "_auth_user_id" not in client.session


def test_sign_up_puts_the_new_user_in_the_members_group(client):
    _sign_up(client)

    user = User.objects.get(email="lihua@example.com")
    assert list(user.groups.values_list("name", flat=True)) == ["Members"]


def test_unverified_user_cannot_log_in(client):
    _sign_up(client)
    client.logout()

    response = client.post(
        reverse("account_login"), {"login": "lihua@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_link_verifies_and_then_log_in_works(client, mailoutbox):
    _sign_up(client)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    confirm = client.post(link.group(1))
    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "lihua@example.com", "password": PASSWORD}
    )

    assert confirm.status_code == 302
    assert EmailAddress.objects.get(email="lihua@example.com").verified
    assert login.status_code == 302
    assert login["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(User.objects.get(email="lihua@example.com").pk)


def test_sign_up_with_a_taken_email_creates_nothing_and_warns_the_owner(client, mailoutbox):
    # allauth prevents account enumeration: the form looks successful, the owner is told.
    UserFactory(email="taken@example.com")

    response = _sign_up(client, email="Taken@Example.com", username="another")

    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert not User.objects.filter(username="another").exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["taken@example.com"]


def test_verified_user_logs_in_with_email_and_password(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_is_a_form_error(client):
    user = UserFactory()

    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


def test_log_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)

    get_response = client.get(reverse("account_logout"))
    still_logged_in = "_auth_user_id" in client.session
    post_response = client.post(reverse("account_logout"))

    assert get_response.status_code == 200  # a confirmation page, not a log-out
    assert still_logged_in
    assert post_response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_mail_to_a_known_address(client, mailoutbox):
    user = UserFactory()

    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
