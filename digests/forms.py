import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from digests.models import DigestPreference, Frequency
from jobs.selectors import tag_queryset
from questions.selectors import category_queryset, category_tree

HOUR_CHOICES = [(hour, f"{hour:02d}:00") for hour in range(24)]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    """Categories labelled with their path ("Part › Section"); labels come from one query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._paths: dict[int, str] | None = None

    def label_from_instance(self, obj):
        if self._paths is None:
            tree = category_tree(with_counts=False)
            self._paths = {pk: tree.path(pk) for pk in tree.by_id}
        return self._paths.get(obj.pk, obj.name)


class DigestPreferenceForm(forms.ModelForm):
    hour = forms.TypedChoiceField(
        label=_("Hour"), choices=HOUR_CHOICES, coerce=int, help_text=_("In your time zone.")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    categories = CategoryChoiceField(
        label=_("Question categories"),
        queryset=category_queryset(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sub-categories are included. Choose none to follow every category."),
    )
    job_tags = forms.ModelMultipleChoiceField(
        label=_("Job tags"),
        queryset=tag_queryset(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Jobs with any of these tags. Choose none to follow every job."),
    )

    class Meta:
        model = DigestPreference
        fields = ["frequency", "weekday", "hour", "time_zone", "categories", "job_tags"]
        widgets = {"frequency": forms.RadioSelect}


class DigestSignupForm(forms.Form):
    """Mixed into allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS). Choosing nothing keeps the
    default: weekly, Monday 09:00 Asia/Shanghai, everything followed."""

    digest_frequency = forms.ChoiceField(
        label=_("Digest emails"),
        choices=Frequency.choices,
        initial=Frequency.WEEKLY,
        required=False,
        help_text=_("What is new in the question bank and on the job board. Change it any time."),
    )

    def signup(self, request, user):
        from digests.services import digest_preference_update

        digest_preference_update(
            user=user, frequency=self.cleaned_data.get("digest_frequency") or Frequency.WEEKLY
        )
