"""Refusals from services (llmprep.errors.DomainError) as pages, once for every view.

A view that shows a form catches DomainError itself to put the message beside the field
(llmprep.errors.add_to_form). Anything it lets through arrives here:
- an HTMX request gets the small `_refusal.html` partial with the error's status (base.html
  tells htmx to swap 4xx responses, so the member sees why nothing happened);
- a form POST without JavaScript goes back where it came from (same site only), with the
  message shown there;
- anything else gets a page with the message and the error's status.
The API has its own mapping (llmprep.api.exception_handler); DRF catches exceptions before they
reach middleware.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from llmprep.errors import DomainError, RateLimited


def _with_retry_after(response, error: DomainError):
    if isinstance(error, RateLimited) and error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    return response


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        context = {"error": exception}
        if getattr(request, "htmx", False):
            response = render(request, "_refusal.html", context, status=exception.status)
            return _with_retry_after(response, exception)
        referer = request.headers.get("referer", "")
        same_site = url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        if request.method == "POST" and referer and same_site:
            messages.error(request, str(exception))
            return _with_retry_after(redirect(referer), exception)
        response = render(request, "refusal.html", context, status=exception.status)
        return _with_retry_after(response, exception)
