"""Helpers for moderation actions in the admin, shared by the apps: an intermediate page that
asks for a reason (or other input) before an action runs, and a loop that applies a service to
each selected object and reports what it did and what it had to skip."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import ngettext


def form_page(modeladmin, request, queryset, *, form, title):
    """The page that collects a form for an admin action; it posts back to the same action
    with `apply` set. Show it when `form` is unbound or invalid."""
    return TemplateResponse(
        request,
        "admin/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "opts": modeladmin.model._meta,
            "queryset": queryset,
            "action": request.POST.get("action", ""),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        },
    )


def bound_if_applied(form_class, request, **kwargs):
    """The action's form, bound only once the intermediate page was submitted."""
    return form_class(request.POST if "apply" in request.POST else None, **kwargs)


def apply_to_each(modeladmin, request, queryset, call, *, refused=(Exception,)) -> None:
    """Run `call(obj)` for each selected object. Objects whose service refuses the change
    (one of `refused`) are skipped with the reason, so one stale row does not block a batch."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except refused as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d item updated.", "%(count)d items updated.", done) % {"count": done},
            messages.SUCCESS,
        )


def apply_with_form(modeladmin, request, queryset, *, form, title, call, refused=(Exception,)):
    """An action that needs input first: show `form` until it is valid, then run
    `call(obj, cleaned_data)` for each selected object."""
    if not form.is_valid():
        return form_page(modeladmin, request, queryset, form=form, title=title)
    apply_to_each(
        modeladmin, request, queryset, lambda obj: call(obj, form.cleaned_data), refused=refused
    )
    return None
