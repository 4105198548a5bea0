from django import forms
from django.utils.translation import gettext_lazy as _


class SearchForm(forms.Form):
    """Parses the page's query string; anything it does not understand is simply ignored
    (a search page never fails on its input)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("LoRA, 位置编码, hallucination…"),
                "autocomplete": "off",
                "id": "search-q",
            }
        ),
    )
    type = forms.ChoiceField(
        choices=[("questions", _("Questions")), ("jobs", _("Jobs"))],
        required=False,
        widget=forms.HiddenInput,
    )
    category = forms.TypedChoiceField(
        label=_("Category"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(attrs={"id": "search-category"}),
    )

    def __init__(self, *args, category_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *category_choices]

    def value(self, name, default=None):
        """The cleaned value, or `default` when absent or invalid."""
        if not self.is_valid():
            cleaned = {
                k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors
            }
        else:
            cleaned = self.cleaned_data
        value = cleaned.get(name)
        return default if value in (None, "") else value
