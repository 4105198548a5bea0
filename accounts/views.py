from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ApiTokenForm, ProfileForm
from accounts.selectors import api_tokens_for, get_user_for_profile
from accounts.services import api_token_create, api_token_revoke, profile_update


def profile(request, username):
    from questions.selectors import member_answers

    member = get_user_for_profile(username)
    answers, totals = member_answers(member, limit=10)
    context = {"member": member, "answers": answers, "totals": totals}
    return render(request, "accounts/profile.html", context)


@login_required
def settings_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        profile_update(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            bio=form.cleaned_data["bio"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@never_cache
@login_required
def api_tokens(request):
    """List the member's API tokens and create one; a new token's secret is shown only in the
    response to the POST that created it."""
    form = ApiTokenForm(request.POST or None)
    created, secret = None, None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            created, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
        else:
            status = 400
    context = {
        "form": form,
        "tokens": api_tokens_for(request.user),
        "created": created,
        "secret": secret,
    }
    return render(request, "accounts/tokens.html", context, status=status)


@require_POST
@login_required
def api_token_revoke_view(request, pk):
    if api_token_revoke(user=request.user, token_id=pk):
        messages.success(request, _("The token was revoked; it no longer works."))
    return redirect("accounts:tokens")
