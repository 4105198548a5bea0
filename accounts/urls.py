from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.settings_view, name="settings"),
    path("settings/tokens/", views.api_tokens, name="tokens"),
    path("settings/tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="token_revoke"),
]
