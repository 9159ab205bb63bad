"""The agreements' views: public pages, managing agreements, commitment updates."""

from polo.agreements.views import editing, from_meeting, public, updates

# Fixed paths before the agreement's ``<slug>/``.
urlpatterns = [
    *editing.urlpatterns,
    *updates.urlpatterns,
    *from_meeting.urlpatterns,
    *public.urlpatterns,
]
