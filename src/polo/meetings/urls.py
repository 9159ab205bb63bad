"""The meetings' URLs: each views module lists its own patterns."""

from polo.meetings.views import urlpatterns as _patterns

app_name = "meetings"

urlpatterns = list(_patterns)
