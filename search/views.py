from django.shortcuts import render

from search import selectors
from search.forms import SearchForm

PAGE_SIZE = 20
# Results beyond this many are not paged through (refine the query instead).
MAX_PAGES = 10


def _page_number(raw) -> int:
    try:
        return min(max(int(raw), 1), MAX_PAGES)
    except (TypeError, ValueError):
        return 1


def search_page(request):
    from questions.selectors import category_choices, category_descendant_ids

    form = SearchForm(request.GET or None, category_choices=category_choices())
    text = selectors.clean_query(form.value("q", "") if request.GET else "")
    kind = selectors.TYPES[form.value("type", "questions")]
    category = form.value("category") if kind == selectors.QUESTION else None
    number = _page_number(request.GET.get("page"))
    page = None
    if text:
        page = selectors.search(
            text=text,
            kind=kind,
            category_ids=category_descendant_ids(category) if category else None,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        selectors.with_highlights(page.results, page.plan)
    num_pages = min(-(-page.total // PAGE_SIZE), MAX_PAGES) if page else 0
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    for value, label in form.fields["type"].choices:
        tab_query = query.copy()
        tab_query["type"] = value
        if value == "jobs":
            tab_query.pop("category", None)
        tabs.append(
            {
                "value": value,
                "label": label,
                "count": page.counts[selectors.TYPES[value]] if page else 0,
                "querystring": tab_query.urlencode(),
                "active": selectors.TYPES[value] == kind,
            }
        )
    context = {
        "form": form,
        "text": text,
        "kind": kind,
        "page": page,
        "tabs": tabs,
        "number": number,
        "start_index": (number - 1) * PAGE_SIZE + 1,
        "num_pages": num_pages,
        "querystring": query.urlencode(),
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < num_pages else None,
    }
    template = "search/search.html#results" if request.htmx else "search/search.html"
    return render(request, template, context)
