"""The three roles are Django groups. Members is everyone who signed up; Recruiters post jobs;
Moderators are staff who work the review queues in the admin."""

from django.utils.translation import gettext_lazy as _

MEMBERS = "Members"
RECRUITERS = "Recruiters"
MODERATORS = "Moderators"

ROLE_LABELS = {MEMBERS: _("Member"), RECRUITERS: _("Recruiter"), MODERATORS: _("Moderator")}

# Model permissions each role's group holds, as "app_label.codename". Apps add theirs here as
# their models appear; sync_role_permissions() applies the list after every migrate.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    MEMBERS: [],
    RECRUITERS: [],
    MODERATORS: [
        "accounts.view_user",
        "questions.view_category",
        "questions.add_category",
        "questions.change_category",
        "questions.view_question",
        "questions.change_question",
        "questions.view_pendingquestion",
        "questions.change_pendingquestion",
        "questions.view_answer",
        "questions.view_pendinganswer",
        "questions.view_answerrevision",
        "questions.view_moderationlog",
        "questions.view_questionrevision",
        # Deciding on content is a permission of its own: viewing a queue is not enough.
        "questions.moderate_question",
        "questions.moderate_answer",
        # Job board: the review queue, postings, recruiter applications, companies, tags.
        "jobs.view_job",
        "jobs.change_job",
        "jobs.view_pendingjob",
        "jobs.change_pendingjob",
        "jobs.view_jobevent",
        "jobs.view_recruiterapplication",
        "jobs.change_recruiterapplication",
        "jobs.view_company",
        "jobs.add_company",
        "jobs.change_company",
        "jobs.view_tag",
        "jobs.change_tag",
        "jobs.moderate_job",
        # Digests: preferences and the delivery log, read-only.
        "digests.view_digestpreference",
        "digests.view_digestdelivery",
        # Outgoing mail, read-only: what was sent, what is waiting.
        "outbox.view_outboxmail",
    ],
}


def sync_role_permissions(sender=None, using="default", **kwargs):
    from django.contrib.auth.models import Group, Permission

    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=group_name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".", 1)
            found = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if found is not None:  # the app's models may not be migrated yet
                wanted.append(found)
        group.permissions.add(*wanted)
