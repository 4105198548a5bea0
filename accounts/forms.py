from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
