"""Templated mail: `templates/emails/<name>_subject.txt`, `_body.txt` and `_body.html` rendered
into one multipart message, in the recipient's language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def build_email(
    name: str,
    *,
    to: list[str],
    context: dict,
    language: str | None = None,
    headers: dict | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    context = {"SITE_URL": settings.SITE_URL, "SITE_NAME": settings.SITE_NAME, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    # A subject is one line, whatever the template's trailing newline.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_email(name: str, **kwargs) -> None:
    build_email(name, **kwargs).send()
