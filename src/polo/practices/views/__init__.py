"""The good practices' views, one module per side: the public, the recording
organisation, the reviewers, and the meetings where practices are presented.
Fixed paths come before a practice's slug."""

from polo.practices.views import editing, meetings, public, review

urlpatterns = [
    *editing.urlpatterns[:2],
    *review.urlpatterns[:1],
    *meetings.urlpatterns,
    *public.urlpatterns,
    *editing.urlpatterns[2:],
    *review.urlpatterns[1:],
]
