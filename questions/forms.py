from django import forms
from django.core.validators import MinLengthValidator
from django.utils.translation import gettext_lazy as _

from questions.models import (
    ANSWER_MAX_LENGTH,
    ANSWER_MIN_LENGTH,
    BODY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Category,
    StudyProgress,
)
from questions.selectors import category_tree


def category_tree_choices() -> list[tuple]:
    """Categories as an indented tree, in bank order."""
    choices = [("", "---------")]

    def walk(nodes, depth):
        for node in nodes:
            choices.append((node.pk, f"{'— ' * depth}{node.category.name}"))
            walk(node.children, depth + 1)

    walk(category_tree().roots, 0)
    return choices


class QuestionForm(forms.Form):
    title = forms.CharField(
        label=_("Question"),
        min_length=TITLE_MIN_LENGTH,
        max_length=TITLE_MAX_LENGTH,
        help_text=_("One question, as an interviewer would ask it."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    body = forms.CharField(
        label=_("Details (optional, Markdown)"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_tree_choices()

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < TITLE_MIN_LENGTH:
            raise forms.ValidationError(
                _("The question must be at least %(n)d characters long."),
                params={"n": TITLE_MIN_LENGTH},
            )
        return title


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer (Markdown, $…$ for math, ``` for code)"),
        max_length=ANSWER_MAX_LENGTH,
        validators=[MinLengthValidator(ANSWER_MIN_LENGTH)],
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=True,
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Not started")), *StudyProgress.Status.choices], required=False
    )


class ReasonForm(forms.Form):
    """The admin's intermediate page for decisions that need a reason."""

    reason = forms.CharField(
        label=_("Reason (sent to the author)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
