from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from llmprep import views
from llmprep.api_urls import api_urlpatterns
from llmprep.health import healthz


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs). The
    # hashed static name is looked up per request: the manifest exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jobs/", include("jobs.urls")),
    path("u/<str:username>/", views.profile, name="profile"),
    path("", include("accounts.urls")),
    path("", include("questions.urls")),
    *api_urlpatterns(),
    path("digests/", include("digests.urls")),
    path("search/", include("search.urls")),
]

# Under /api/ these answer in the API's JSON error shape; elsewhere they are Django's pages.
handler404 = "llmprep.api.page_not_found"
handler500 = "llmprep.api.server_error"
