"""Reads of the job board, with their joins already applied."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.selectors import user_is_moderator
from jobs.models import Company, Job, RecruiterApplication, Tag


def _with_relations(queryset: QuerySet[Job]) -> QuerySet[Job]:
    return queryset.select_related("company").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("slug"))
    )


def job_list_live() -> QuerySet[Job]:
    """The public board: live postings, featured first, then newest."""
    return _with_relations(Job.objects.live()).order_by("-is_featured", "-published_at", "-pk")


def job_feed_items(*, limit: int = 50) -> QuerySet[Job]:
    return _with_relations(Job.objects.live()).order_by("-published_at", "-pk")[:limit]


def user_can_manage_job(user, job: Job) -> bool:
    if not user.is_authenticated:
        return False
    return job.company.recruiters.filter(pk=user.pk).exists()


def get_job_for_viewer(user, pk: int) -> Job:
    """Anyone sees a posting that was published (closed ones say so); drafts and postings in
    review exist only for their company's recruiters and the moderators."""
    job = _with_relations(Job.objects.filter(pk=pk)).first()
    if job is None:
        raise Http404
    if job.status in Job.PUBLIC_STATUSES:
        return job
    if user_is_moderator(user) or user_can_manage_job(user, job):
        return job
    raise Http404


def get_job_for_recruiter(user, pk: int) -> Job:
    """A posting of one of the user's companies, or 404 (someone else's posting does not
    exist as far as this user can tell)."""
    job = _with_relations(Job.objects.for_recruiter(user).filter(pk=pk)).first()
    if job is None:
        raise Http404
    return job


def recruiter_job_list(user) -> QuerySet[Job]:
    return _with_relations(Job.objects.for_recruiter(user)).order_by("-updated_at", "-pk")


def recruiter_companies(user) -> QuerySet[Company]:
    return Company.objects.filter(recruiters=user).order_by("name")


def get_company_for_recruiter(user, pk: int) -> Company:
    """One of the user's companies, or 404."""
    company = recruiter_companies(user).filter(pk=pk).first()
    if company is None:
        raise Http404
    return company


def recruiter_application_latest(user) -> RecruiterApplication | None:
    if not user.is_authenticated:
        return None
    return RecruiterApplication.objects.filter(applicant=user).order_by("-created_at").first()


def tag_queryset() -> QuerySet[Tag]:
    """Job tags by name, for other apps' choice fields."""
    return Tag.objects.order_by("slug")


def jobs_published_between(*, since, until) -> list[Job]:
    """Jobs published in [since, until) and still open at `until`, newest first, with their
    company and tag ids: 2 queries."""
    return list(
        Job.objects.live(now=until)
        .filter(published_at__gte=since, published_at__lt=until)
        .select_related("company")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.only("pk")))
        .only("pk", "title", "location", "published_at", "company__name")
        .order_by("-published_at", "-pk")
    )


# Search -------------------------------------------------------------------------------------
# What the search app indexes; it reads the board only through these.


def jobs_for_search(ids) -> list[Job]:
    """The published postings among `ids` (whether still live is checked when searching, by
    `expires_at`), with company and tags: two queries."""
    return list(_with_relations(Job.objects.filter(pk__in=list(ids), status=Job.Status.PUBLISHED)))


def published_job_ids() -> QuerySet:
    return (
        Job.objects.filter(status=Job.Status.PUBLISHED).order_by("pk").values_list("pk", flat=True)
    )


def job_ids_of_company(company_id: int) -> list[int]:
    return list(Job.objects.filter(company_id=company_id).values_list("pk", flat=True))


def job_ids_with_tag(tag_id: int) -> list[int]:
    return list(Job.objects.filter(tags=tag_id).values_list("pk", flat=True))
