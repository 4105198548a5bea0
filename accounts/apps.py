from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's app (e-mail addresses) is called that, and the admin's sidebar
    # would show two groups of the same name.
    verbose_name = _("Users")

    def ready(self):
        from django.contrib.auth.management import create_permissions

        from accounts.roles import sync_role_permissions

        # accounts is first in INSTALLED_APPS (so that its createsuperuser wins), so this runs
        # before django.contrib.auth's ready(). Connect auth's permission creation here, under
        # auth's own dispatch_uid (its later connect is then a no-op), so that it still runs
        # before sync_role_permissions, which needs the permissions to exist.
        post_migrate.connect(
            create_permissions, dispatch_uid="django.contrib.auth.management.create_permissions"
        )
        # Permissions exist only after every app has migrated, so the role groups are
        # given theirs here rather than in a migration.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
        # The Site row that allauth's mails read follows SITE_URL and SITE_NAME.
        from django.apps import apps

        from llmprep.sites import sync_site

        post_migrate.connect(
            sync_site, sender=apps.get_app_config("sites"), dispatch_uid="llmprep.sync_site"
        )
