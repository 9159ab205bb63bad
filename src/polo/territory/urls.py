from django.urls import path

from polo.territory import views  # noqa: F401

app_name = "territory"

urlpatterns: list = []
