"""The one way a page submits a form to a service.

Forms parse; services decide. `submit()` runs the service for a valid POST and turns a refusal
(llmprep.errors.DomainError) into errors on the form, with the refusal's status, so that every
page answers bad input the same way: 400 for a form the browser sent wrong, the service's status
(400, 403, 409, 429) for a refusal, 200 for a plain GET.

Plain library code: imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from llmprep.errors import DomainError, add_to_form


@dataclass
class Submission:
    status: int = 200
    result: Any = None
    done: bool = False


def submit(request, form, action: Callable[[dict], Any]) -> Submission:
    """For a POST, validate `form` and call `action(form.cleaned_data)`; `done` is True when the
    service accepted it (its return value is `result`)."""
    if request.method != "POST":
        return Submission()
    if not form.is_valid():
        return Submission(status=400)
    try:
        result = action(form.cleaned_data)
    except DomainError as error:
        add_to_form(form, error)
        return Submission(status=error.status)
    return Submission(result=result, done=True)
