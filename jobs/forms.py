import re

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models import Company, Job, RecruiterApplication, tag_slug
from jobs.services import EDITABLE_FIELDS

# Commas in either script, the Chinese enumeration comma, and semicolons separate tags.
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


def https_by_default(field, **kwargs):
    # A link typed without a scheme is taken to be https (Django 6's default already).
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def parse_tags(text: str) -> list[str]:
    names: dict[str, str] = {}
    for name in TAG_SEPARATORS.split(text or ""):
        name = name.strip()
        if name:
            names.setdefault(tag_slug(name), name)
    return list(names.values())


class JobForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Comma-separated, for example LLM, RLHF, 推理, agents (at most 8)"),
    )

    class Meta:
        model = Job
        fields = ["company", *EDITABLE_FIELDS]
        formfield_callback = https_by_default
        widgets = {
            "description": forms.Textarea(attrs={"rows": 14}),
            "requested_expires_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies
        self.fields["company"].empty_label = None
        if self.instance.pk:
            # A posting stays with its company.
            del self.fields["company"]
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_tags(self):
        # Parsing only: how many tags and how long is the service's rule.
        return parse_tags(self.cleaned_data["tags"])

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class RecruiterApplicationForm(forms.ModelForm):
    class Meta:
        model = RecruiterApplication
        formfield_callback = https_by_default
        fields = ["company_name", "website", "work_email", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "work_email": _("An address at the company's domain helps us verify you."),
            "note": _("Your role, and the kind of positions you will post."),
        }


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        formfield_callback = https_by_default
        fields = ["website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
