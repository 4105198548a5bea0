from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="digests_resume_on_login")
def resume_digests_on_login(sender, request, user, **kwargs):
    """A member paused for inactivity gets their digests again once they come back."""
    from digests.services import digest_preference_resume

    digest_preference_resume(user=user)
