"""Moderation happens here: review queues, bulk decisions with reasons, endorse, hide, move and
merge. Every action calls a service, which logs it and mails the author."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from llmprep.admin_actions import (
    ModerationAdminMixin,
    ReasonForm,
    apply_to_each,
    apply_with_form,
    bound_if_applied,
)
from questions import services
from questions.forms import category_tree_choices
from questions.models import (
    Answer,
    AnswerRevision,
    Category,
    ModerationLog,
    PendingAnswer,
    PendingQuestion,
    Question,
    QuestionRevision,
)


def rendered(html: str):
    """Stored, sanitized HTML (a *_html field) shown as readers see it, read-only."""
    return format_html('<div class="rendered-content">{}</div>', mark_safe(html))


class RenderedContentMedia:
    css = {"all": ["css/math.css", "css/pygments.css", "css/admin-content.css"]}


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("New category"), queryset=Category.objects.all())
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_tree_choices()


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into question (ID)"),
        queryset=Question.objects.published(),
        widget=forms.NumberInput,
        error_messages={"invalid_choice": _("Enter the ID of a published question.")},
    )
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    ordering = ["position"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "parent"} & set(form.changed_data):
            # The questions below it carry its name in their search index entries.
            from llmprep.indexing import contents_changed
            from questions.selectors import category_descendant_ids, question_ids_in_categories

            ids = question_ids_in_categories(category_descendant_ids(obj.pk))
            contents_changed("question", ids)


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["author", "status", "score", "is_endorsed", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuestionRevisionInline(admin.TabularInline):
    model = QuestionRevision
    fields = ["created_at", "editor", "title", "category", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(ModerationAdminMixin, admin.ModelAdmin):
    moderate_permission = services.MODERATE_QUESTION
    list_display = ["title", "category", "status", "source", "answer_count", "author", "created_at"]
    list_filter = ["status", "source", ("category", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["category", "author"]
    search_fields = ["title", "body", "author__username", "author__email"]
    # Authorship is never reassigned here; content corrections go through a service that
    # keeps the previous version and writes the moderation log.
    readonly_fields = [
        "author",
        "status",
        "source",
        "answer_count",
        "merged_into",
        "published_at",
        "rendered_details",
    ]
    fields = ["title", "category", "body", *readonly_fields]
    inlines = [QuestionRevisionInline, AnswerInline]
    actions = ["approve", "reject", "move", "merge"]
    Media = RenderedContentMedia

    def has_add_permission(self, request):
        return False  # questions come from members and the bank import

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.has_moderate_permission(request)

    @admin.display(description=_("Details as shown"))
    def rendered_details(self, obj):
        return rendered(obj.body_html)

    def save_model(self, request, obj, form, change):
        services.question_edit(
            question=obj,
            editor=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            category=form.cleaned_data["category"],
        )

    @admin.action(description=_("Approve the selected questions"), permissions=["moderate"])
    def approve(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda q: services.question_approve(question=q, moderator=request.user),
        )

    @admin.action(
        description=_("Reject the selected questions (with a reason)"), permissions=["moderate"]
    )
    def reject(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(ReasonForm, request),
            title=_("Reject questions"),
            call=lambda q, data: services.question_reject(
                question=q, moderator=request.user, reason=data["note"]
            ),
        )

    @admin.action(
        description=_("Move the selected questions to another category"), permissions=["moderate"]
    )
    def move(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(MoveForm, request),
            title=_("Move questions"),
            call=lambda q, data: services.question_move(
                question=q,
                category=data["category"],
                moderator=request.user,
                reason=data["reason"],
            ),
        )

    @admin.action(
        description=_("Merge the selected duplicates into another question"),
        permissions=["moderate"],
    )
    def merge(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(MergeForm, request),
            title=_("Merge questions"),
            call=lambda q, data: services.question_merge(
                source=q, target=data["target"], moderator=request.user, reason=data["reason"]
            ),
        )


@admin.register(PendingQuestion)
class PendingQuestionAdmin(QuestionAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Question.Status.PENDING)


class RevisionInline(admin.TabularInline):
    model = AnswerRevision
    fields = ["created_at", "editor", "body"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(ModerationAdminMixin, admin.ModelAdmin):
    moderate_permission = services.MODERATE_ANSWER
    list_display = ["__str__", "author", "status", "score", "is_endorsed", "created_at"]
    list_filter = ["status", "is_endorsed"]
    list_select_related = ["question", "author"]
    search_fields = ["body", "question__title", "author__username", "author__email"]
    readonly_fields = [
        "question",
        "author",
        "status",
        "score",
        "is_endorsed",
        "published_at",
        "rendered_answer",
    ]
    fields = ["question", "author", "rendered_answer", "body", *readonly_fields[2:-1]]
    inlines = [RevisionInline]
    actions = ["approve", "reject", "hide", "endorse"]
    Media = RenderedContentMedia

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Answer as shown"))
    def rendered_answer(self, obj):
        return rendered(obj.body_html)

    def has_change_permission(self, request, obj=None):
        # Moderators decide on answers through the actions; the text stays the author's.
        return super().has_change_permission(request, obj) and obj is None

    @admin.action(description=_("Approve the selected answers"), permissions=["moderate"])
    def approve(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda a: services.answer_approve(answer=a, moderator=request.user),
        )

    @admin.action(
        description=_("Reject the selected answers (with a reason)"), permissions=["moderate"]
    )
    def reject(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(ReasonForm, request),
            title=_("Reject answers"),
            call=lambda a, data: services.answer_reject(
                answer=a, moderator=request.user, reason=data["note"]
            ),
        )

    @admin.action(
        description=_("Hide the selected answers (with a reason)"), permissions=["moderate"]
    )
    def hide(self, request, queryset):
        return apply_with_form(
            self,
            request,
            queryset,
            form=bound_if_applied(ReasonForm, request),
            title=_("Hide answers"),
            call=lambda a, data: services.answer_hide(
                answer=a, moderator=request.user, reason=data["note"]
            ),
        )

    @admin.action(description=_("Endorse as the reference answer"), permissions=["moderate"])
    def endorse(self, request, queryset):
        apply_to_each(
            self,
            request,
            queryset,
            lambda a: services.answer_endorse(answer=a, moderator=request.user),
        )


@admin.register(PendingAnswer)
class PendingAnswerAdmin(AnswerAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=Answer.Status.PENDING)


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "question", "answer", "reason"]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "question", "answer"]
    search_fields = ["reason", "detail", "question__title", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
