"""The qualitative diagnosis's URLs (mounted at /diagnostico/cualitativo/)."""

app_name = "qualitative"

urlpatterns: list = []
