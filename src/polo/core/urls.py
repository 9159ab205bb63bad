from django.urls import path

from polo.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("tareas/<uuid:job_id>/", views.job_detail, name="job"),
]
