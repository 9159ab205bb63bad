from django.urls import path

from polo.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("organizaciones/<int:pk>/", views.organization_detail, name="organization"),
]
