from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jobs import selectors


def _absolute(path: str) -> str:
    # From SITE_URL, not the sites framework's domain nor the request's host: every absolute
    # link the site hands out (mails, JSON-LD, this feed) has one source.
    return f"{settings.SITE_URL}{path}"


class LatestJobsFeed(Feed):
    """Live postings only: one expires_at decides, as on the list page."""

    feed_type = Atom1Feed
    subtitle = gettext_lazy("LLM and AI jobs and internships, reviewed by SJTU Joining AI")

    def title(self):
        return _("AI jobs · %(site)s") % {"site": settings.SITE_NAME}

    def link(self):
        return _absolute(reverse("jobs:list"))

    def feed_url(self):
        return _absolute(reverse("jobs:feed"))

    def items(self):
        return selectors.job_feed_items()

    def item_title(self, job):
        return f"{job.title} · {job.company.name} · {job.location}"

    def item_description(self, job):
        return job.description_html

    def item_link(self, job):
        return _absolute(job.get_absolute_url())

    def item_pubdate(self, job):
        return job.published_at

    def item_updateddate(self, job):
        return job.updated_at

    def item_author_name(self, job):
        return job.company.name

    def item_categories(self, job):
        return [tag.name for tag in job.tags.all()]
