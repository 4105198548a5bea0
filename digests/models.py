"""Digest preferences (one per member) and the delivery ledger that makes each digest go out
exactly once: a DigestDelivery row per member, frequency and period, claimed before sending and
marked sent, failed or skipped after (see digests.services)."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

DEFAULT_TIME_ZONE = "Asia/Shanghai"
DEFAULT_WEEKDAY = 0  # Monday, as datetime.weekday() counts
DEFAULT_HOUR = 9


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


class Frequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DigestPreference(models.Model):
    """What a member wants to receive and when. Created lazily with the defaults (weekly,
    Monday 09:00 Asia/Shanghai, every category, every job tag): a member without a row gets one
    the first time the hourly planner or the settings page needs it.

    `next_due_at` is the UTC instant of the next digest not yet handled. The planner selects
    `next_due_at <= now` (an indexed range scan) and a batch moves it to the next slot once the
    member's digest for that slot was sent or skipped. It is NULL when nothing is scheduled
    (frequency never, or paused)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        related_name="digest_preference",
        on_delete=models.CASCADE,
        verbose_name=_("member"),
    )
    frequency = models.CharField(
        _("digest emails"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday.choices,
        default=DEFAULT_WEEKDAY,
        help_text=_("For the weekly digest."),
    )
    hour = models.PositiveSmallIntegerField(
        _("hour"), default=DEFAULT_HOUR, help_text=_("In your time zone.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=DEFAULT_TIME_ZONE, validators=[validate_time_zone]
    )
    # No category (no tag) selected means every one: the default follows everything.
    categories = models.ManyToManyField(
        "questions.Category",
        blank=True,
        related_name="+",
        verbose_name=_("question categories"),
        help_text=_("Sub-categories are included. Choose none to follow every category."),
    )
    job_tags = models.ManyToManyField(
        "jobs.Tag",
        blank=True,
        related_name="+",
        verbose_name=_("job tags"),
        help_text=_("Choose none to follow every job."),
    )
    next_due_at = models.DateTimeField(_("next digest due at"), null=True, blank=True)
    # Set when the member stopped visiting (see DIGEST_INACTIVE_AFTER_DAYS); cleared when they
    # log in again or save their preferences.
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("digest preference")
        verbose_name_plural = _("digest preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="digest_pref_frequency_valid"
            ),
            models.CheckConstraint(condition=Q(hour__lte=23), name="digest_pref_hour_0_23"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="digest_pref_weekday_0_6"),
        ]
        indexes = [
            # The hourly planner's scan: due, scheduled rows only.
            models.Index(
                fields=["next_due_at"],
                condition=Q(next_due_at__isnull=False),
                name="digest_pref_next_due",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_frequency_display()}"

    def get_absolute_url(self):
        return reverse("digests:preferences")


class DigestDelivery(models.Model):
    """One member's digest for one period ("2025-06-09" for a daily digest, "2025-W24" for a
    weekly one). The unique constraint is what makes a digest go out at most once per period."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (nothing new)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="digest_deliveries",
        on_delete=models.CASCADE,
        verbose_name=_("member"),
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    period = models.CharField(_("period"), max_length=16)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.CLAIMED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)
    # Which batch run holds the claim; a stale claim (a worker killed mid-send) is reclaimable
    # after DIGEST_CLAIM_TIMEOUT.
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The content window: items published in [window_start, window_end).
    window_start = models.DateTimeField(_("content since"))
    window_end = models.DateTimeField(_("content until"))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period"], name="digest_delivery_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["claimed", "sent", "failed", "skipped"]),
                name="digest_delivery_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status", "-window_end"], name="digest_delivery_last"),
            models.Index(fields=["status", "claimed_at"], name="digest_delivery_status_claim"),
            models.Index(fields=["claim_token"], name="digest_delivery_claim_token"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.frequency} {self.period} {self.status}"

    def get_absolute_url(self):
        return reverse("admin:digests_digestdelivery_change", args=[self.pk])
