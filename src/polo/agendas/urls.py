"""The common agendas' URLs: each views module lists its own patterns."""

from polo.agendas.views import urlpatterns as _patterns

app_name = "agendas"

urlpatterns = list(_patterns)
