"""The agreements' URLs, mounted at /convenios/."""

from polo.agreements.views import urlpatterns as _patterns

app_name = "agreements"

urlpatterns = list(_patterns)
