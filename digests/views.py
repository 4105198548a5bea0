from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from digests.forms import DigestPreferenceForm
from digests.mail import unsubscribe_token_user_id
from digests.selectors import digest_preference_for, digest_unsubscribe_member
from digests.services import digest_preference_update, digest_unsubscribe


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """The digest form; it is also shown on the settings page and posts here."""
    form = DigestPreferenceForm(
        request.POST or None, instance=digest_preference_for(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        digest_preference_update(
            user=request.user,
            frequency=form.cleaned_data["frequency"],
            weekday=form.cleaned_data["weekday"],
            hour=form.cleaned_data["hour"],
            time_zone=form.cleaned_data["time_zone"],
            categories=list(form.cleaned_data["categories"]),
            job_tags=list(form.cleaned_data["job_tags"]),
        )
        messages.success(request, _("Your digest preferences were saved."))
        return redirect(f"{reverse('accounts:settings')}#digests")
    return render(request, "digests/preferences.html", {"digest_form": form})


# Mail clients POST here for RFC 8058 one-click unsubscribe, without a session or CSRF token;
# the signed token in the URL is the authorization.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user_id = unsubscribe_token_user_id(token)
    if user_id is None:
        return render(request, "digests/unsubscribe_invalid.html", status=400)
    member = digest_unsubscribe_member(user_id=user_id)
    if request.method == "POST":
        if member is not None:
            digest_unsubscribe(user=member)
        return render(request, "digests/unsubscribed.html", {"member": member})
    return render(request, "digests/unsubscribe_confirm.html", {"member": member})
