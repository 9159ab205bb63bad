"""Coordinators define indicators in a form checked against the campaign's
current form: unknown questions, operators that do not fit, values that are
not options or numbers, and hostile text are refused with a message on the
field at fault, and nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.indicators.models import Cell, Indicator

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "name": "Organizaciones con plan estratégico",
        "slug": "",
        "description": "Porcentaje de organizaciones con un plan estratégico escrito.",
        "unit": "percent",
        "direction": "higher",
        "decimals": "1",
        "min_cell": "5",
        "ordering": "0",
        "numerator_question": "plan_estrategico",
        "numerator_operator": "=",
        "numerator_value": "si",
    }
    data.update(overrides)
    return data


@pytest.fixture
def create_url(survey):
    return reverse("indicators:create") + "?campana=" + survey["campaign"].slug


def errors_of(response) -> dict:
    return {name: [str(e) for e in errs] for name, errs in response.context["form"].errors.items()}


def test_the_first_step_lists_campaigns_and_polo_data(as_coordinator, survey):
    response = as_coordinator.get(reverse("indicators:create"))
    html = response.content.decode()
    assert "?campana=linea-base-2026" in html
    assert "Organizaciones publicadas en el directorio" in html


def test_an_unknown_campaign_goes_back_to_the_first_step(as_coordinator, survey):
    response = as_coordinator.get(reverse("indicators:create") + "?campana=no-existe")
    assert response.status_code == 404
    assert "Esa campaña no existe" in response.content.decode()


def test_a_coordinator_defines_a_survey_indicator(as_coordinator, coordinator, dataset, create_url):
    form = as_coordinator.get(create_url).content.decode()
    assert "plan_estrategico" in form and "personas_equipo" in form
    response = as_coordinator.post(
        create_url,
        form_data(
            denominator_question="plan_estrategico",
            denominator_operator="answered",
            filter_1_question="fuentes",
            filter_1_operator="selected",
            filter_1_value="donativos",
            disaggregations=["question:sexo_respondente", "organization_kind"],
        ),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.slug == "organizaciones-con-plan-estrategico"
    assert response["Location"] == indicator.get_absolute_url()
    assert indicator.numerator == {"question": "plan_estrategico", "operator": "=", "value": "si"}
    assert indicator.denominator == {"question": "plan_estrategico", "operator": "answered"}
    assert indicator.filters == [
        {"question": "fuentes", "operator": "selected", "value": "donativos"}
    ]
    assert indicator.created_by == coordinator
    assert not indicator.is_published
    # Computed at once: 3 responses chose donativos, all three said yes.
    total = Cell.objects.get(indicator=indicator, round=dataset["baseline"], breakdown="total")
    assert (total.size, total.value) == (3, 100.0)
    assert indicator.history.count() == 1


def test_a_mean_and_a_ratio(as_coordinator, dataset, create_url):
    response = as_coordinator.post(
        create_url,
        form_data(
            name="Tamaño del equipo",
            unit="mean",
            numerator_question="",
            numerator_operator="",
            numerator_value="",
            value_question="personas_equipo",
        ),
    )
    assert response.status_code == 302
    response = as_coordinator.post(
        create_url,
        form_data(
            name="Mujeres en los equipos",
            unit="ratio",
            numerator_question="",
            numerator_operator="",
            numerator_value="",
            value_question="mujeres_equipo",
            ratio_question="personas_equipo",
        ),
    )
    assert response.status_code == 302
    ratio = Indicator.objects.get(slug="mujeres-en-los-equipos")
    total = Cell.objects.get(indicator=ratio, round=dataset["baseline"], breakdown="total")
    assert round(total.value, 2) == round(2800 / 57, 2)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"numerator_question": "no_existe"}, "numerator_question", "no_existe"),
        ({"numerator_operator": ">"}, "numerator_operator", "no sirve"),
        ({"numerator_operator": "selected"}, "numerator_operator", "no sirve"),
        ({"numerator_value": "quizas"}, "numerator_value", "no es una opción"),
        ({"numerator_value": ""}, "numerator_value", "Escriba el valor"),
        ({"numerator_operator": "sonrisa"}, "numerator_operator", "válida"),
        (
            {
                "filter_1_question": "personas_equipo",
                "filter_1_operator": ">",
                "filter_1_value": "diez",
            },
            "filter_1_value",
            "no es un número",
        ),
        (
            {
                "filter_1_question": "personas_equipo",
                "filter_1_operator": ">",
                "filter_1_value": "nan",
            },
            "filter_1_value",
            "no es un número",
        ),
        (
            {"filter_1_question": "fecha", "filter_1_operator": ">", "filter_1_value": "ayer"},
            "filter_1_value",
            "AAAA-MM-DD",
        ),
        (
            {
                "filter_1_question": "fuentes",
                "filter_1_operator": "=",
                "filter_1_value": "donativos",
            },
            "filter_1_operator",
            "no sirve",
        ),
        (
            {"filter_1_question": "ubicacion", "filter_1_operator": "=", "filter_1_value": "1 2"},
            "filter_1_operator",
            "no sirve",
        ),
        (
            {"filter_2_operator": "=", "filter_2_value": "si"},
            "filter_2_question",
            "Elija la pregunta",
        ),
        ({"filter_1_question": "indigena"}, "filter_1_operator", "Elija el operador"),
        (
            {"numerator_value": "si\x00'; DROP TABLE surveys_answer; --"},
            "numerator_value",
            "",
        ),
        ({"numerator_value": "x" * 300}, "numerator_value", "200"),
        (
            {"numerator_question": "", "numerator_operator": "", "numerator_value": ""},
            "numerator_question",
            "numerador",
        ),
        ({"unit": "mean"}, "value_question", "numérica"),
        ({"unit": "mean", "value_question": "temas"}, "value_question", "válida"),
        ({"unit": "mean", "value_question": "proyecto_personas"}, "value_question", "válida"),
        ({"unit": "percent", "value_question": "personas_equipo"}, "value_question", "no usa"),
        (
            {
                "unit": "ratio",
                "numerator_question": "",
                "numerator_operator": "",
                "numerator_value": "",
                "value_question": "mujeres_equipo",
            },
            "ratio_question",
            "denominador",
        ),
        ({"disaggregations": ["question:personas_equipo"]}, "disaggregations", "válida"),
        ({"disaggregations": ["region; DROP"]}, "disaggregations", "válida"),
        ({"min_cell": "0"}, "min_cell", "mayor o igual"),
        ({"decimals": "9"}, "decimals", "menor o igual"),
        ({"name": ""}, "name", "obligatorio"),
        ({"slug": "no vale/esto"}, "slug", "válido"),
        ({"unit": "moda"}, "unit", "válida"),
    ],
)
def test_bad_input_is_refused_on_the_field_at_fault(
    as_coordinator, survey, create_url, overrides, field, message
):
    response = as_coordinator.post(create_url, form_data(**overrides))
    assert response.status_code == 400
    errors = errors_of(response)
    assert field in errors, errors
    assert message in " ".join(errors[field]), errors
    assert not Indicator.objects.exists()


def test_hostile_text_is_kept_as_text_and_escaped(as_coordinator, as_visitor, dataset, create_url):
    name = '<script>alert("x")</script> «Plan» & <b>negrita</b>'
    response = as_coordinator.post(
        create_url, form_data(name=name, description="<img src=x onerror=alert(1)>")
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.name == name
    indicator.is_published = True
    indicator.save()
    for url in (
        indicator.get_absolute_url(),
        reverse("indicators:index"),
        reverse("indicators:manage"),
    ):
        client = as_coordinator if "gestion" in url else as_visitor
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "<img src=x" not in html
        assert "<b>negrita" not in html


def test_a_slug_already_taken_gets_a_number(as_coordinator, survey, create_url):
    assert as_coordinator.post(create_url, form_data()).status_code == 302
    assert as_coordinator.post(create_url, form_data()).status_code == 302
    assert set(Indicator.objects.values_list("slug", flat=True)) == {
        "organizaciones-con-plan-estrategico",
        "organizaciones-con-plan-estrategico-2",
    }


def test_editing_keeps_the_conditions_and_recomputes(as_coordinator, dataset, create_url):
    as_coordinator.post(create_url, form_data())
    indicator = Indicator.objects.get()
    url = reverse("indicators:edit", args=[indicator.slug])
    html = as_coordinator.get(url).content.decode()
    assert 'value="si"' in html
    assert '<option value="plan_estrategico" selected' in html
    response = as_coordinator.post(
        url, form_data(slug=indicator.slug, numerator_value="no", name="Sin plan estratégico")
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.numerator["value"] == "no"
    total = Cell.objects.get(indicator=indicator, round=dataset["baseline"], breakdown="total")
    assert total.numerator == 3  # r2 r6 r7
    assert indicator.history.count() == 2


def test_a_polo_data_indicator(as_coordinator, as_visitor, organization, other_municipality):
    from tests import factories as f

    f.OrganizationFactory(municipality=organization.municipality, kind="collective")
    f.OrganizationFactory(municipality=other_municipality)
    f.OrganizationFactory(municipality=other_municipality, status="draft")
    url = reverse("indicators:create") + "?fuente=polo"
    response = as_coordinator.post(
        url,
        {
            "name": "Organizaciones publicadas",
            "metric": "directory.published_organizations",
            "direction": "higher",
            "decimals": "0",
            "min_cell": "5",
            "ordering": "0",
            "disaggregations": ["organization_kind"],
        },
    )
    assert response.status_code == 302, errors_of(response)
    indicator = Indicator.objects.get()
    assert indicator.source == "polo" and indicator.unit == "count"
    figures = {
        (c.breakdown, c.key): (c.value, c.suppression)
        for c in Cell.objects.filter(indicator=indicator)
    }
    # Published only: the draft is not counted. Public data: nothing suppressed.
    assert figures[("total", "")] == (3.0, "")
    assert figures[("region", "valles-centrales")] == (2.0, "")
    assert figures[("region", "montana")] == (1.0, "")
    assert figures[("municipality", "12041")] == (1.0, "")
    assert figures[("organization_kind", "collective")] == (1.0, "")
    assert figures[("organization_kind", "cso")] == (2.0, "")


def test_a_polo_indicator_refuses_an_unknown_metric_or_breakdown(as_coordinator, db):
    url = reverse("indicators:create") + "?fuente=polo"
    data = {"name": "X", "direction": "higher", "decimals": "0", "min_cell": "5", "ordering": "0"}
    response = as_coordinator.post(url, {**data, "metric": "nada.secreto"})
    assert response.status_code == 400 and "metric" in errors_of(response)
    response = as_coordinator.post(
        url,
        {
            **data,
            "metric": "directory.published_organizations",
            "disaggregations": ["question:sexo"],
        },
    )
    assert response.status_code == 400 and "disaggregations" in errors_of(response)
    assert not Indicator.objects.exists()


def test_the_model_checks_definitions_made_elsewhere(survey):
    from django.core.exceptions import ValidationError

    indicator = Indicator(
        slug="x",
        name="x",
        campaign=survey["campaign"],
        unit="percent",
        numerator={"question": "plan_estrategico", "operator": "LIKE", "value": "%"},
        filters=[{"question": "x"}, "no es una condición"],
        disaggregations=["question:fecha"],
    )
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert set(caught.value.message_dict) >= {"numerator", "filters", "disaggregations"}


def test_publishing_and_withdrawing(as_coordinator, as_visitor, survey, create_url):
    as_coordinator.post(create_url, form_data())
    indicator = Indicator.objects.get()
    assert as_visitor.get(indicator.get_absolute_url()).status_code == 404
    as_coordinator.post(reverse("indicators:publish", args=[indicator.slug]), {"publish": "1"})
    assert as_visitor.get(indicator.get_absolute_url()).status_code == 200
    as_coordinator.post(reverse("indicators:publish", args=[indicator.slug]), {"publish": "0"})
    assert as_visitor.get(indicator.get_absolute_url()).status_code == 404
    response = as_coordinator.post(
        reverse("indicators:publish", args=[indicator.slug]), {"publish": "x"}
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert not indicator.is_published


def test_hostile_parameters_on_the_first_step_and_the_report(as_coordinator, survey):
    for query in ("?campana=%00", "?campana=<script>", "?campana=" + "x" * 500):
        response = as_coordinator.get(reverse("indicators:create") + query)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode()
    assert as_coordinator.get(reverse("indicators:report") + "?region=%00").status_code == 200
