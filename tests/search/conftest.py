import pytest
from django.db import connection

from questions.importer import import_bank_file


@pytest.fixture
def seed_bank(db):
    """The real question bank (questions/data/llm_interview_bank.md), imported and indexed as
    `import_question_bank` does."""
    import_bank_file()


@pytest.fixture
def engines(db):
    """Every engine available here, by name: the database's own, and on PostgreSQL also the
    SQLite FTS5 engine over an in-memory copy of the same index (built when first used)."""
    from search.engines import engine
    from search.selectors import sqlite_mirror_of_index

    found = {connection.vendor: engine()}
    if connection.vendor != "sqlite":
        found["sqlite (mirror)"] = sqlite_mirror_of_index
    return found
