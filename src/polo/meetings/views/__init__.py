"""The meetings' views, one module per part of a meeting's life."""

from polo.meetings.views import (
    access,  # noqa: F401
    after,
    checkin,
    editing,
    figures,
    public,
    registration,
)

urlpatterns = [
    *public.urlpatterns,
    *editing.urlpatterns,
    *registration.urlpatterns,
    *checkin.urlpatterns,
    *after.urlpatterns,
    *figures.urlpatterns,
]
