"""The search index: one row per searchable object, holding its analysed text per field and
what a result shows. The full-text structures are added per database by migration 0002: an
FTS5 table kept in step by triggers on SQLite, a weighted tsvector column with a GIN index on
PostgreSQL. Rows are written only by search.indexer."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        JOB = "job", _("Job")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.BigIntegerField()
    # What a result shows, copied from the content when it was indexed.
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    context = models.CharField(max_length=500, blank=True)  # category path; company · city
    extra = models.JSONField(default=dict, blank=True)  # tags, answer count …
    # Filters and ranking.
    category_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    difficulty = models.CharField(max_length=16, blank=True)  # set once questions have one
    answered = models.BooleanField(default=False)
    endorsed = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)  # jobs: live until then
    # Ties go in this order: the bank's order for questions, the board's for jobs.
    order_key = models.CharField(max_length=64)
    # The analysed text (search.analysis.index_terms), weighted title ≫ path > details >
    # answers by the engines.
    title_terms = models.TextField(blank=True)
    path_terms = models.TextField(blank=True)
    details_terms = models.TextField(blank=True)
    answers_terms = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "order_key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]
        indexes = [
            models.Index(fields=["kind", "order_key"], name="search_doc_kind_order"),
            # Everything ranking and filtering read, so that SQLite answers them from this
            # index instead of each matching row's (long) record.
            models.Index(
                fields=[
                    "id",
                    "kind",
                    "category_id",
                    "answered",
                    "endorsed",
                    "expires_at",
                    "order_key",
                ],
                name="search_doc_rank",
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id}: {self.title}"


class AnswerTerms(models.Model):
    """The analysed text of one published answer, so that saving an answer re-analyses only
    that answer, not all the answers of its question."""

    answer_id = models.BigIntegerField(unique=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="answer_terms")
    digest = models.CharField(max_length=32)
    terms = models.TextField(blank=True)

    class Meta:
        ordering = ["answer_id"]

    def __str__(self):
        return f"answer #{self.answer_id}"


class Term(models.Model):
    """The vocabulary of titles and paths, with document frequencies: typo correction and
    "did you mean" look here (pg_trgm on PostgreSQL)."""

    term = models.CharField(max_length=64, unique=True)
    df = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term
