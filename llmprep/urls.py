from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from llmprep.health import healthz

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jobs/", include("jobs.urls")),
    path("", include("accounts.urls")),
    path("", include("questions.urls")),
]
