"""The consultations' URLs: each views module lists its own patterns."""

from polo.consultations.views import urlpatterns as _patterns

app_name = "consultations"

urlpatterns = list(_patterns)
