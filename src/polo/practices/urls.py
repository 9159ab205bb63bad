"""The good practices' URLs: each views module lists its own patterns."""

from polo.practices.views import urlpatterns as _patterns

app_name = "practices"

urlpatterns = list(_patterns)
