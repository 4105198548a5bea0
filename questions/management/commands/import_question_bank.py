from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from questions.importer import DEFAULT_BANK_PATH, import_bank_file


class Command(BaseCommand):
    help = "Import the seed question bank (Markdown outline) into categories and questions."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DEFAULT_BANK_PATH), help="the bank file (UTF-8)"
        )

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        report = import_bank_file(file)
        c, q = report.categories, report.questions
        self.stdout.write(
            f"categories: {c.created} created, {c.updated} updated, {c.unchanged} unchanged\n"
            f"questions: {q.created} created, {q.updated} updated, {q.unchanged} unchanged"
        )
        if report.changed_anything:
            self.stdout.write(self.style.SUCCESS("Question bank imported."))
        else:
            self.stdout.write("Nothing changed: the question bank is already up to date.")
