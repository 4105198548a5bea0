from django.urls import path

from jobs import views
from jobs.feeds import LatestJobsFeed

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("feed/", LatestJobsFeed(), name="feed"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.job_create, name="create"),
    path("recruiters/apply/", views.recruiter_apply, name="recruiter_apply"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/edit/", views.job_edit, name="edit"),
    path("<int:pk>/submit/", views.job_submit, name="submit"),
    path("<int:pk>/renew/", views.job_renew, name="renew"),
    path("<int:pk>/archive/", views.job_archive, name="archive"),
    path("<int:pk>/filled/", views.job_mark_filled, name="mark_filled"),
    path("<int:pk>/<str:slug>/", views.job_detail, name="detail_slug"),
]
