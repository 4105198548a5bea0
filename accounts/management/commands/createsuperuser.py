"""Django's createsuperuser, plus: the new superuser's e-mail address counts as verified.

Posting needs a verified address (allauth, ACCOUNT_EMAIL_VERIFICATION = "mandatory"), and an
administrator created here never gets a verification mail to click."""

from django.contrib.auth.management.commands import createsuperuser

from accounts.services import user_mark_email_verified


class Command(createsuperuser.Command):
    help = createsuperuser.Command.help + " Its e-mail address is marked verified."

    def handle(self, *args, **options):
        superusers = self.UserModel._default_manager.db_manager(options["database"]).filter(
            is_superuser=True
        )
        before = set(superusers.values_list("pk", flat=True))
        super().handle(*args, **options)
        for user in superusers.exclude(pk__in=before):
            user_mark_email_verified(user=user)
