"""The agreements' views: public pages, managing agreements, commitment updates."""

from polo.agreements.views import editing, public, updates

# Fixed paths before the agreement's ``<slug>/``.
urlpatterns = [*editing.urlpatterns, *updates.urlpatterns, *public.urlpatterns]
