"""Pages that show several apps at once. Composition sits above the apps (like llmprep/urls.py
and llmprep/api_urls.py): it reads each app through its selectors, and no app imports it."""

from django.shortcuts import render

from accounts.selectors import get_user_for_profile
from jobs.selectors import job_list_live
from questions.selectors import category_tree, member_answers, recent_answers


def home(request):
    tree = category_tree()
    sections = [child for root in tree.roots for child in root.children if child.total]
    context = {
        "sections": sections,
        "question_total": sum(root.total for root in tree.roots),
        "recent_answers": recent_answers(limit=5),
        "jobs": list(job_list_live()[:5]),
    }
    return render(request, "home.html", context)


def profile(request, username):
    member = get_user_for_profile(username)
    answers, totals = member_answers(member, limit=10)
    context = {"member": member, "answers": answers, "totals": totals}
    return render(request, "accounts/profile.html", context)
