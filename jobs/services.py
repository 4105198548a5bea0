"""Every write of the job board. A status change is a conditional UPDATE
(`filter(pk=…, status__in=allowed).update(…)`) whose row count is checked, so two moderators
clicking at once, or a recruiter editing while a moderator approves, cannot both win; the loser
gets InvalidTransition and nothing changes. Every transition is logged as a JobEvent, and every
email is queued to Celery only after the transaction commits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import RECRUITERS
from accounts.services import user_grant_role
from jobs import notifications
from jobs.models import (
    MAX_TAGS,
    NOTE_MAX_LENGTH,
    TAG_MAX_LENGTH,
    Company,
    Job,
    JobEvent,
    RecruiterApplication,
    Tag,
    tag_slug,
)
from llmprep.errors import (
    InvalidTransition,
    InvalidValue,
    NotAllowed,
    invalid_from_validation_error,
)
from llmprep.indexing import content_changed
from llmprep.limits import limit_action
from llmprep.markdown import render_markdown
from llmprep.text import multiline, single_line

if TYPE_CHECKING:
    from accounts.models import User

MODERATE_JOB = "jobs.moderate_job"

Status = Job.Status

# The fields a recruiter edits. Changing any of them on a published posting sends it back to
# review; `requested_expires_on` only matters at publication, so it is not substance.
CONTENT_FIELDS = (
    "title",
    "location",
    "country",
    "remote_policy",
    "employment_type",
    "hiring_track",
    "graduation_year",
    "seniority",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_months",
    "visa_sponsorship",
    "relocation_support",
    "description",
    "apply_url",
    "apply_email",
)
EDITABLE_FIELDS = (*CONTENT_FIELDS, "requested_expires_on")
SINGLE_LINE_FIELDS = ("title", "location", "country")


def _default_days() -> int:
    return settings.JOBS_DEFAULT_DAYS


def _max_days() -> int:
    return settings.JOBS_MAX_DAYS


def _log(
    job: Job, *, actor: User | None, from_status: str, to_status: str, note: str = ""
) -> JobEvent:
    return JobEvent.objects.create(
        job=job, actor=actor, from_status=from_status, to_status=to_status, note=note
    )


def _transition(
    job: Job,
    *,
    allowed: Iterable[str],
    to_status: str,
    actor: User | None,
    note: str = "",
    extra_filter: dict | None = None,
    **changes,
) -> Job:
    """Move `job` to `to_status` if, in the database, it is in one of `allowed`. The UPDATE is
    conditioned on the status just read, so the logged from_status is exactly what changed."""
    current = Job.objects.filter(pk=job.pk).values_list("status", flat=True).first()
    updated = 0
    if current in tuple(allowed):
        updated = Job.objects.filter(pk=job.pk, status=current, **(extra_filter or {})).update(
            status=to_status, updated_at=timezone.now(), **changes
        )
    if updated != 1:
        raise InvalidTransition(_("That is not possible for this posting now."))
    event = _log(job, actor=actor, from_status=current, to_status=to_status, note=note)
    job.refresh_from_db()
    job.last_event = event
    return job


def _require_moderator(user: User) -> None:
    if user is None or not user.is_active or not user.has_perm(MODERATE_JOB):
        raise NotAllowed(_("Only moderators review postings."))


def _require_recruiter_of(user: User, company: Company) -> None:
    if not company.recruiters.filter(pk=user.pk).exists():
        raise NotAllowed(_("You are not a recruiter of this company."))


def _clean_tags(names: Iterable[str]) -> list[str]:
    """Distinct tag names (by their normalized slug), at most MAX_TAGS, each usable."""
    cleaned: dict[str, str] = {}
    for name in names:
        name = single_line(name)
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise InvalidValue(
                _("A tag may be at most %(max)d characters: “%(tag)s”.")
                % {"max": TAG_MAX_LENGTH, "tag": name},
                field="tags",
            )
        slug = tag_slug(name)
        if not slug:
            raise InvalidValue(_("“%(tag)s” is not a usable tag.") % {"tag": name}, field="tags")
        cleaned.setdefault(slug, name)
    if len(cleaned) > MAX_TAGS:
        raise InvalidValue(_("At most %(max)d tags.") % {"max": MAX_TAGS}, field="tags")
    return list(cleaned.values())


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    tags = []
    for name in _clean_tags(names):
        tag, _created = Tag.objects.get_or_create(slug=tag_slug(name), defaults={"name": name})
        tags.append(tag)
    return tags


def _check_requested_expiry(value: datetime.date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value <= today:
        raise InvalidValue(
            _("The expiry date must be in the future."), field="requested_expires_on"
        )
    latest = today + datetime.timedelta(days=_max_days())
    if value > latest:
        raise InvalidValue(
            _("A posting may run at most %(days)d days (until %(date)s).")
            % {"days": _max_days(), "date": latest.isoformat()},
            field="requested_expires_on",
        )


def _clean_content(content: dict) -> dict:
    unknown = set(content) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")  # a caller's bug, not the user's
    cleaned = dict(content)
    for name in SINGLE_LINE_FIELDS:
        if isinstance(cleaned.get(name), str):
            cleaned[name] = single_line(cleaned[name])
    if isinstance(cleaned.get("description"), str):
        cleaned["description"] = multiline(cleaned["description"])
    return cleaned


def _full_clean(instance, **kwargs) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise invalid_from_validation_error(error) from error


def _notify(template: str, job: Job) -> None:
    # One mail per recruiter per lifecycle event, queued in this transaction.
    notifications.job_recruiters_notify(
        job=job, template=template, key=f"job-event:{job.last_event.pk}"
    )


# Postings ----------------------------------------------------------------------------------


@transaction.atomic
def job_create(*, author: User, company: Company, content: dict, tags: Iterable[str] = ()) -> Job:
    _require_recruiter_of(author, company)
    content = _clean_content(content)
    _check_requested_expiry(content.get("requested_expires_on"))
    tag_names = _clean_tags(tags)
    job = Job(company=company, created_by=author, status=Status.DRAFT, **content)
    job.description_html = render_markdown(job.description)
    _full_clean(job)
    job.save()
    job.tags.set(_tags_from_names(tag_names))
    _log(job, actor=author, from_status="", to_status=Status.DRAFT)
    return job


@transaction.atomic
def job_update(*, job: Job, actor: User, content: dict, tags: Iterable[str] | None = None) -> Job:
    """Save a recruiter's edits. Changing the substance of a published posting sends it back
    to review (pending); expired and filled postings are closed and cannot be edited."""
    _require_recruiter_of(actor, job.company)
    content = _clean_content(content)
    old_status = job.status
    if old_status not in Job.EDITABLE_STATUSES:
        raise InvalidTransition(_("A closed posting cannot be edited."))
    changed = {name: value for name, value in content.items() if getattr(job, name) != value}
    if "requested_expires_on" in changed:
        _check_requested_expiry(changed["requested_expires_on"])
    new_tags = None
    if tags is not None:
        new_tags = _tags_from_names(tags)
        if {t.pk for t in new_tags} != set(job.tags.values_list("pk", flat=True)):
            changed["tags"] = new_tags
    if not changed:
        return job

    for name, value in content.items():
        setattr(job, name, value)
    _full_clean(job, exclude=["tags"])
    substantive = bool(set(changed) - {"requested_expires_on"})
    new_status = Status.PENDING if old_status == Status.PUBLISHED and substantive else old_status
    fields = {name: value for name, value in changed.items() if name != "tags"}
    if "description" in fields:
        fields["description_html"] = render_markdown(job.description)
    updated = Job.objects.filter(pk=job.pk, status=old_status).update(
        status=new_status, updated_at=timezone.now(), **fields
    )
    if updated != 1:
        raise InvalidTransition(_("The posting changed meanwhile; please try again."))
    if new_tags is not None and "tags" in changed:
        job.tags.set(new_tags)
    if new_status != old_status:
        _log(job, actor=actor, from_status=old_status, to_status=new_status, note="edited")
    content_changed("job", job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def job_submit(*, job: Job, actor: User) -> Job:
    _require_recruiter_of(actor, job.company)
    limit_action("job_submit", user=actor)
    return _transition(
        job,
        allowed=Job.SUBMITTABLE_STATUSES,
        to_status=Status.PENDING,
        actor=actor,
    )


def _expiry_at_publication(job: Job, now: datetime.datetime) -> datetime.datetime:
    latest = now + datetime.timedelta(days=_max_days())
    # A posting re-reviewed after an edit keeps the expiry it already had.
    if job.expires_at and job.expires_at > now:
        return min(job.expires_at, latest)
    if job.requested_expires_on:
        end_of_day = datetime.datetime.combine(
            job.requested_expires_on + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
        if end_of_day > now + datetime.timedelta(days=1):
            return min(end_of_day, latest)
    return now + datetime.timedelta(days=_default_days())


@transaction.atomic
def job_publish(*, job: Job, moderator: User, now: datetime.datetime | None = None) -> Job:
    _require_moderator(moderator)
    now = now or timezone.now()
    job = _transition(
        job,
        allowed=(Status.PENDING,),
        to_status=Status.PUBLISHED,
        actor=moderator,
        published_at=job.published_at or now,
        expires_at=_expiry_at_publication(job, now),
        rejection_reason="",
        review_note="",
    )
    content_changed("job", job.pk)
    _notify("job_published", job)
    return job


@transaction.atomic
def job_request_changes(*, job: Job, moderator: User, note: str) -> Job:
    _require_moderator(moderator)
    note = multiline(note or "")
    if not note:
        raise InvalidValue(_("Say what needs to change."), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidValue(
            _("The note may be at most %(n)d characters long.") % {"n": NOTE_MAX_LENGTH},
            field="note",
        )
    job = _transition(
        job,
        allowed=(Status.PENDING,),
        to_status=Status.CHANGES_REQUESTED,
        actor=moderator,
        note=note,
        review_note=note,
        rejection_reason="",
    )
    _notify("job_changes_requested", job)
    return job


@transaction.atomic
def job_reject(*, job: Job, moderator: User, reason: str, note: str = "") -> Job:
    _require_moderator(moderator)
    if reason not in Job.RejectionReason.values:
        raise InvalidValue(_("Choose one of the rejection reasons."), field="reason")
    note = multiline(note or "")[:NOTE_MAX_LENGTH]
    job = _transition(
        job,
        allowed=(Status.PENDING,),
        to_status=Status.REJECTED,
        actor=moderator,
        note=f"{reason}: {note}" if note else reason,
        rejection_reason=reason,
        review_note=note,
    )
    _notify("job_rejected", job)
    return job


@transaction.atomic
def job_mark_filled(*, job: Job, actor: User) -> Job:
    _require_recruiter_of(actor, job.company)
    job = _transition(job, allowed=Job.FILLABLE_STATUSES, to_status=Status.FILLED, actor=actor)
    content_changed("job", job.pk)
    return job


@transaction.atomic
def job_renew(*, job: Job, actor: User, now: datetime.datetime | None = None) -> Job:
    """Extend a published or expired posting by the default period, once."""
    _require_recruiter_of(actor, job.company)
    now = now or timezone.now()
    start = max(now, job.expires_at or now)
    expires_at = min(
        start + datetime.timedelta(days=_default_days()),
        now + datetime.timedelta(days=_max_days()),
    )
    job = _transition(
        job,
        allowed=Job.RENEWABLE_STATUSES,
        to_status=Status.PUBLISHED,
        actor=actor,
        note="renewed",
        extra_filter={"renewed_count__lt": Job.MAX_RENEWALS},
        expires_at=expires_at,
        renewed_count=F("renewed_count") + 1,
        reminder_sent_at=None,
    )
    content_changed("job", job.pk)
    return job


@transaction.atomic
def job_archive(*, job: Job, actor: User, now: datetime.datetime | None = None) -> Job:
    """Withdraw a posting now; it is closed as expired."""
    _require_recruiter_of(actor, job.company)
    now = now or timezone.now()
    changes = {}
    if job.status == Status.PUBLISHED:
        changes["expires_at"] = now
    job = _transition(
        job,
        allowed=Job.ARCHIVABLE_STATUSES,
        to_status=Status.EXPIRED,
        actor=actor,
        note="archived",
        **changes,
    )
    content_changed("job", job.pk)
    return job


@transaction.atomic
def job_set_featured(*, job: Job, moderator: User, featured: bool) -> Job:
    _require_moderator(moderator)
    Job.objects.filter(pk=job.pk).update(is_featured=featured, updated_at=timezone.now())
    job.is_featured = featured
    content_changed("job", job.pk)
    return job


def job_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Mark published postings past their expires_at as expired. Returns how many."""
    now = now or timezone.now()
    expired = 0
    due = Job.objects.filter(status=Status.PUBLISHED, expires_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Re-checked per row: a renewal between the SELECT and here wins.
            if Job.objects.filter(pk=pk, status=Status.PUBLISHED, expires_at__lte=now).update(
                status=Status.EXPIRED, updated_at=now
            ):
                JobEvent.objects.create(
                    job_id=pk, from_status=Status.PUBLISHED, to_status=Status.EXPIRED
                )
                content_changed("job", pk)
                expired += 1
    return expired


def job_send_expiry_reminders(*, now: datetime.datetime | None = None) -> int:
    """Email the recruiters of each live posting that expires within JOBS_REMINDER_DAYS,
    once per expiry: reminder_sent_at is claimed by a conditional UPDATE before the mail is
    queued, so a re-run (or two beat workers) never sends twice. Renewal clears it."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.JOBS_REMINDER_DAYS)
    due = Job.objects.filter(
        status=Status.PUBLISHED,
        expires_at__gt=now,
        expires_at__lte=horizon,
        reminder_sent_at__isnull=True,
    )
    sent = 0
    for job in due.select_related("company"):
        with transaction.atomic():
            if Job.objects.filter(pk=job.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            ):
                notifications.job_recruiters_notify(
                    job=job,
                    template="job_expiring",
                    key=f"job-expiring:{job.pk}:{job.expires_at.isoformat()}",
                )
                sent += 1
    return sent


# Recruiters --------------------------------------------------------------------------------


@transaction.atomic
def recruiter_application_submit(
    *, applicant: User, company_name: str, website: str, work_email: str, note: str = ""
) -> RecruiterApplication:
    if RecruiterApplication.objects.filter(
        applicant=applicant, status=RecruiterApplication.Status.PENDING
    ).exists():
        raise InvalidTransition(_("Your earlier application is still waiting for review."))
    application = RecruiterApplication(
        applicant=applicant,
        company_name=single_line(company_name or ""),
        website=(website or "").strip(),
        work_email=(work_email or "").strip(),
        note=multiline(note or ""),
    )
    if not any(char.isalnum() for char in application.company_name):
        raise InvalidValue(_("Give the company's name."), field="company_name")
    _full_clean(application)
    limit_action("recruiter_apply", user=applicant)
    application.save()
    return application


def _review_application(application, *, moderator, to_status, **changes) -> None:
    pending = RecruiterApplication.Status.PENDING
    updated = RecruiterApplication.objects.filter(pk=application.pk, status=pending).update(
        status=to_status,
        reviewed_by=moderator,
        reviewed_at=timezone.now(),
        updated_at=timezone.now(),
        **changes,
    )
    if updated != 1:
        raise InvalidTransition(_("This application is no longer waiting for review."))
    application.refresh_from_db()


@transaction.atomic
def recruiter_application_approve(
    *, application: RecruiterApplication, moderator: User
) -> RecruiterApplication:
    """Make the applicant a recruiter of the named company, creating it if it is new."""
    _require_moderator(moderator)
    company = Company.objects.filter(name__iexact=application.company_name).first()
    if company is None:
        company = Company.objects.create(name=application.company_name, website=application.website)
    _review_application(
        application,
        moderator=moderator,
        to_status=RecruiterApplication.Status.APPROVED,
        company=company,
    )
    company.recruiters.add(application.applicant)
    user_grant_role(user=application.applicant, role=RECRUITERS)
    notifications.applicant_notify(
        application=application, template="recruiter_application_approved"
    )
    return application


@transaction.atomic
def recruiter_application_reject(
    *, application: RecruiterApplication, moderator: User, reason: str
) -> RecruiterApplication:
    _require_moderator(moderator)
    reason = multiline(reason or "")
    if not reason:
        raise InvalidValue(_("A reason is required."), field="note")
    _review_application(
        application,
        moderator=moderator,
        to_status=RecruiterApplication.Status.REJECTED,
        reason=reason[:NOTE_MAX_LENGTH],
    )
    notifications.applicant_notify(
        application=application, template="recruiter_application_rejected"
    )
    return application


@transaction.atomic
def company_update(*, company: Company, editor: User, website: str, description: str) -> Company:
    """A company's recruiters keep its public profile up to date; the name stays with the
    moderators, since postings are trusted by it."""
    _require_recruiter_of(editor, company)
    company.website = (website or "").strip()
    company.description = multiline(description or "")
    _full_clean(company)
    company.save(update_fields=["website", "description", "updated_at"])
    return company
