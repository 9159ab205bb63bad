"""The public JSON API, /api/v1/ (see api.py). Every pattern goes through
public_endpoint (CORS, cache, HEAD, JSON 405); any other path is a JSON 404."""

from django.urls import URLPattern, re_path

from polo.api.api import api
from polo.api.http import not_found, public_endpoint

app_name = "api"


def _public(pattern: URLPattern) -> URLPattern:
    return URLPattern(
        pattern.pattern, public_endpoint(pattern.callback), pattern.default_args, pattern.name
    )


urlpatterns = [
    *(_public(pattern) for pattern in api.urls[0]),
    re_path(r"", public_endpoint(not_found)),
]
