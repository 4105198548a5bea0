"""The full-text structures, per database vendor (the tables of 0001 are the same on both).

SQLite: an FTS5 table over the four analysed-text columns of search_document (external
content, kept in step by triggers), and an fts5vocab table over it (which terms exist).
(`detail=column` would be a third of the size, but FTS5 then ranks by re-reading every
matching document: a hundred times slower.)
PostgreSQL: stored generated tsvector columns from the `simple` configuration (the text is
already analysed: no stemming or stop words of PostgreSQL's own), `search_head` weighted A
title, B path, C details, and `search_answers` (weight D), each with a GIN index; and pg_trgm
with a GiST trigram index on the vocabulary for near-miss lookups.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title_terms, path_terms, details_terms, answers_terms, "
    "content='search_document', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, path_terms, details_terms, answers_terms) "
    "VALUES (new.id, new.title_terms, new.path_terms, new.details_terms, new.answers_terms); "
    "END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, path_terms, details_terms, "
    "answers_terms) VALUES ('delete', old.id, old.title_terms, old.path_terms, "
    "old.details_terms, old.answers_terms); "
    "END",
    "CREATE TRIGGER search_document_au AFTER UPDATE OF title_terms, path_terms, "
    "details_terms, answers_terms ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, path_terms, details_terms, "
    "answers_terms) VALUES ('delete', old.id, old.title_terms, old.path_terms, "
    "old.details_terms, old.answers_terms); "
    "INSERT INTO search_fts(rowid, title_terms, path_terms, details_terms, answers_terms) "
    "VALUES (new.id, new.title_terms, new.path_terms, new.details_terms, new.answers_terms); "
    "END",
    # Whatever 0001 created before this migration existed is indexed too.
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TABLE IF EXISTS search_fts_vocab",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Two vectors, so that the small one (title, path, details) answers most questions without
    # reading the large one (answers) of every matching row.
    "ALTER TABLE search_document ADD COLUMN search_head tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(path_terms, '')), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(details_terms, '')), 'C')"
    ") STORED",
    "ALTER TABLE search_document ADD COLUMN search_answers tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, coalesce(answers_terms, '')), 'D')"
    ") STORED",
    "CREATE INDEX search_document_head ON search_document USING gin (search_head)",
    "CREATE INDEX search_document_answers ON search_document USING gin (search_answers)",
    "CREATE INDEX search_term_trigram ON search_term USING gist (term gist_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_document_answers",
    "DROP INDEX IF EXISTS search_document_head",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_answers",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS search_head",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
