"""The REST API's URLs: every app's viewsets under /api/v1/, the OpenAPI schema and its docs.

Composition: this module (like llmprep/urls.py and llmprep/views.py) sits above the apps and
imports their `api` modules; the shared API helpers in llmprep/api.py import no app."""

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from accounts.api import MeView
from digests.api import MeDigestView
from jobs.api import JobViewSet
from questions.api import AnswerViewSet, CategoryViewSet, QuestionViewSet
from search.api import SearchView


@extend_schema(exclude=True)
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's static files (no CDN). Its init script is a separate file
    and our template moves drf-spectacular's inline style to a stylesheet, so the page runs
    under the site's Content-Security-Policy."""

    template_name = "api/swagger_ui.html"


def api_urlpatterns():
    router = SimpleRouter()
    router.register("categories", CategoryViewSet, basename="category")
    router.register("questions", QuestionViewSet, basename="question")
    router.register("answers", AnswerViewSet, basename="answer")
    router.register("jobs", JobViewSet, basename="job")

    v1 = [
        *router.urls,
        path("me/", MeView.as_view(), name="me"),
        path("me/digest/", MeDigestView.as_view(), name="me-digest"),
        path("search/", SearchView.as_view(), name="search"),
    ]
    return [
        path("api/v1/", include((v1, "api"), namespace="api")),
        path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    ]
