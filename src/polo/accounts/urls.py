from django.urls import path

from polo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("editar/", views.profile_edit, name="profile_edit"),
    path("mis-datos.json", views.my_data, name="my_data"),
    path("cancelar/", views.cancel, name="cancel"),
    path("cancelada/", views.cancelled, name="cancelled"),
    path("aviso-de-privacidad/", views.privacy_notice, name="privacy_notice"),
    path("aviso-de-privacidad/aceptar/", views.privacy_notice_accept, name="privacy_notice_accept"),
    path(
        "aviso-de-privacidad/<str:version>/",
        views.privacy_notice_version,
        name="privacy_notice_version",
    ),
]
