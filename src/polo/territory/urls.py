from django.urls import path

from polo.territory import views

app_name = "territory"

urlpatterns = [
    path("", views.region_list, name="regions"),
    path("regiones/<slug:slug>/", views.region_detail, name="region"),
    path("estados/<str:code>/", views.state_detail, name="state"),
    path("municipios/<str:code>/", views.municipality_detail, name="municipality"),
]
