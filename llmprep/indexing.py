"""A tiny registry that keeps a search index current and lets content apps rank by it, without
the content apps importing the app that owns the index.

Why not signals: the content services change searchable state mostly with conditional
`filter(...).update(...)` calls (approve, hide, move, merge, endorse, the job lifecycle) and
`bulk_create` (the bank import), and neither fires `post_save`. A service knows when what it
wrote is searchable content, so it says so explicitly: `content_changed("question", pk)`.

Why inverted: the dependency direction. `search/` sits above the content apps (it reads them
through their selectors), so `questions/` and `jobs/` may not import it. They import this leaf
module instead (it imports no app); `search` registers its listener and its rankers here when
Django starts (`SearchConfig.ready()`).

Listeners run synchronously, in the caller's transaction, so the index commits (or rolls
back) together with the content it describes. With no listener registered (e.g. an app
configuration without `search`) `content_changed` does nothing and `ranked_ids` returns None,
and callers fall back to their own plain filtering.
"""

from collections.abc import Callable, Iterable

# listener(kind, pks): re-read those objects and update (or drop) their index entries.
Listener = Callable[[str, list[int]], None]
# ranker(query, limit): ids of the best matches for `query`, best first.
Ranker = Callable[[str, int], list[int]]

_listeners: list[Listener] = []
_rankers: dict[str, Ranker] = {}


def register(listener: Listener) -> None:
    """Call `listener(kind, pks)` whenever searchable content changes. Idempotent."""
    if listener not in _listeners:
        _listeners.append(listener)


def unregister(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def content_changed(kind: str, pk: int) -> None:
    """The object `kind` #`pk` ("question", "job") was created, edited, published, hidden,
    moved, merged or closed: whatever it is now is what the index must say."""
    contents_changed(kind, [pk])


def contents_changed(kind: str, pks: Iterable[int]) -> None:
    """Several objects of one kind at once (a bulk import, a renamed category)."""
    pks = sorted({int(pk) for pk in pks})
    if not pks:
        return
    for listener in list(_listeners):
        listener(kind, pks)


def register_ranker(kind: str, ranker: Ranker) -> None:
    _rankers[kind] = ranker


def unregister_ranker(kind: str) -> None:
    _rankers.pop(kind, None)


def ranked_ids(kind: str, query: str, limit: int) -> list[int] | None:
    """Ids of `kind` matching `query`, best first, at most `limit`; None when nothing ranks
    this kind (the caller then filters by itself)."""
    ranker = _rankers.get(kind)
    if ranker is None:
        return None
    return ranker(query, limit)
