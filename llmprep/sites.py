"""The sites framework's Site row follows SITE_URL and SITE_NAME (settings, from the
environment): allauth's mails ("Hello from …", the subject prefix), Django's syndication and
anything else that asks `get_current_site()` then agree with the links we build ourselves, and
nothing says "example.com". Set after every migrate (connected in accounts.apps)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation

SITE_NAME_MAX_LENGTH = 50  # django.contrib.sites.models.Site.name


def site_domain() -> str:
    """SITE_URL's host and port, as the Site row's `domain` holds it."""
    return urlsplit(settings.SITE_URL).netloc or "localhost"


def site_name() -> str:
    """SITE_NAME in the site's default language (the Site row holds one name)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(settings.SITE_NAME)[:SITE_NAME_MAX_LENGTH]


def sync_site(sender=None, using="default", **kwargs) -> None:
    """post_migrate receiver: make the current Site row say SITE_URL's domain and SITE_NAME."""
    from django.contrib.sites.models import Site

    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": site_name()}
    )
    Site.objects.clear_cache()
