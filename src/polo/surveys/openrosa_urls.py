"""The OpenRosa server, mounted at /openrosa/ (the URL a collector is given)."""

from polo.surveys.views import openrosa

app_name = "openrosa"

urlpatterns = openrosa.urlpatterns
