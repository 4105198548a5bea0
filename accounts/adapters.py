from allauth.account.adapter import DefaultAccountAdapter

from accounts.roles import MEMBERS
from accounts.services import user_grant_role


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user_grant_role(user=user, role=MEMBERS)
        return user
