from django.urls import path

from polo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy_notice"),
]
