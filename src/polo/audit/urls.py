from django.urls import path

from polo.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:app_label>/<slug:model_name>/<str:pk>/", views.record, name="record"),
]
