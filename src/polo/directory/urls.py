"""The directory's URLs: each views module lists its own patterns."""

from polo.directory.views import editing, io, public

app_name = "directory"

urlpatterns = [*public.urlpatterns, *editing.urlpatterns, *io.urlpatterns]
