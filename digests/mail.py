"""The digest mail: subject, text and HTML from templates/emails/digest_*, in the member's
language, with the list headers of RFC 2369, 2919, 3834 and 8058, and the signed unsubscribe
token."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from digests.building import MemberDigest
from llmprep.emails import build_email

UNSUBSCRIBE_SALT = "digests.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_user_id(token: str) -> int | None:
    """The member a token was made for, or None if it is malformed or was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) else None


def unsubscribe_url(user_id: int) -> str:
    path = reverse("digests:unsubscribe", kwargs={"token": unsubscribe_token(user_id)})
    return f"{settings.SITE_URL}{path}"


def list_headers(*, unsubscribe: str) -> dict[str, str]:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return {
        "List-Unsubscribe": (
            f"<{unsubscribe}>, <mailto:{settings.DIGEST_UNSUBSCRIBE_EMAIL}?subject=unsubscribe>"
        ),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"LLM Interview Prepare digests <digests.{host}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }


def digest_email(digest: MemberDigest) -> EmailMultiAlternatives:
    user = digest.user
    unsubscribe = unsubscribe_url(user.pk)
    return build_email(
        "digest",
        to=[user.email],
        language=user.language,
        headers=list_headers(unsubscribe=unsubscribe),
        context={
            "digest": digest,
            "member": user,
            "unsubscribe_url": unsubscribe,
            "preferences_url": f"{settings.SITE_URL}{reverse('accounts:settings')}",
            "login_url": f"{settings.SITE_URL}{reverse('account_login')}",
            "inactive_days": settings.DIGEST_INACTIVE_AFTER_DAYS,
        },
    )
