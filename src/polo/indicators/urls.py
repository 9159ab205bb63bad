"""The diagnosis dashboard's URLs (mounted at /diagnostico/): each views module
lists its own patterns."""

from polo.indicators.views import manage, public

app_name = "indicators"

urlpatterns = [*public.urlpatterns, *manage.urlpatterns]
