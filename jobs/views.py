from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.selectors import user_is_moderator, user_is_recruiter
from jobs import selectors, services
from jobs.filters import JobFilter
from jobs.forms import CompanyForm, JobForm, RecruiterApplicationForm
from llmprep.errors import DomainError
from llmprep.forms import submit


def recruiter_required(view):
    """Anonymous visitors log in; members who are not recruiters are told how to become one."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not user_is_recruiter(request.user):
            return render(
                request,
                "jobs/not_recruiter.html",
                {"application": selectors.recruiter_application_latest(request.user)},
                status=403,
            )
        return view(request, *args, **kwargs)

    return wrapper


def job_list(request):
    job_filter = JobFilter(request.GET, queryset=selectors.job_list_live())
    paginator = Paginator(job_filter.qs, per_page=20)
    page = paginator.get_page(request.GET.get("page"))
    context = {"filter": job_filter, "page": page}
    template = "jobs/job_list.html#results" if request.htmx else "jobs/job_list.html"
    return render(request, template, context)


def job_detail(request, pk, slug=None):
    job = selectors.get_job_for_viewer(request.user, pk)
    if (slug or "") != job.slug:
        return redirect(job, permanent=True)
    context = {
        "job": job,
        "is_live": job.is_live(),
        "can_manage": selectors.user_can_manage_job(request.user, job),
        "is_moderator": user_is_moderator(request.user),
    }
    return render(request, "jobs/job_detail.html", context)


@login_required
def recruiter_apply(request):
    if user_is_recruiter(request.user):
        messages.info(request, _("You are already a recruiter."))
        return redirect("jobs:mine")
    latest = selectors.recruiter_application_latest(request.user)
    form = RecruiterApplicationForm(request.POST or None)
    submission = submit(
        request,
        form,
        lambda data: services.recruiter_application_submit(applicant=request.user, **data),
    )
    if submission.done:
        messages.success(
            request, _("Thank you. A moderator will review your application and email you.")
        )
        return redirect("jobs:recruiter_apply")
    context = {"form": form, "application": latest}
    return render(request, "jobs/recruiter_apply.html", context, status=submission.status)


@recruiter_required
def mine(request):
    jobs = selectors.recruiter_job_list(request.user)
    companies = selectors.recruiter_companies(request.user)
    return render(request, "jobs/mine.html", {"jobs": jobs, "companies": companies})


@recruiter_required
def company_edit(request, pk):
    company = selectors.get_company_for_recruiter(request.user, pk)
    form = CompanyForm(request.POST or None, instance=company)
    submission = submit(
        request,
        form,
        lambda data: services.company_update(
            company=selectors.get_company_for_recruiter(request.user, pk),
            editor=request.user,
            website=data["website"],
            description=data["description"],
        ),
    )
    if submission.done:
        messages.success(request, _("Company profile saved."))
        return redirect("jobs:mine")
    context = {"form": form, "company": company}
    return render(request, "jobs/company_form.html", context, status=submission.status)


@recruiter_required
def job_create(request):
    companies = selectors.recruiter_companies(request.user)
    if not companies:
        # A recruiter named in the admin without a company profile: a moderator must add one.
        return render(request, "jobs/not_recruiter.html", {"no_company": True}, status=403)
    form = JobForm(request.POST or None, companies=companies)
    submission = submit(
        request,
        form,
        lambda data: services.job_create(
            author=request.user,
            company=data["company"],
            content=form.content(),
            tags=data["tags"],
        ),
    )
    if submission.done:
        messages.success(request, _("Draft saved. Submit it for review when it is ready."))
        return redirect(submission.result)
    return render(request, "jobs/job_form.html", {"form": form}, status=submission.status)


@recruiter_required
def job_edit(request, pk):
    job = selectors.get_job_for_recruiter(request.user, pk)
    if not job.can_edit:
        messages.error(request, _("A closed posting cannot be edited."))
        return redirect("jobs:mine")
    form = JobForm(request.POST or None, instance=job, companies=None)
    was_published = job.is_published
    # The form copies its values onto `job`; the service compares them with a fresh copy to
    # see what changed.
    submission = submit(
        request,
        form,
        lambda data: services.job_update(
            job=selectors.get_job_for_recruiter(request.user, pk),
            actor=request.user,
            content=form.content(),
            tags=data["tags"],
        ),
    )
    if submission.done:
        if was_published and submission.result.is_pending:
            messages.info(request, _("Saved. The changes go live after a moderator reviews them."))
        else:
            messages.success(request, _("Saved."))
        return redirect(submission.result)
    context = {"form": form, "job": job}
    return render(request, "jobs/job_form.html", context, status=submission.status)


def _recruiter_action(service, success_message):
    @require_POST
    @recruiter_required
    def view(request, pk):
        job = selectors.get_job_for_recruiter(request.user, pk)
        try:
            service(job=job, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success_message)
        return redirect("jobs:mine")

    return view


job_submit = _recruiter_action(services.job_submit, gettext_lazy("Submitted for review."))
job_renew = _recruiter_action(services.job_renew, gettext_lazy("Renewed."))
job_archive = _recruiter_action(services.job_archive, gettext_lazy("Archived."))
job_mark_filled = _recruiter_action(services.job_mark_filled, gettext_lazy("Marked as filled."))
