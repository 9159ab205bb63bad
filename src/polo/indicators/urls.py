"""The diagnosis dashboard's URLs (mounted at /diagnostico/)."""

app_name = "indicators"

urlpatterns: list = []
