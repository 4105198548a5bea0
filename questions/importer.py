"""Import the seed question bank (questions/data/llm_interview_bank.md) into categories and
questions. Idempotent: a question's identity is its category path plus its position there, so a
re-run changes nothing and an edited title updates the existing question."""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from llmprep.indexing import contents_changed
from llmprep.markdown import render_markdown
from questions.bank_parser import ParsedBank, parse_bank_file
from questions.models import Category, Question

DEFAULT_BANK_PATH = Path(__file__).resolve().parent / "data" / "llm_interview_bank.md"


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    categories: Counts = field(default_factory=Counts)
    questions: Counts = field(default_factory=Counts)

    @property
    def changed_anything(self) -> bool:
        c, q = self.categories, self.questions
        return bool(c.created or c.updated or q.created or q.updated)


def seed_key(category_path: tuple[str, ...], position: int) -> str:
    digest = hashlib.sha1("\x1f".join(category_path).encode(), usedforsecurity=False)
    return f"{digest.hexdigest()[:20]}:{position}"


@transaction.atomic
def import_bank(bank: ParsedBank) -> ImportReport:
    report = ImportReport()
    by_path: dict[tuple[str, ...], Category] = {}
    for position, path in enumerate(bank.categories):
        parent = by_path[path[:-1]] if len(path) > 1 else None
        category, created = Category.objects.get_or_create(
            parent=parent, name=path[-1], defaults={"position": position}
        )
        if created:
            report.categories.created += 1
        elif category.position != position:
            Category.objects.filter(pk=category.pk).update(position=position)
            report.categories.updated += 1
        else:
            report.categories.unchanged += 1
        by_path[path] = category

    existing = {q.seed_key: q for q in Question.objects.filter(source=Question.Source.SEED)}
    now = timezone.now()
    to_create = []
    for parsed in bank.questions:
        key = seed_key(parsed.category_path, parsed.position)
        category = by_path[parsed.category_path]
        question = existing.get(key)
        if question is None:
            to_create.append(
                Question(
                    seed_key=key,
                    category=category,
                    title=parsed.title,
                    position=parsed.position,
                    source=Question.Source.SEED,
                    status=Question.Status.PUBLISHED,
                    published_at=now,
                    body_html=render_markdown(""),
                )
            )
            report.questions.created += 1
        elif question.title != parsed.title:
            # The seed's title changed: update it in place, answers stay attached.
            Question.objects.filter(pk=question.pk).update(title=parsed.title, updated_at=now)
            report.questions.updated += 1
        else:
            report.questions.unchanged += 1
    Question.objects.bulk_create(to_create)
    # The whole bank, changed or not: an index built before (or without) it catches up here.
    contents_changed(
        "question",
        Question.objects.filter(source=Question.Source.SEED).values_list("pk", flat=True),
    )
    return report


def import_bank_file(path: Path = DEFAULT_BANK_PATH) -> ImportReport:
    return import_bank(parse_bank_file(path))
