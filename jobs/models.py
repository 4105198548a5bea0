"""Companies, recruiters and job postings. The posting's lifecycle is driven by jobs.services;
nothing here changes a status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from llmprep.models import with_status_flags

TITLE_MAX_LENGTH = 120
LOCATION_MAX_LENGTH = 80
COMPANY_NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 2_000
TAG_MAX_LENGTH = 30
MAX_TAGS = 8
MAX_RENEWALS = 1

# Only web links may be apply links; javascript:, ftp: and the like are refused.
http_url_validator = URLValidator(schemes=["http", "https"])


def tag_slug(name: str) -> str:
    """The normalized key of a tag: lowercased, Chinese kept ("RLHF" and "rlhf" are one tag)."""
    return slugify(name.strip(), allow_unicode=True)


class Company(models.Model):
    name = models.CharField(_("name"), max_length=COMPANY_NAME_MAX_LENGTH)
    website = models.URLField(_("website"), blank=True, validators=[http_url_validator])
    description = models.TextField(_("description"), max_length=NOTE_MAX_LENGTH, blank=True)
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="companies", blank=True, verbose_name=_("recruiters")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="jobs_company_name_ci_unique"),
        ]

    def __str__(self):
        return self.name


@with_status_flags
class RecruiterApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recruiter_applications",
        verbose_name=_("applicant"),
    )
    company_name = models.CharField(_("company name"), max_length=COMPANY_NAME_MAX_LENGTH)
    website = models.URLField(_("company website"), validators=[http_url_validator])
    work_email = models.EmailField(_("work email"))
    note = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    company = models.ForeignKey(
        Company, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("company")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recruiter application")
        verbose_name_plural = _("recruiter applications")
        constraints = [
            models.UniqueConstraint(
                "applicant",
                condition=models.Q(status="pending"),
                name="jobs_one_pending_application_per_applicant",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "approved", "rejected"]),
                name="jobs_application_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.company_name} ({self.applicant})"


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH)
    slug = models.CharField(_("slug"), max_length=TAG_MAX_LENGTH * 2, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class JobQuerySet(models.QuerySet):
    def live(self, *, now=None):
        """Open for applications: published and not past expires_at, whether or not the
        daily expiry task has caught up yet."""
        return self.filter(status=Job.Status.PUBLISHED, expires_at__gt=now or timezone.now())

    def public(self):
        """Pages anyone may see: live postings and closed ones (shown as closed)."""
        return self.filter(status__in=Job.PUBLIC_STATUSES)

    def for_recruiter(self, user):
        return self.filter(company__recruiters=user)


@with_status_flags
class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")
        FILLED = "filled", _("Filled")

    class RemotePolicy(models.TextChoices):
        ONSITE = "onsite", _("On-site")
        HYBRID = "hybrid", _("Hybrid")
        REMOTE = "remote", _("Remote")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        INTERNSHIP = "internship", _("Internship")
        PART_TIME = "part_time", _("Part-time")
        CONTRACT = "contract", _("Contract")

    class HiringTrack(models.TextChoices):
        CAMPUS = "campus", _("Campus hiring")
        EXPERIENCED = "experienced", _("Experienced hiring")
        INTERNSHIP = "internship", _("Internship")

    class Seniority(models.TextChoices):
        ENTRY = "entry", _("Entry level")
        MID = "mid", _("Mid level")
        SENIOR = "senior", _("Senior")
        STAFF = "staff", _("Staff / principal")
        MANAGER = "manager", _("Manager")

    class Currency(models.TextChoices):
        CNY = "CNY", _("CNY")
        USD = "USD", _("USD")
        EUR = "EUR", _("EUR")
        HKD = "HKD", _("HKD")
        SGD = "SGD", _("SGD")
        JPY = "JPY", _("JPY")
        GBP = "GBP", _("GBP")

    class SalaryPeriod(models.TextChoices):
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")
        DAY = "day", _("per day")
        HOUR = "hour", _("per hour")

    class RejectionReason(models.TextChoices):
        NOT_AI = "not_ai", _("Not an AI / LLM role")
        INCOMPLETE = "incomplete", _("Incomplete or unclear")
        MISLEADING = "misleading", _("Misleading or unverifiable")
        DUPLICATE = "duplicate", _("Duplicate posting")
        SPAM = "spam", _("Spam")
        OTHER = "other", _("Other")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.EXPIRED, Status.FILLED)
    # Where each recruiter action may start; jobs.services enforces them in its UPDATEs.
    EDITABLE_STATUSES = (
        Status.DRAFT,
        Status.PENDING,
        Status.CHANGES_REQUESTED,
        Status.REJECTED,
        Status.PUBLISHED,
    )
    SUBMITTABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.REJECTED)
    RENEWABLE_STATUSES = (Status.PUBLISHED, Status.EXPIRED)
    ARCHIVABLE_STATUSES = (Status.DRAFT, Status.PENDING, Status.CHANGES_REQUESTED, Status.PUBLISHED)
    FILLABLE_STATUSES = (Status.PUBLISHED, Status.EXPIRED)
    MAX_RENEWALS = MAX_RENEWALS

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("company")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    location = models.CharField(
        _("city / location"), max_length=LOCATION_MAX_LENGTH, help_text=_("For example 上海")
    )
    country = models.CharField(
        _("country code"),
        max_length=2,
        default="CN",
        help_text=_("Two-letter ISO code, for example CN, US, SG"),
    )
    remote_policy = models.CharField(
        _("remote policy"), max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.ONSITE
    )
    employment_type = models.CharField(
        _("employment type"),
        max_length=12,
        choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )
    hiring_track = models.CharField(
        _("hiring track"),
        max_length=12,
        choices=HiringTrack.choices,
        default=HiringTrack.EXPERIENCED,
    )
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("Campus hiring: the graduating class this posting targets"),
    )
    seniority = models.CharField(
        _("seniority"), max_length=10, choices=Seniority.choices, blank=True
    )
    salary_min = models.PositiveIntegerField(_("salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to"), null=True, blank=True)
    salary_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    salary_period = models.CharField(
        _("salary period"), max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.MONTH
    )
    # The "25-40K·16薪" form: a monthly range paid this many months a year.
    salary_months = models.PositiveSmallIntegerField(
        _("months paid a year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(12), MaxValueValidator(24)],
        help_text=_("For example 16 for 16薪"),
    )
    visa_sponsorship = models.BooleanField(_("visa sponsorship"), default=False)
    relocation_support = models.BooleanField(_("relocation support"), default=False)
    description = models.TextField(
        _("description"), max_length=DESCRIPTION_MAX_LENGTH, help_text=_("Markdown")
    )
    description_html = models.TextField(editable=False, blank=True)
    tags = models.ManyToManyField(Tag, related_name="jobs", blank=True, verbose_name=_("tags"))
    apply_url = models.URLField(
        _("apply URL"), max_length=500, blank=True, validators=[http_url_validator]
    )
    apply_email = models.EmailField(_("apply email"), blank=True)
    requested_expires_on = models.DateField(
        _("expires on"),
        null=True,
        blank=True,
        help_text=_("Leave empty for 30 days after publication; at most 90 days."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    renewed_count = models.PositiveSmallIntegerField(_("times renewed"), default=0)
    reminder_sent_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    is_featured = models.BooleanField(_("featured"), default=False)
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=12, choices=RejectionReason.choices, blank=True
    )
    review_note = models.TextField(_("moderator's note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-is_featured", "-published_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            # The public list: live postings, featured first, newest first.
            models.Index(
                fields=["status", "-is_featured", "-published_at"], name="jobs_job_list_idx"
            ),
            # The expiry task and reminders.
            models.Index(fields=["status", "expires_at"], name="jobs_job_expiry_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "draft",
                        "pending",
                        "changes_requested",
                        "published",
                        "rejected",
                        "expired",
                        "filled",
                    ]
                ),
                name="jobs_job_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(apply_url="", apply_email=""),
                name="jobs_job_has_apply_route",
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="jobs_job_salary_range_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(hiring_track="campus", graduation_year__isnull=True),
                name="jobs_job_campus_has_graduation_year",
            ),
            models.CheckConstraint(
                condition=models.Q(renewed_count__lte=MAX_RENEWALS),
                name="jobs_job_renewed_at_most_once",
            ),
        ]
        permissions = [
            ("moderate_job", _("Can review postings and recruiter applications")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug:
            return reverse("jobs:detail_slug", kwargs={"pk": self.pk, "slug": self.slug})
        return reverse("jobs:detail", kwargs={"pk": self.pk})

    @property
    def slug(self) -> str:
        return slugify(self.title, allow_unicode=True)

    def is_live(self, now=None) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.expires_at is not None
            and self.expires_at > (now or timezone.now())
        )

    @property
    def is_closed(self) -> bool:
        """Was public but no longer takes applications."""
        return self.status in self.PUBLIC_STATUSES and not self.is_live()

    @property
    def can_edit(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def can_submit(self) -> bool:
        return self.status in self.SUBMITTABLE_STATUSES

    @property
    def can_renew(self) -> bool:
        return self.status in self.RENEWABLE_STATUSES and self.renewed_count < self.MAX_RENEWALS

    @property
    def can_archive(self) -> bool:
        return self.status in self.ARCHIVABLE_STATUSES

    @property
    def can_mark_filled(self) -> bool:
        return self.status in self.FILLABLE_STATUSES

    @property
    def has_salary(self) -> bool:
        return self.salary_min is not None or self.salary_max is not None

    def clean(self):
        errors = {}
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            errors["salary_max"] = _("The maximum salary must not be below the minimum.")
        if not self.apply_url and not self.apply_email:
            errors["apply_url"] = _("Give an apply URL or an apply email (or both).")
        if self.hiring_track == self.HiringTrack.CAMPUS and self.graduation_year is None:
            errors["graduation_year"] = _("Campus hiring needs the graduation year it targets.")
        if errors:
            raise ValidationError(errors)


class JobEvent(models.Model):
    """One status transition of a posting: who, from what, to what, and why."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Job.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Job.Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("job event")
        verbose_name_plural = _("job events")

    def __str__(self):
        return f"{self.job_id}: {self.from_status or '-'} → {self.to_status}"


class PendingJob(Job):
    """The moderators' review queue in the admin: the same rows, only those pending."""

    class Meta:
        proxy = True
        verbose_name = _("job awaiting review")
        verbose_name_plural = _("jobs awaiting review")
