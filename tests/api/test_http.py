"""What every API answer shares: JSON, CORS for any origin, a short public
cache, read-only methods, and its OpenAPI 3 description."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

ENDPOINTS = [
    "/api/v1/",
    "/api/v1/organizations",
    "/api/v1/organizations/{id}",
    "/api/v1/themes",
    "/api/v1/populations",
    "/api/v1/languages",
    "/api/v1/regions",
    "/api/v1/municipalities",
    "/api/v1/openapi.json",
]


def concrete(path: str, directory) -> str:
    return path.replace("{id}", str(directory["women"].pk))


@pytest.mark.parametrize("path", ENDPOINTS)
def test_every_endpoint_answers_json_open_to_any_origin_and_cacheable(as_visitor, directory, path):
    response = as_visitor.get(concrete(path, directory), HTTP_ORIGIN="https://mapas.example.org")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    json.loads(response.content)


def test_errors_are_open_to_any_origin_too_and_not_cached(as_visitor, directory):
    for path in ("/api/v1/organizations?page=abc", "/api/v1/organizations/0", "/api/v1/nada"):
        response = as_visitor.get(path)
        assert response.status_code in {400, 404}
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "max-age" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/organizations", "/api/v1/organizations/{id}"])
def test_writing_methods_are_not_allowed_even_without_a_csrf_token(directory, method, path):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        concrete(path, directory), data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert response.json()["detail"]
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_signed_in_person_cannot_write_either(as_coordinator, directory):
    response = as_coordinator.delete(f"/api/v1/organizations/{directory['women'].pk}")
    assert response.status_code == 405


def test_get_needs_no_csrf_token_nor_session(directory):
    client = Client(enforce_csrf_checks=True)
    response = client.get("/api/v1/organizations")
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert "sessionid" not in response.cookies


def test_head_answers_like_get_without_a_body(as_visitor, directory):
    response = as_visitor.head("/api/v1/organizations")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_is_answered(as_visitor, directory):
    response = as_visitor.options(
        "/api/v1/organizations",
        HTTP_ORIGIN="https://mapas.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-language",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "Accept-Language" in response["Access-Control-Allow-Headers"]


def test_the_openapi_description_is_openapi_3_with_every_endpoint(as_visitor, db):
    response = as_visitor.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    paths = document["paths"]
    assert set(ENDPOINTS) - {"/api/v1/openapi.json"} <= set(paths)
    for path in set(ENDPOINTS) - {"/api/v1/openapi.json"}:
        assert set(paths[path]) == {"get"}, path  # read-only
        assert "200" in paths[path]["get"]["responses"]
    listed = paths["/api/v1/organizations"]["get"]
    names = {parameter["name"] for parameter in listed["parameters"]}
    assert {"q", "kind", "theme", "region", "municipality", "page", "page_size"} <= names
    assert {"400", "404"} <= set(listed["responses"])
    item = document["components"]["schemas"]["OrganizationItem"]
    assert {"id", "name", "kind", "municipality", "themes"} <= set(item["required"])
    assert item["properties"]["themes"]["items"]["type"] == "string"
    for ref in _refs(document):
        name = ref.removeprefix("#/components/schemas/")
        assert name in document["components"]["schemas"], ref
    operation_ids = [item["get"]["operationId"] for item in paths.values()]
    assert len(set(operation_ids)) == len(operation_ids)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_url_is_the_named_one(db):
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
    assert reverse("api:organization_list") == "/api/v1/organizations"
    assert reverse("api:organization_detail", args=[7]) == "/api/v1/organizations/7"


def test_there_is_no_docs_page_loading_assets_from_a_cdn(as_visitor, db):
    response = as_visitor.get("/api/v1/docs")
    assert response.status_code == 404
    assert b"cdn" not in response.content.lower()


def test_the_index_links_every_endpoint(as_visitor, db):
    data = as_visitor.get("/api/v1/").json()
    for link in data.values():
        assert link.startswith("http://testserver/api/v1/")
        assert as_visitor.get(link).status_code == 200, link
