from django.urls import path

from questions import views

app_name = "questions"

urlpatterns = [
    path("questions/", views.question_list, name="list"),
    path("questions/ask/", views.question_ask, name="ask"),
    path("questions/progress/", views.my_progress, name="my_progress"),
    path("questions/c/<int:pk>/", views.category_detail, name="category"),
    path("questions/c/<int:pk>/<str:slug>/", views.category_detail, name="category"),
    path("questions/<int:pk>/", views.question_detail, name="detail"),
    path("questions/<int:pk>/answers/", views.answer_create, name="answer_create"),
    path("questions/<int:pk>/progress/", views.question_progress, name="progress"),
    path("questions/<int:pk>/<str:slug>/", views.question_detail, name="detail"),
    path("answers/preview/", views.answer_preview, name="answer_preview"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer_edit"),
    path("answers/<int:pk>/vote/", views.answer_vote, name="answer_vote"),
]
