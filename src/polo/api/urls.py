"""The public JSON API, /api/v1/ (being written)."""

urlpatterns: list = []
