"""Writes to the search index. `on_content_changed` is registered with llmprep.indexing: the
content services call it, inside their transaction, whenever searchable content changes; it
re-reads the objects through the content apps' selectors and makes their index entries say
what the objects say now (or drops them). `rebuild` does the same for everything, from
scratch. Both go through `_save` and `_delete`, so an incremental index equals a rebuilt one.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q

from search.analysis import index_terms, vocabulary
from search.models import AnswerTerms, Document, Term

QUESTION = Document.Kind.QUESTION
JOB = Document.Kind.JOB
BATCH = 500
# PostgreSQL refuses a tsvector over 1 MB; a question with that much answer text is indexed
# on its first (best) answers' text up to this many characters of terms.
MAX_ANSWERS_TERMS = 400_000


def on_content_changed(kind: str, pks: list[int]) -> None:
    if kind == QUESTION:
        index_questions(pks)
    elif kind == JOB:
        index_jobs(pks)


# Questions ----------------------------------------------------------------------------------


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def index_questions(pks: Iterable[int]) -> None:
    from questions.selectors import questions_for_search

    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        found = {q.id: q for q in questions_for_search(batch)}
        existing = {
            d.object_id: d
            for d in Document.objects.filter(kind=QUESTION, object_id__in=batch).order_by()
        }
        _delete([existing[pk] for pk in batch if pk not in found and pk in existing])
        for pk, question in found.items():
            _save_question(question, existing.get(pk))


def _question_fields(question, answer_terms: list[str], previous: Document | None = None) -> dict:
    """The index entry of a question. With `previous` (its current entry), the title, path and
    details are re-analysed only if they changed: saving an answer analyses just the answer."""
    path = question.category_path
    title = question.title[:300]
    details = _digest(question.body)
    old = previous.extra if previous is not None and previous.pk else None
    category_position, category_id, position, pk = question.order
    return {
        "title": title,
        "url": question.url[:500],
        "context": " › ".join(path)[:500],
        "extra": {"path": path, "answer_count": len(question.answers), "details": details},
        "category_id": question.category_id,
        "answered": bool(question.answers),
        "endorsed": any(a.is_endorsed for a in question.answers),
        "expires_at": None,
        "order_key": f"{category_position:010d}{category_id:012d}{position:010d}{pk:012d}",
        "title_terms": (
            previous.title_terms if old and previous.title == title else index_terms(title)
        ),
        "path_terms": (
            previous.path_terms
            if old and old.get("path") == path
            else " ".join(index_terms(name) for name in path)
        ),
        "details_terms": (
            previous.details_terms
            if old and old.get("details") == details
            else index_terms(question.body)
        ),
        "answers_terms": _capped(" ".join(answer_terms)),
    }


def _save_question(question, document: Document | None) -> None:
    document = document or Document(kind=QUESTION, object_id=question.id)
    same_words = bool(document.pk) and (document.title, document.extra.get("path")) == (
        question.title[:300],
        question.category_path,
    )
    old_vocabulary = _document_vocabulary(document) if document.pk and not same_words else set()
    known = _known_answer_terms(document, question.answers)
    answer_terms = [
        known[a.id].terms
        if a.id in known and known[a.id].digest == _digest(a.body)
        else index_terms(a.body)
        for a in question.answers
    ]
    for name, value in _question_fields(question, answer_terms, document).items():
        setattr(document, name, value)
    document.save()
    _sync_answers(document, question.answers, answer_terms, known)
    if not same_words:
        _count_vocabulary(old_vocabulary, _document_vocabulary(document))


def _known_answer_terms(document: Document, answers) -> dict[int, AnswerTerms]:
    """The stored analyses of this document's answers and of the given answers (one query)."""
    condition = Q(answer_id__in=[a.id for a in answers])
    if document.pk:
        condition |= Q(document=document)
    return {row.answer_id: row for row in AnswerTerms.objects.filter(condition).order_by()}


def _sync_answers(document: Document, answers, answer_terms: list[str], known) -> None:
    for answer, terms in zip(answers, answer_terms, strict=True):
        digest = _digest(answer.body)
        row = known.get(answer.id)
        if row is None:
            AnswerTerms.objects.create(
                answer_id=answer.id, document=document, digest=digest, terms=terms
            )
        elif row.digest != digest or row.document_id != document.pk:
            AnswerTerms.objects.filter(pk=row.pk).update(
                document=document, digest=digest, terms=terms
            )
    current = {a.id for a in answers}
    stale = [
        row.pk
        for row in known.values()
        if row.answer_id not in current and row.document_id == document.pk
    ]
    if stale:
        AnswerTerms.objects.filter(pk__in=stale).delete()


def _capped(terms: str) -> str:
    if len(terms) <= MAX_ANSWERS_TERMS:
        return terms
    return terms[:MAX_ANSWERS_TERMS].rsplit(" ", 1)[0]


# Jobs ------------------------------------------------------------------------------------------


def index_jobs(pks: Iterable[int]) -> None:
    from jobs.selectors import jobs_for_search

    pks = list(pks)
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        found = {job.pk: job for job in jobs_for_search(batch)}
        existing = {d.object_id: d for d in Document.objects.filter(kind=JOB, object_id__in=batch)}
        _delete([existing[pk] for pk in batch if pk not in found and pk in existing])
        for pk, job in found.items():
            _save_job(job, existing.get(pk))


# Newer postings first: their publication time, counted down from this (year 2286).
_FAR_FUTURE = 9_999_999_999


def _job_fields(job) -> dict:
    tags = [tag.name for tag in job.tags.all()]
    published = int(job.published_at.timestamp()) if job.published_at else 0
    return {
        "title": job.title[:300],
        "url": job.get_absolute_url()[:500],
        "context": f"{job.company.name} · {job.location}"[:500],
        "extra": {
            "path": [job.company.name, job.location, *tags],
            "company": job.company.name,
            "location": job.location,
            "tags": tags,
        },
        "category_id": None,
        "answered": False,
        "endorsed": False,
        "expires_at": job.expires_at,
        "order_key": (
            f"{0 if job.is_featured else 1}{_FAR_FUTURE - published:010d}{10**12 - job.pk:012d}"
        ),
        "title_terms": index_terms(job.title),
        "path_terms": " ".join(
            index_terms(text) for text in (job.company.name, job.location, *tags)
        ),
        "details_terms": index_terms(job.description),
        "answers_terms": "",
    }


def _save_job(job, document: Document | None) -> None:
    document = document or Document(kind=JOB, object_id=job.pk)
    old_vocabulary = _document_vocabulary(document) if document.pk else set()
    for name, value in _job_fields(job).items():
        setattr(document, name, value)
    document.save()
    _count_vocabulary(old_vocabulary, _document_vocabulary(document))


# Shared ----------------------------------------------------------------------------------------


def _document_vocabulary(document: Document) -> set[str]:
    """The words of a document's title and path, as typed (not stemmed): the vocabulary that
    typo correction and "did you mean" draw on."""
    words = vocabulary(document.title)
    for part in document.extra.get("path", []):
        words |= vocabulary(part)
    return {w for w in words if len(w) <= 64}


def _count_vocabulary(old: set[str], new: set[str]) -> None:
    added, removed = sorted(new - old), sorted(old - new)
    if added:
        Term.objects.bulk_create([Term(term=w, df=0) for w in added], ignore_conflicts=True)
        Term.objects.filter(term__in=added).update(df=F("df") + 1)
    if removed:
        Term.objects.filter(term__in=removed).update(df=F("df") - 1)
        Term.objects.filter(term__in=removed, df__lte=0).delete()


def _delete(documents: list[Document]) -> None:
    for document in documents:
        _count_vocabulary(_document_vocabulary(document), set())
    if documents:
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Drop the whole index and build it again from the content apps, in bulk: the same
    fields as the incremental path (`_question_fields`, `_job_fields`), written with
    bulk_create."""
    from jobs.selectors import jobs_for_search, published_job_ids
    from questions.selectors import published_question_ids, questions_for_search

    AnswerTerms.objects.all().delete()
    Document.objects.all().delete()
    Term.objects.all().delete()
    df: Counter[str] = Counter()
    question_ids = list(published_question_ids())
    for start in range(0, len(question_ids), BATCH):
        questions = questions_for_search(question_ids[start : start + BATCH])
        documents, answers = [], []
        for question in questions:
            terms = [index_terms(answer.body) for answer in question.answers]
            documents.append(
                Document(kind=QUESTION, object_id=question.id, **_question_fields(question, terms))
            )
            answers.append(list(zip(question.answers, terms, strict=True)))
        Document.objects.bulk_create(documents)
        AnswerTerms.objects.bulk_create(
            AnswerTerms(answer_id=a.id, document=d, digest=_digest(a.body), terms=t)
            for d, pairs in zip(documents, answers, strict=True)
            for a, t in pairs
        )
        for document in documents:
            df.update(_document_vocabulary(document))
    job_ids = list(published_job_ids())
    for start in range(0, len(job_ids), BATCH):
        documents = [
            Document(kind=JOB, object_id=job.pk, **_job_fields(job))
            for job in jobs_for_search(job_ids[start : start + BATCH])
        ]
        Document.objects.bulk_create(documents)
        for document in documents:
            df.update(_document_vocabulary(document))
    Term.objects.bulk_create(
        (Term(term=term, df=n) for term, n in sorted(df.items())), batch_size=BATCH
    )
    return {kind: Document.objects.filter(kind=kind).count() for kind in (QUESTION, JOB)}
