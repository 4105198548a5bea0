from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.selectors import get_user_for_profile
from accounts.services import profile_update


def profile(request, username):
    member = get_user_for_profile(username)
    return render(request, "accounts/profile.html", {"member": member})


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
