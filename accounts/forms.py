from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import API_TOKEN_NAME_MAX_LENGTH, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=API_TOKEN_NAME_MAX_LENGTH,
        help_text=_("What the token is for, e.g. “flashcards app”."),
    )
