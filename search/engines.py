"""The two full-text engines behind one interface: SQLite FTS5 (the embedded default) and
PostgreSQL full-text search. Both index the analysed text that search.analysis produced, so
they see the same terms; they differ only in how they score a match.

Ranking, on both: first the number of query concepts a document matches (any-term matching:
every word need not appear, but more matched words rank higher); then the relevance score,
field-weighted title 10 : path 4 : details 2 : answers 1 — FTS5's `bm25()` with those column
weights, and on PostgreSQL the sum over the query's terms of `ts_rank` with the same weights
({0.1, 0.2, 0.4, 1.0} for D, C, B, A) times the term's BM25 inverse document frequency among
the matches (ts_rank has none of its own); times a small boost for answered (+5 %) and endorsed
(+5 %) questions; ties in the content's own order (the bank's order, the board's order).

Queries are built only from analysed terms (letters and digits), each quoted, so no user input
ever reaches FTS5's or tsquery's syntax. The SQL strings below are assembled from constants and
placeholders only (every value is a parameter), hence the `noqa: S608`s.
"""

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection

from search.analysis import Concept, Query

WEIGHTS = {"title": 10.0, "path": 4.0, "details": 2.0, "answers": 1.0}
ANSWERED_BOOST = 0.05
ENDORSED_BOOST = 0.05
FIELDS = ("title_terms", "path_terms", "details_terms", "answers_terms")


@dataclass(frozen=True)
class Hit:
    document_id: int
    object_id: int
    coord: float  # matched concepts, weighted
    score: float


@dataclass(frozen=True)
class Filters:
    kind: str
    category_ids: tuple[int, ...] | None = None
    live_at: datetime | None = None  # jobs: only those expiring after this instant


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions: "qlroa"
    is one step from "qlora"), or limit + 1 once it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_limit(word: str) -> int:
    """How many edits a typo may be: none below 4 letters (too many short words are one edit
    apart), one up to 6, two from 7."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 6 else 2


def nearest(word: str, candidates: list[tuple[str, int]], limit: int) -> str | None:
    """The closest candidate within `limit` edits: fewest edits, then most documents, then
    alphabetical (so both engines pick the same)."""
    best = None
    for term, df in candidates:
        if term == word:
            continue
        distance = osa_distance(word, term, limit)
        if distance <= limit:
            key = (distance, -df, term)
            if best is None or key < best:
                best = key
    return best[2] if best else None


class Engine:
    vendor = ""

    def cursor(self):
        return connection.cursor()

    def search(self, query: Query, filters: Filters, *, limit: int, offset: int = 0):
        raise NotImplementedError

    def count(self, query: Query, filters: Filters) -> int:
        return self.counts(query, [filters])[0]

    def counts(self, query: Query, filters: list[Filters]) -> list[int]:
        """How many documents match, under each of `filters` (the tabs): one query."""
        raise NotImplementedError

    def document_frequency(self, term: str, *, cap: int = 1000) -> int:
        """How many documents contain `term` (counting stops at `cap` where that is cheaper)."""
        raise NotImplementedError

    def documents(self) -> int:
        with self.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_document")
            return cursor.fetchone()[0]

    def vocabulary_near(self, word: str) -> list[tuple[str, int]]:
        """Title and path terms that may be within a few edits of `word`."""
        raise NotImplementedError


# SQLite FTS5 --------------------------------------------------------------------------------


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _fts_concept(concept: Concept) -> str:
    alternatives = [_fts_quote(term) for term in concept.alternatives]
    alternatives += ["(" + " AND ".join(map(_fts_quote, g)) + ")" for g in concept.together]
    expression = " OR ".join(alternatives)
    if concept.narrow:
        return "{title_terms path_terms details_terms}: (" + expression + ")"
    return expression


def _fts_query(query: Query) -> str:
    return " OR ".join(f"({_fts_concept(c)})" for c in query.concepts)


class SqliteEngine(Engine):
    vendor = "sqlite"

    def __init__(self, raw_connection: sqlite3.Connection | None = None):
        # A raw connection: the in-memory mirror (see `sqlite_mirror`); else Django's.
        self.raw = raw_connection

    def cursor(self):
        if self.raw is None:
            return connection.cursor()
        return _RawCursor(self.raw)

    def _where(self, filters: Filters) -> tuple[str, list]:
        sql, params = " AND d.kind = %s", [filters.kind]
        if filters.category_ids is not None:
            marks = ", ".join(["%s"] * len(filters.category_ids)) or "NULL"
            sql += f" AND d.category_id IN ({marks})"
            params += list(filters.category_ids)
        if filters.live_at is not None:
            sql += " AND d.expires_at > %s"
            params.append(_sqlite_datetime(filters.live_at, self.raw is None))
        return sql, params

    def search(self, query: Query, filters: Filters, *, limit: int, offset: int = 0):
        if not query:
            return []
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        if len(query.concepts) > 1:
            coord = " + ".join(
                f"{c.weight:.2f} * "  # noqa: S608
                "(d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s))"
                for c in query.concepts
            )
            coord_params = [_fts_concept(c) for c in query.concepts]
        else:
            coord, coord_params = "1.0", []
        where, where_params = self._where(filters)
        # MATERIALIZED: bm25() and the concept tests are computed once per match, not again
        # for the ORDER BY.
        sql = (
            "WITH m AS MATERIALIZED ("  # noqa: S608
            f"  SELECT d.id, d.object_id, {coord} AS coord, "
            f"  -bm25(search_fts, {weights}) * (1 + {ANSWERED_BOOST} * d.answered "
            f"  + {ENDORSED_BOOST} * d.endorsed) AS score, d.order_key "
            "  FROM search_fts "
            "  CROSS JOIN search_document d INDEXED BY search_doc_rank ON d.id = search_fts.rowid "
            f"  WHERE search_fts MATCH %s{where}"
            ") SELECT id, object_id, coord, score FROM m "
            "ORDER BY coord DESC, score DESC, order_key, id LIMIT %s OFFSET %s"
        )
        params = [*coord_params, _fts_query(query), *where_params, limit, offset]
        with self.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return [_hit(row) for row in rows]

    def counts(self, query: Query, filters: list[Filters]) -> list[int]:
        if not query:
            return [0] * len(filters)
        columns, params = [], []
        for each in filters:
            where, where_params = self._where(each)
            columns.append(f"coalesce(sum(CASE WHEN true{where} THEN 1 ELSE 0 END), 0)")
            params += where_params
        sql = (
            f"SELECT {', '.join(columns)} FROM search_fts "  # noqa: S608
            "CROSS JOIN search_document d INDEXED BY search_doc_rank ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH %s"
        )
        with self.cursor() as cursor:
            cursor.execute(sql, [*params, _fts_query(query)])
            return list(cursor.fetchone())

    def document_frequency(self, term: str, *, cap: int = 1000) -> int:
        with self.cursor() as cursor:
            cursor.execute("SELECT doc FROM search_fts_vocab WHERE term = %s", [term])
            row = cursor.fetchone()
        return row[0] if row else 0

    def vocabulary_near(self, word: str) -> list[tuple[str, int]]:
        with self.cursor() as cursor:
            cursor.execute(
                "SELECT term, df FROM search_term WHERE length(term) BETWEEN %s AND %s",
                [len(word) - 2, len(word) + 2],
            )
            return cursor.fetchall()


def _hit(row) -> Hit:
    """(id, object_id, coord, score with the boosts)."""
    return Hit(document_id=row[0], object_id=row[1], coord=float(row[2]), score=float(row[3]))


def _sqlite_datetime(value: datetime | None, django_connection: bool = False):
    """A datetime as Django stores it on SQLite (naive UTC text), for the mirror too."""
    if value is None:
        return None
    if django_connection:
        return connection.ops.adapt_datetimefield_value(value)
    return str(value.astimezone(UTC).replace(tzinfo=None))


class _RawCursor:
    """A sqlite3 cursor that takes Django's %s placeholders and is a context manager."""

    def __init__(self, raw):
        self._cursor = raw.cursor()

    def execute(self, sql, params=()):
        return self._cursor.execute(sql.replace("%s", "?"), params)

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._cursor.close()


# The mirror's schema: the same FTS5 table and triggers as migration 0002 creates on SQLite.
MIRROR_SCHEMA = """
CREATE TABLE search_document (
    id INTEGER PRIMARY KEY, kind TEXT, object_id INTEGER, category_id INTEGER,
    answered INTEGER, endorsed INTEGER, expires_at TEXT, order_key TEXT,
    title_terms TEXT, path_terms TEXT, details_terms TEXT, answers_terms TEXT);
CREATE TABLE search_term (term TEXT PRIMARY KEY, df INTEGER);
CREATE INDEX search_doc_rank ON search_document
    (id, kind, category_id, answered, endorsed, expires_at, order_key);
"""


SQLITE_FTS_SCHEMA = [
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
]


def sqlite_mirror(rows, terms) -> SqliteEngine:
    """An in-memory SQLite FTS5 index holding `rows` (tuples of MIRROR_SCHEMA's
    search_document columns, in order) and the vocabulary `terms` ((term, df) pairs): the
    SQLite engine over exactly the analysed text another database holds. The PostgreSQL test
    run compares the two engines' rankings with it."""
    raw = sqlite3.connect(":memory:")
    raw.executescript(MIRROR_SCHEMA)
    for statement in SQLITE_FTS_SCHEMA:
        raw.execute(statement)
    raw.executemany(f"INSERT INTO search_document VALUES ({', '.join('?' * 12)})", rows)  # noqa: S608
    raw.executemany("INSERT INTO search_term VALUES (?, ?)", terms)
    raw.commit()
    return SqliteEngine(raw)


# PostgreSQL ---------------------------------------------------------------------------------


def _ts_quote(term: str, narrow: bool = False) -> str:
    # :ABC — in the title, path or details only (not D, the answers).
    quoted = "'" + term.replace("'", "''").replace("\\", "\\\\") + "'"
    return quoted + ":ABC" if narrow else quoted


def _concept_terms(concept: Concept) -> list[str]:
    return [*concept.alternatives, *(t for group in concept.together for t in group)]


def _ts_concept(concept: Concept) -> str:
    def quote(term):
        return _ts_quote(term, concept.narrow)

    alternatives = [quote(term) for term in concept.alternatives]
    alternatives += ["(" + " & ".join(map(quote, g)) + ")" for g in concept.together]
    return " | ".join(alternatives)


class PostgresEngine(Engine):
    vendor = "postgresql"
    # ts_rank's weights for D, C, B, A: answers, details, path, title (10 : 4 : 2 : 1).
    RANK_WEIGHTS = (
        "{"
        + ", ".join(
            str(WEIGHTS[f] / WEIGHTS["title"]) for f in ("answers", "details", "path", "title")
        )
        + "}"
    )

    def _where(self, filters: Filters) -> tuple[str, list]:
        sql, params = "", []
        if filters.category_ids is not None:
            sql += " AND category_id = ANY(%s)"
            params.append(list(filters.category_ids))
        if filters.live_at is not None:
            sql += " AND expires_at > %s"
            params.append(filters.live_at)
        return sql, params

    # Documents whose answers match a tsquery: a GIN bitmap scan that never reads the large
    # answers vectors themselves.
    ANSWERS = "SELECT id FROM search_document WHERE search_answers @@ to_tsquery('simple', %s)"
    HEAD = "SELECT id FROM search_document WHERE search_head @@ to_tsquery('simple', %s)"

    def _candidates(self, query: Query) -> tuple[str, list]:
        """The ids matching any concept: a union of index scans."""
        parts, params = [self.HEAD], [" | ".join(f"({_ts_concept(c)})" for c in query.concepts)]
        wide = [c for c in query.concepts if not c.narrow]
        if wide:
            parts.append(self.ANSWERS)
            params.append(" | ".join(f"({_ts_concept(c)})" for c in wide))
        return " UNION ".join(parts), params

    def search(self, query: Query, filters: Filters, *, limit: int, offset: int = 0):
        if not query:
            return []
        # Like BM25, the score sums each query term's contribution: its ts_rank (field
        # weights, length-normalised) times its inverse document frequency among the matches.
        # (One ts_rank over a concept's OR would average over its terms instead.) The answers'
        # vector is read only for the rows whose answers hold the term.
        ctes, params = [], []
        matches, ranks = [], []
        for i, concept in enumerate(query.concepts):
            tsquery = _ts_concept(concept)
            params.append(tsquery)
            head = "d.search_head @@ to_tsquery('simple', %s)"
            if concept.narrow:
                matches.append(f"({head}) AS m{i}")
            else:
                ctes.append(f"a{i} AS MATERIALIZED ({self.ANSWERS})")
                matches.append(f"({head} OR d.id IN (SELECT id FROM a{i})) AS m{i}")  # noqa: S608
        terms = list(
            dict.fromkeys((t, c.narrow) for c in query.concepts for t in _concept_terms(c))
        )
        rank_params = []
        for j, (term, narrow) in enumerate(terms):
            head = "ts_rank(%s::float4[], d.search_head, to_tsquery('simple', %s), 1)"
            rank_params += [self.RANK_WEIGHTS, _ts_quote(term)]
            if narrow:
                ranks.append(f"{head} AS r{j}")
            else:
                ctes.append(f"t{j} AS MATERIALIZED ({self.ANSWERS})")
                ranks.append(
                    f"{head} + CASE WHEN d.id IN (SELECT id FROM t{j}) THEN ts_rank(%s::float4[], "  # noqa: S608
                    f"d.search_answers, to_tsquery('simple', %s), 1) ELSE 0 END AS r{j}"
                )
                rank_params += [self.RANK_WEIGHTS, _ts_quote(term)]
        cte_params = []
        for concept in query.concepts:
            if not concept.narrow:
                cte_params.append(_ts_concept(concept))
        for term, narrow in terms:
            if not narrow:
                cte_params.append(_ts_quote(term))
        candidates, candidate_params = self._candidates(query)
        dfs = ", ".join(
            f"count(*) FILTER (WHERE r{j} > 0) OVER () AS df{j}" for j in range(len(terms))
        )
        coord = " + ".join(f"{c.weight:.2f} * m{i}::int" for i, c in enumerate(query.concepts))
        score = " + ".join(
            f"greatest(ln((total - df{j} + 0.5) / (df{j} + 0.5)), 1e-6) * r{j}"
            for j in range(len(terms))
        )
        where, where_params = self._where(filters)
        sql = (
            "WITH "  # noqa: S608
            + "".join(f"{cte}, " for cte in ctes)
            + f"candidates AS MATERIALIZED ({candidates}), "  # noqa: S608
            "matched AS ("
            f"  SELECT d.id, d.object_id, d.answered, d.endorsed, d.order_key, d.category_id, "
            f"  d.expires_at, {', '.join(matches)}, {', '.join(ranks)} "
            "  FROM search_document d JOIN candidates c ON c.id = d.id "
            "  WHERE d.kind = %s"
            "), counted AS ("
            f"  SELECT *, {dfs}, "
            "  (SELECT count(*) FROM search_document WHERE kind = %s)::float8 AS total "
            "  FROM matched"
            ") "
            f"SELECT id, object_id, coord, score FROM (SELECT id, object_id, order_key, "
            f"{coord} AS coord, ({score}) * (1 + {ANSWERED_BOOST} * answered::int "
            f"+ {ENDORSED_BOOST} * endorsed::int) AS score FROM counted WHERE true{where}) r "
            "ORDER BY coord DESC, score DESC, order_key, id "
            "LIMIT %s OFFSET %s"
        )
        all_params = [
            *cte_params,
            *candidate_params,
            *params,
            *rank_params,
            filters.kind,
            filters.kind,
            *where_params,
            limit,
            offset,
        ]
        with self.cursor() as cursor:
            cursor.execute(sql, all_params)
            rows = cursor.fetchall()
        return [_hit(row) for row in rows]

    def counts(self, query: Query, filters: list[Filters]) -> list[int]:
        if not query:
            return [0] * len(filters)
        columns, params = [], []
        for each in filters:
            where, where_params = self._where(each)
            columns.append(f"count(*) FILTER (WHERE kind = %s{where})")
            params += [each.kind, *where_params]
        candidates, candidate_params = self._candidates(query)
        sql = (
            f"SELECT {', '.join(columns)} FROM search_document "  # noqa: S608
            f"WHERE id IN ({candidates})"
        )
        with self.cursor() as cursor:
            cursor.execute(sql, [*params, *candidate_params])
            return list(cursor.fetchone())

    def document_frequency(self, term: str, *, cap: int = 1000) -> int:
        # The larger of the two fields' counts (a lower bound, exact for what it is used for:
        # whether a term occurs at all, and whether it is common), each stopping at `cap`.
        quoted = _ts_quote(term)
        sql = (
            f"SELECT greatest((SELECT count(*) FROM ({self.HEAD} LIMIT %s) h), "  # noqa: S608
            f"(SELECT count(*) FROM ({self.ANSWERS} LIMIT %s) a))"
        )
        with self.cursor() as cursor:
            cursor.execute(sql, [quoted, cap, quoted, cap])
            return cursor.fetchone()[0]

    def vocabulary_near(self, word: str) -> list[tuple[str, int]]:
        # pg_trgm: the 30 terms nearest by trigram distance (a GiST index), then the same
        # edit-distance choice as on SQLite. ASCII words only; others are compared in full.
        with self.cursor() as cursor:
            if word.isascii():
                cursor.execute(
                    "SELECT term, df FROM search_term ORDER BY term <-> %s LIMIT 30", [word]
                )
            else:
                cursor.execute(
                    "SELECT term, df FROM search_term WHERE length(term) BETWEEN %s AND %s",
                    [len(word) - 2, len(word) + 2],
                )
            return cursor.fetchall()


def engine() -> Engine:
    """The engine of the default database."""
    return PostgresEngine() if connection.vendor == "postgresql" else SqliteEngine()
