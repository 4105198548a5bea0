from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from jobs import selectors


class LatestJobsFeed(Feed):
    """Live postings only: one expires_at decides, as on the list page."""

    feed_type = Atom1Feed
    title = _("AI jobs · LLM Interview Prepare")
    subtitle = _("LLM and AI jobs and internships, reviewed by SJTU Joining AI")
    link = reverse_lazy("jobs:list")

    def items(self):
        return selectors.job_feed_items()

    def item_title(self, job):
        return f"{job.title} · {job.company.name} · {job.location}"

    def item_description(self, job):
        return job.description_html

    def item_link(self, job):
        return job.get_absolute_url()

    def item_pubdate(self, job):
        return job.published_at

    def item_updateddate(self, job):
        return job.updated_at

    def item_author_name(self, job):
        return job.company.name

    def item_categories(self, job):
        return [tag.name for tag in job.tags.all()]
