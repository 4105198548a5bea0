import time

from django.core.management.base import BaseCommand

from search.indexer import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from scratch (published questions with their answers, and "
        "published jobs). Needed after changing search/data/ (synonyms, user dictionary)."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        counts = rebuild()
        self.stdout.write(
            f"Indexed {counts['question']} questions and {counts['job']} jobs "
            f"in {time.monotonic() - started:.1f} s."
        )
