"""Bad and hostile parameters: a JSON 400 (or 404) with a message, never a 500."""

from __future__ import annotations

import pytest

from tests.api.conftest import get_json

URL = "/api/v1/organizations"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=abc", "page"),
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("page=", "page"),
        ("page_size=100000", "page_size"),
        ("page_size=101", "page_size"),
        ("page_size=0", "page_size"),
        ("page_size=diez", "page_size"),
    ],
)
def test_it_refuses_a_bad_page_with_the_parameter_named(as_visitor, directory, query, parameter):
    response, data = get_json(as_visitor, f"{URL}?{query}")
    assert response.status_code == 400
    assert parameter in data["detail"]
    assert [problem["parameter"] for problem in data["errors"]] == [parameter]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("kind=bogus", "kind"),
        ("kind=cso,bogus", "kind"),
        ("municipality=12", "municipality"),
        ("municipality=200670", "municipality"),
        ("municipality=abcde", "municipality"),
        ("state=1", "state"),
        ("state=oaxaca", "state"),
        ("sort=random", "Orden"),
        ("q=" + "a" * 10_000, "búsqueda"),
        ("theme=" + "t" * 200, "theme"),
        ("theme=" + ",".join(f"t{n}" for n in range(60)), "theme"),
    ],
)
def test_it_refuses_a_filter_value_that_cannot_be_right(as_visitor, directory, query, parameter):
    response, data = get_json(as_visitor, f"{URL}?{query}")
    assert response.status_code == 400, data
    assert parameter in data["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "theme=%00",
        "theme=mujeres%00",
        "municipality=2006%00",
        "region=%01%02",
        "%00=1",
        "q=a%1Bb",
    ],
)
def test_it_refuses_control_characters(as_visitor, directory, query):
    response, data = get_json(as_visitor, f"{URL}?{query}")
    assert response.status_code == 400
    assert "control" in data["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "theme[]=api-mujeres",
        "theme[0]=x&kind[]=cso",
        "q=%E2%80%AEmujeres",  # a right-to-left override
        "q=ni%C3%B1os%20%F0%9F%98%80",  # an emoji
        "q=%3Cscript%3Ealert(1)%3C/script%3E",
        "q='%20OR%201=1--",
        "q=%25%25%25_",
        "q=%09mujeres%0A",
        "theme=%C3%B1%C3%B1%C3%B1",
        "region=../../etc/passwd",
        "municipality=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%96%EF%BC%97",  # full-width digits
        "language=%F0%9F%98%80",
        "q=" + "%C3%B1" * 199,
        "page=99999999999999999999999",
    ],
)
def test_odd_and_hostile_values_never_break_it(as_visitor, directory, query):
    response, data = get_json(as_visitor, f"{URL}?{query}")
    assert response.status_code in {200, 400, 404}, data
    assert "detail" in data or "items" in data


def test_a_script_in_the_query_comes_back_as_data_not_markup(as_visitor, directory):
    response, data = get_json(as_visitor, URL, {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert data["count"] == 0


def test_too_many_parameters_is_a_json_400(as_visitor, directory, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"theme=t{n}" for n in range(20))
    response, data = get_json(as_visitor, f"{URL}?{query}")
    assert response.status_code == 400
    assert data["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organizations/abc",
        "/api/v1/organizations/-1",
        "/api/v1/organizations/0",
        "/api/v1/organizations/99999999999999999999999",
        "/api/v1/organizations/1.5",
        "/api/v1/organizations/",
        "/api/v1/nada",
        "/api/v1/organizations/1/extra",
        "/api/v2/organizations",
    ],
)
def test_a_path_that_does_not_exist_is_a_404(as_visitor, directory, path):
    response = as_visitor.get(path)
    assert response.status_code == 404
    if path.startswith("/api/v1/"):
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    ["state=2", "state=%00", "q=" + "x" * 101, "page=abc", "page_size=1000", "region=" + "r" * 61],
)
def test_municipalities_refuse_bad_parameters(as_visitor, directory, query):
    response, data = get_json(as_visitor, f"/api/v1/municipalities?{query}")
    assert response.status_code == 400
    assert data["detail"]


def test_errors_speak_spanish_by_default(as_visitor, directory):
    _, data = get_json(as_visitor, f"{URL}?page=abc")
    assert "debe ser un número entero" in data["detail"]


def test_errors_follow_the_language_asked_for(as_visitor, directory):
    response, data = get_json(as_visitor, f"{URL}?page=abc", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert data["detail"]
