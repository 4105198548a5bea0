from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from accounts.roles import MEMBERS
from accounts.services import user_grant_role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # Mail goes out in the language the member signed up in.
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_grant_role(user=user, role=MEMBERS)
        return user
