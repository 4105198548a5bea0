from functools import wraps

from allauth.account.decorators import verified_email_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from llmprep.errors import NotAllowed
from llmprep.forms import submit
from questions import selectors, services
from questions.filters import QuestionFilter
from questions.forms import AnswerForm, ProgressForm, QuestionForm, VoteForm
from questions.models import Category, StudyProgress

PAGE_SIZE = 20


def _list_context(request, *, category: Category | None = None):
    data = request.GET.copy()
    if category is not None:
        data["category"] = str(category.pk)
    tree = selectors.category_tree()
    filterset = QuestionFilter(data, queryset=selectors.question_list_base())
    if not filterset.is_valid():
        # Invalid filters are shown as form errors; the list falls back to the whole bank.
        filterset_qs = QuestionFilter({}, queryset=selectors.question_list_base()).qs
    else:
        filterset_qs = filterset.qs
    page = Paginator(filterset_qs, PAGE_SIZE).get_page(request.GET.get("page"))
    questions = list(page.object_list)
    progress = selectors.progress_for(request.user, [q.pk for q in questions])
    labels = dict(StudyProgress.Status.choices)
    for question in questions:
        question.viewer_progress = labels.get(progress.get(question.pk), "")
    return {
        "filter": filterset,
        "page_obj": page,
        "questions": questions,
        "tree": tree,
        "category": category,
        "breadcrumbs": tree.ancestors(category.pk) if category else [],
        "subcategories": tree.by_id[category.pk].children if category else tree.roots,
    }


def question_list(request):
    context = _list_context(request)
    template = "questions/list.html#results" if request.htmx else "questions/list.html"
    return render(request, template, context)


def category_detail(request, pk, slug=None):
    category = get_object_or_404(Category, pk=pk)
    if slug != category.slug:
        return redirect(category.get_absolute_url(), permanent=True)
    context = _list_context(request, category=category)
    template = "questions/list.html#results" if request.htmx else "questions/list.html"
    return render(request, template, context)


def _detail_context(request, question, answer_form=None):
    tree = selectors.category_tree()
    answers = selectors.answers_for_question_page(question=question, viewer=request.user)
    return {
        "question": question,
        "answers": answers,
        "breadcrumbs": tree.ancestors(question.category_id),
        "answer_form": answer_form or AnswerForm(),
        "can_moderate": selectors.viewer_can_moderate(request.user),
        "progress": selectors.progress_for(request.user, [question.pk]).get(question.pk, ""),
        "progress_choices": StudyProgress.Status.choices,
    }


def question_detail(request, pk, slug=None):
    try:
        question = selectors.get_question_for_user(request.user, pk)
    except Http404:
        # A duplicate merged away lives on at the question it was merged into.
        target = selectors.question_merged_into(request.user, pk)
        if target is None:
            raise
        return redirect(target.get_absolute_url(), permanent=True)
    if slug != question.slug:
        return redirect(question.get_absolute_url(), permanent=True)
    return render(request, "questions/detail.html", _detail_context(request, question))


@verified_email_required
def question_ask(request):
    form = QuestionForm(request.POST or None)
    submission = submit(
        request,
        form,
        lambda data: services.question_submit(
            author=request.user, category=data["category"], title=data["title"], body=data["body"]
        ),
    )
    if submission.done:
        question = submission.result
        if question.is_pending:
            messages.success(request, _("Thanks! Your question is awaiting review."))
        else:
            messages.success(request, _("Your question is published."))
        return redirect(question.get_absolute_url())
    return render(request, "questions/ask.html", {"form": form}, status=submission.status)


@require_POST
@verified_email_required
def answer_create(request, pk):
    question = selectors.get_answerable_question(request.user, pk)
    form = AnswerForm(request.POST)
    submission = submit(
        request,
        form,
        lambda data: services.answer_create(
            question=question, author=request.user, body=data["body"]
        ),
    )
    if submission.done:
        answer = submission.result
        if answer.is_pending:
            messages.success(
                request,
                _(
                    "Thanks! Your answer is awaiting review; new members' first answers "
                    "are checked by a moderator."
                ),
            )
        else:
            messages.success(request, _("Your answer is published."))
        return redirect(answer.get_absolute_url())
    context = _detail_context(request, question, answer_form=form)
    return render(request, "questions/detail.html", context, status=submission.status)


@verified_email_required
def answer_edit(request, pk):
    answer = selectors.get_own_answer(request.user, pk)
    form = AnswerForm(request.POST or None, initial={"body": answer.body})
    submission = submit(
        request,
        form,
        lambda data: services.answer_update(answer=answer, editor=request.user, body=data["body"]),
    )
    if submission.done:
        messages.success(request, _("Your answer was updated."))
        return redirect(answer.get_absolute_url())
    context = {"form": form, "answer": answer}
    return render(request, "questions/answer_edit.html", context, status=submission.status)


@require_POST
@login_required
def answer_preview(request):
    # A refusal (too long, too often) is shown in the preview box by DomainErrorMiddleware.
    preview_html = services.answer_preview(user=request.user, body=request.POST.get("body", ""))
    return render(request, "questions/detail.html#preview", {"preview_html": preview_html})


def _vote_returns_to_the_answer(view):
    """A vote is a member's POST. A visitor who is not logged in is sent to log in and then back
    to the answer on its question page, never to this POST-only address; a GET here (an old
    link, a reload) goes to the answer too."""

    @wraps(view)
    def wrapper(request, pk):
        if request.method == "POST" and request.user.is_authenticated:
            return view(request, pk)
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["POST"])
        answer_url = selectors.get_answer_for_user(request.user, pk).get_absolute_url()
        if request.method != "POST":
            return redirect(answer_url)
        login = redirect_to_login(answer_url)
        return HttpResponseClientRedirect(login.url) if request.htmx else login

    return wrapper


@_vote_returns_to_the_answer
@verified_email_required
def answer_vote(request, pk):
    answer = selectors.get_votable_answer(request.user, pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        error = _("A vote is 1 (up), -1 (down) or 0 (withdraw).")
        if request.htmx:
            answer.viewer_vote = selectors.viewer_vote_on(request.user, answer)
            context = {"answer": answer, "vote_error": error}
            return render(request, "questions/detail.html#vote", context, status=400)
        return HttpResponseBadRequest(error)
    error = None
    try:
        result = services.vote_cast(
            user=request.user, answer_id=answer.pk, value=form.cleaned_data["value"]
        )
    except NotAllowed as exc:
        error = str(exc)
        answer.viewer_vote = 0
    else:
        answer.score, answer.viewer_vote = result.score, result.value
    if request.htmx:
        context = {"answer": answer, "vote_error": error}
        return render(request, "questions/detail.html#vote", context, status=403 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(answer.get_absolute_url())


@require_POST
@verified_email_required
def question_progress(request, pk):
    question = selectors.get_question_for_user(request.user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown study status."))
    services.progress_set(user=request.user, question=question, status=form.cleaned_data["status"])
    if request.htmx:
        context = {
            "question": question,
            "progress": form.cleaned_data["status"],
            "progress_choices": StudyProgress.Status.choices,
        }
        return render(request, "questions/detail.html#progress", context)
    messages.success(request, _("Study progress saved."))
    return redirect(question.get_absolute_url())


@login_required
def my_progress(request):
    items = (
        StudyProgress.objects.filter(user=request.user)
        .select_related("question__category")
        .order_by("status", "-updated_at")
    )
    context = {
        "items": items,
        "due": selectors.progress_due_for_review(request.user, now=timezone.now())[:50],
        "summary": selectors.progress_summary(request.user),
        "awaiting": selectors.questions_awaiting_review_by(request.user),
    }
    return render(request, "questions/my_progress.html", context)
