from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from llmprep.models import with_status_flags

TITLE_MIN_LENGTH = 5
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
ANSWER_MIN_LENGTH = 10
ANSWER_MAX_LENGTH = 30_000
REASON_MAX_LENGTH = 1_000


def unicode_slug(text: str) -> str:
    # Chinese titles keep their characters; an all-punctuation title still gets a usable slug.
    return slugify(text, allow_unicode=True)[:80] or "-"


class Category(models.Model):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
        verbose_name=_("parent"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_unique_root_name"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("questions:category", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return unicode_slug(self.name)


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED)

    def visible_to(self, user):
        """Published questions, plus the viewer's own pending ones; moderators see everything
        that is not merged away."""
        from accounts.selectors import user_is_moderator

        if user_is_moderator(user):
            return self.exclude(status=Question.Status.MERGED)
        if user.is_authenticated:
            return self.filter(
                Q(status=Question.Status.PUBLISHED) | Q(status=Question.Status.PENDING, author=user)
            )
        return self.published()


@with_status_flags
class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")

    class Source(models.TextChoices):
        SEED = "seed", _("Question bank")
        MEMBER = "member", _("Member")

    category = models.ForeignKey(
        Category, related_name="questions", on_delete=models.PROTECT, verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("details"), blank=True, max_length=BODY_MAX_LENGTH)
    body_html = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="questions",
        on_delete=models.SET_NULL,
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.MEMBER
    )
    # Identity of an imported question: a digest of its category path plus its position there.
    seed_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Not _("answers"): that msgid is the Answer model's plural ("回答"), this one a count.
    answer_count = models.PositiveIntegerField(_("number of answers"), default=0)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="merged_questions",
        on_delete=models.SET_NULL,
        verbose_name=_("merged into"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["category__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="question_status_published"),
            models.Index(fields=["category", "status", "position"], name="question_cat_status_pos"),
            models.Index(fields=["status", "-answer_count"], name="question_status_answers"),
        ]
        permissions = [("moderate_question", _("Can review, reject, move and merge questions"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("questions:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def slug(self) -> str:
        return unicode_slug(self.title)


class AnswerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Answer.Status.PUBLISHED)

    def visible_to(self, user):
        from accounts.selectors import user_is_moderator

        if user_is_moderator(user):
            return self.exclude(status=Answer.Status.REJECTED)
        if user.is_authenticated:
            return self.filter(
                Q(status=Answer.Status.PUBLISHED) | Q(status=Answer.Status.PENDING, author=user)
            )
        return self.published()

    def in_page_order(self):
        return self.order_by("-is_endorsed", "-score", "created_at", "pk")


@with_status_flags
class Answer(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        HIDDEN = "hidden", _("Hidden")

    question = models.ForeignKey(
        Question, related_name="answers", on_delete=models.CASCADE, verbose_name=_("question")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="answers",
        on_delete=models.CASCADE,
        verbose_name=_("author"),
    )
    body = models.TextField(_("answer"), max_length=ANSWER_MAX_LENGTH)
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Always the sum of this answer's votes; changed only with F() by vote_cast().
    score = models.IntegerField(_("score"), default=0)
    is_endorsed = models.BooleanField(_("reference answer"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-is_endorsed", "-score", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_endorsed=True), name="answer_one_endorsed"
            ),
        ]
        indexes = [
            models.Index(fields=["question", "status"], name="answer_question_status"),
            models.Index(fields=["author", "status"], name="answer_author_status"),
            models.Index(fields=["status", "-published_at"], name="answer_status_published"),
        ]
        permissions = [("moderate_answer", _("Can review, reject, hide and endorse answers"))]

    def __str__(self):
        return f"#{self.pk} → {self.question}"

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class AnswerRevision(models.Model):
    """The text of an answer before each edit."""

    answer = models.ForeignKey(Answer, related_name="revisions", on_delete=models.CASCADE)
    body = models.TextField(_("previous text"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("editor")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("answer revision")
        verbose_name_plural = _("answer revisions")

    def __str__(self):
        return f"{self.answer_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class QuestionRevision(models.Model):
    """A question's title, details and category before a moderator's correction."""

    question = models.ForeignKey(Question, related_name="revisions", on_delete=models.CASCADE)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    body = models.TextField(_("details"), blank=True)
    category = models.ForeignKey(
        Category, null=True, on_delete=models.SET_NULL, verbose_name=_("category")
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name=_("editor")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question revision")
        verbose_name_plural = _("question revisions")

    def __str__(self):
        return f"{self.question_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="votes", on_delete=models.CASCADE
    )
    answer = models.ForeignKey(Answer, related_name="votes", on_delete=models.CASCADE)
    value = models.SmallIntegerField(choices=Value.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "answer"], name="vote_one_per_user_answer"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_up_or_down"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.value:+d} on {self.answer_id}"


class ModerationLog(models.Model):
    """Who did what to which item, when and why. Written by every moderation service."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        HIDE = "hide", _("Hidden")
        ENDORSE = "endorse", _("Endorsed as the reference answer")
        MOVE = "move", _("Moved to another category")
        MERGE = "merge", _("Merged into another question")
        EDIT = "edit", _("Edited by a moderator")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        related_name="moderation_logs",
        on_delete=models.SET_NULL,
        verbose_name=_("question"),
    )
    answer = models.ForeignKey(
        Answer,
        null=True,
        blank=True,
        related_name="moderation_logs",
        on_delete=models.SET_NULL,
        verbose_name=_("answer"),
    )
    reason = models.TextField(_("reason"), blank=True, max_length=REASON_MAX_LENGTH)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_action_display()} · {self.question_id or ''}/{self.answer_id or ''}"


class StudyProgress(models.Model):
    """A member's own progress on a question."""

    class Status(models.TextChoices):
        LEARNING = "learning", _("Learning")
        REVIEW = "review", _("To review")
        MASTERED = "mastered", _("Mastered")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="study_progress", on_delete=models.CASCADE
    )
    question = models.ForeignKey(Question, related_name="study_progress", on_delete=models.CASCADE)
    status = models.CharField(max_length=16, choices=Status.choices)
    # When to look at the question again; set from the status by progress_set().
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("study progress")
        verbose_name_plural = _("study progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="progress_one_per_question"),
        ]
        indexes = [
            models.Index(fields=["user", "review_due_at"], name="progress_user_review_due"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.status} {self.question_id}"


class PendingQuestion(Question):
    """The admin's review queue of member questions."""

    class Meta:
        proxy = True
        verbose_name = _("pending question")
        verbose_name_plural = _("pending questions")


class PendingAnswer(Answer):
    """The admin's review queue of answers."""

    class Meta:
        proxy = True
        verbose_name = _("pending answer")
        verbose_name_plural = _("pending answers")
