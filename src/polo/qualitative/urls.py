"""The qualitative diagnosis's URLs (mounted at /diagnostico/cualitativo/): each
views module lists its own patterns."""

from polo.qualitative.views import codebook, coding, io, public, sessions

app_name = "qualitative"

urlpatterns = [
    *public.urlpatterns,
    *sessions.urlpatterns,
    *coding.urlpatterns,
    *codebook.urlpatterns,
    *io.urlpatterns,
]
