"""Reads of the search index: the results page, the API, and the rankers that the question
list's text filter uses through llmprep.indexing."""

import re
from dataclasses import dataclass, field

from django.utils import timezone

from search.analysis import (
    MAX_CONCEPTS,
    Concept,
    Query,
    analyse_query,
    split_han_word,
    stopwords,
    synonym_table,
    synonym_words,
)
from search.engines import Engine, Filters, Hit, engine, nearest, typo_limit
from search.models import Document

# Longer queries are cut here (a pasted paragraph is not an error).
QUERY_MAX_LENGTH = 200
QUESTION = Document.Kind.QUESTION
JOB = Document.Kind.JOB
KINDS = (QUESTION, JOB)
# What a result shows (the analysed text stays in the database).
DISPLAY_FIELDS = ("kind", "object_id", "title", "url", "context", "extra", "answered", "endorsed")
# The `type` parameter of the page and the API.
TYPES = {"questions": QUESTION, "jobs": JOB}


@dataclass
class Plan:
    """A query ready for an engine: its concepts, with typo corrections added."""

    text: str  # what the user typed, truncated
    query: Query
    corrections: dict[str, str] = field(default_factory=dict)  # typed word → vocabulary word

    @property
    def terms(self) -> set[str]:
        return self.query.all_terms

    @property
    def forms(self) -> list[str]:
        """Surface forms worth looking for in raw text (snippets): the typed words, the
        corrections, and the forms of the synonym groups the query reached."""
        forms = {c.word for c in self.query.concepts} | set(self.corrections.values())
        reached = self.terms
        table = synonym_table()
        for group_forms, canonical in zip(table.group_forms, table.group_canonical, strict=True):
            if canonical in reached:
                forms.update(group_forms)
        return sorted((f for f in forms if f), key=len, reverse=True)


def clean_query(text: str) -> str:
    return (text or "").replace("\x00", " ")[:QUERY_MAX_LENGTH].strip()


def plan_query(text: str, *, using: Engine | None = None) -> Plan:
    """Analyse the query and correct typos in its Latin words: a word of four letters or more
    that no document contains gets, as an extra alternative, the nearest title or path word
    within one edit (two from seven letters; a swap of two letters is one edit)."""
    text = clean_query(text)
    query = analyse_query(text)
    plan = Plan(text=text, query=query)
    if not query:
        return plan
    using = using or engine()
    _split_compounds(query, using)
    for concept in query.concepts:
        word = concept.word
        limit = typo_limit(word)
        if not (limit and word.isascii() and word.isalpha()):
            continue
        if any(using.document_frequency(term) for term in concept.alternatives):
            continue
        corrected = nearest(word, _candidates(word, using), limit)
        if corrected:
            plan.corrections[word] = corrected
            _add_alternatives(concept, corrected)
    _narrow_common_words(query, using)
    return plan


# In an index this large, a word more than this share of documents contain is too common to
# search in answers (see _narrow_common_words).
NARROW_MIN_DOCUMENTS = 1000
NARROW_FRACTION = 0.05


def _narrow_common_words(query: Query, using: Engine) -> None:
    """A word that many documents contain ("模型", "训练" in a big bank) is matched in titles,
    category paths and details only: in answers it says nothing about the topic, and ranking
    every answer that mentions it is what would make a query slow."""
    total = using.documents()
    if total < NARROW_MIN_DOCUMENTS:
        return
    threshold = int(total * NARROW_FRACTION)
    for concept in query.concepts:
        frequencies = [
            using.document_frequency(term, cap=threshold + 1) for term in concept.alternatives
        ]
        if max(frequencies, default=0) > threshold:
            concept.narrow = True


def _split_compounds(query: Query, using: Engine) -> None:
    """Chinese compounds also match by their parts. A word of three or more characters that no
    document contains is searched as its parts, each a concept ("显存占用" → 显存, 占用). One of
    four or more that some documents contain also matches a text holding all its parts apart
    ("注入知识" finds "注入领域知识"), as the same concept: the whole word still scores more."""
    stop = stopwords()
    concepts: list[Concept] = []

    def add(concept: Concept) -> None:
        if all(concept.word != c.word for c in concepts):
            concepts.append(concept)

    for concept in query.concepts:
        word = concept.word
        if len(word) < 3 or word.isascii() or not word.isalpha():
            add(concept)
            continue
        parts = [p for p in split_han_word(word) if p not in stop]
        if any(using.document_frequency(term) for term in concept.alternatives):
            long_parts = [p for p in parts if len(p) >= 2]
            if len(word) >= 4 and len(long_parts) >= 2:
                concept.together.append(long_parts)
            add(concept)
            continue
        for part in parts:
            add(Concept(word=part, alternatives=analyse_query(part).all_terms_list))
    query.concepts = concepts[:MAX_CONCEPTS]


def _candidates(word: str, using: Engine) -> list[tuple[str, int]]:
    """Near words from the titles and paths (with their document counts), and the synonym
    file's words (count 0: a word some title uses wins a tie)."""
    static = [(w, 0) for w in synonym_words() if abs(len(w) - len(word)) <= 2]
    return [*using.vocabulary_near(word), *static]


def _add_alternatives(concept: Concept, word: str) -> None:
    for alternative in analyse_query(word).all_terms:
        if alternative not in concept.alternatives:
            concept.alternatives.append(alternative)


def did_you_mean(plan: Plan, *, using: Engine | None = None) -> str:
    """For a query without results: the query with each unknown word replaced by the nearest
    title or path word (edit distance; pg_trgm finds the candidates on PostgreSQL), or "".
    Words are the concepts' words, and the query's runs of Chinese characters (jieba cuts an
    unknown word like 思录 into single characters; the run is what was mistyped)."""
    using = using or engine()
    words = [c.word for c in plan.query.concepts]
    words += [
        run for run in re.findall(r"[\u3400-\u9fff]{2,6}", plan.query.text) if run not in words
    ]
    suggestion = plan.query.text
    for word in words:
        if len(word) < 2 or word not in suggestion or using.document_frequency(word):
            continue
        limit = max(typo_limit(word), 1) if word.isascii() else 1
        candidate = nearest(word, _candidates(word, using), limit)
        if candidate:
            suggestion = suggestion.replace(word, candidate, 1)
    return suggestion if suggestion != plan.query.text else ""


def filters_for(kind: str, *, category_ids=None, now=None) -> Filters:
    if kind == JOB:
        return Filters(kind=JOB, live_at=now or timezone.now())
    return Filters(kind=QUESTION, category_ids=tuple(category_ids) if category_ids else None)


def ranked_hits(plan: Plan, filters: Filters, *, limit: int, offset: int = 0, using=None):
    if not plan.query:
        return []
    return (using or engine()).search(plan.query, filters, limit=limit, offset=offset)


@dataclass
class Result:
    document: Document
    hit: Hit
    title_html: str = ""
    snippet_html: str = ""


@dataclass
class SearchPage:
    plan: Plan
    kind: str
    results: list[Result]
    total: int
    counts: dict[str, int]  # matches per kind (the tabs)
    suggestion: str = ""


def search(
    *, text: str, kind: str = QUESTION, category_ids=None, limit: int = 20, offset: int = 0
) -> SearchPage:
    """One page of results for the page and the API, with both tabs' counts; an empty query
    finds nothing."""
    using = engine()
    plan = plan_query(text, using=using)
    if not plan.query:
        return SearchPage(plan=plan, kind=kind, results=[], total=0, counts=dict.fromkeys(KINDS, 0))
    now = timezone.now()
    tabs = [filters_for(k, category_ids=category_ids, now=now) for k in KINDS]
    counts = dict(zip(KINDS, using.counts(plan.query, tabs), strict=True))
    filters = filters_for(kind, category_ids=category_ids, now=now)
    hits = using.search(plan.query, filters, limit=limit, offset=offset) if limit else []
    documents = Document.objects.only(*DISPLAY_FIELDS).in_bulk([h.document_id for h in hits])
    results = [
        Result(document=documents[h.document_id], hit=h) for h in hits if h.document_id in documents
    ]
    page = SearchPage(plan=plan, kind=kind, results=results, total=counts[kind], counts=counts)
    if not any(counts.values()):
        page.suggestion = did_you_mean(plan, using=using)
    return page


def _ranker(kind: str):
    def rank(text: str, limit: int) -> list[int]:
        plan = plan_query(text)
        hits = ranked_hits(plan, filters_for(kind), limit=limit)
        return [hit.object_id for hit in hits]

    return rank


question_ranker = _ranker(QUESTION)
job_ranker = _ranker(JOB)


def with_highlights(results: list[Result], plan: Plan) -> list[Result]:
    """Titles with the matched words marked, and a snippet from the question's details or
    answers (or the posting's description) where the query matched there. Reads the texts
    through the content apps' selectors: one query per kind."""
    from search.highlight import forms_pattern, highlight, snippet

    terms = plan.terms
    pattern = forms_pattern(plan.forms)
    question_ids = [r.document.object_id for r in results if r.document.kind == QUESTION]
    job_ids = [r.document.object_id for r in results if r.document.kind == JOB]
    texts: dict[tuple[str, int], list[str]] = {}
    if question_ids:
        from questions.selectors import texts_for_search_snippets

        for pk, bodies in texts_for_search_snippets(question_ids).items():
            texts[(QUESTION, pk)] = bodies
    if job_ids:
        from jobs.selectors import jobs_for_search

        for job in jobs_for_search(job_ids):
            texts[(JOB, job.pk)] = [job.description]
    for result in results:
        document = result.document
        result.title_html = highlight(document.title, terms)
        result.snippet_html = snippet(
            texts.get((document.kind, document.object_id), []), terms, pattern
        )
    return results


def sqlite_mirror_of_index():
    """The SQLite FTS5 engine over an in-memory copy of this database's index (the same
    analysed text, vocabulary and order keys): on PostgreSQL, the two engines' rankings can be
    compared on identical input."""
    from search.engines import _sqlite_datetime, sqlite_mirror
    from search.models import Term

    rows = [
        (
            d.pk,
            d.kind,
            d.object_id,
            d.category_id,
            int(d.answered),
            int(d.endorsed),
            _sqlite_datetime(d.expires_at),
            d.order_key,
            d.title_terms,
            d.path_terms,
            d.details_terms,
            d.answers_terms,
        )
        for d in Document.objects.order_by("pk").iterator()
    ]
    return sqlite_mirror(rows, list(Term.objects.values_list("term", "df")))
