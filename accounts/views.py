from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ApiTokenForm, ProfileForm
from accounts.selectors import api_tokens_for
from accounts.services import api_token_create, api_token_revoke, profile_update
from llmprep.forms import submit


@login_required
def settings_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    submission = submit(
        request,
        form,
        lambda data: profile_update(
            user=request.user,
            display_name=data["display_name"],
            bio=data["bio"],
            language=data["language"],
        ),
    )
    if submission.done:
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form}, status=submission.status)


@never_cache
@login_required
def api_tokens(request):
    """List the member's API tokens and create one; a new token's secret is shown only in the
    response to the POST that created it."""
    form = ApiTokenForm(request.POST or None)
    submission = submit(
        request, form, lambda data: api_token_create(user=request.user, name=data["name"])
    )
    created, secret = submission.result if submission.done else (None, None)
    if submission.done:
        form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": api_tokens_for(request.user),
        "created": created,
        "secret": secret,
    }
    return render(request, "accounts/tokens.html", context, status=submission.status)


@require_POST
@login_required
def api_token_revoke_view(request, pk):
    if api_token_revoke(user=request.user, token_id=pk):
        messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:tokens")
