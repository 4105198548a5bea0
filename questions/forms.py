"""Forms of the question bank's pages. They parse input; the rules (lengths, states, limits)
are questions.services' and come back as field errors (llmprep.errors.add_to_form). The
length attributes below only let the browser help before anything is sent."""

from django import forms
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
        strip=False,
        widget=forms.TextInput(
            attrs={"minlength": TITLE_MIN_LENGTH, "maxlength": TITLE_MAX_LENGTH}
        ),
        help_text=_("One question, as an interviewer would ask it."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    body = forms.CharField(
        label=_("Details (optional, Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX_LENGTH}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_tree_choices()


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer (Markdown, $…$ for math, ``` for code)"),
        widget=forms.Textarea(
            attrs={"rows": 12, "minlength": ANSWER_MIN_LENGTH, "maxlength": ANSWER_MAX_LENGTH}
        ),
        strip=False,
    )


class VoteForm(forms.Form):
    value = forms.TypedChoiceField(choices=[("1", "1"), ("-1", "-1"), ("0", "0")], coerce=int)


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Not started")), *StudyProgress.Status.choices], required=False
    )
