"""The codebook: staff add themes (one level of sub-themes), coordinators edit,
retire and merge them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polo.qualitative.models import Code, Coding
from tests.qualitative.factories import CodeFactory, code_passage

pytestmark = pytest.mark.django_db

URL = reverse("qualitative:codebook")


def test_a_facilitator_adds_a_theme_with_a_slug_of_its_own(as_facilitator, facilitator):
    response = as_facilitator.post(
        URL, {"name": "  Violencia   de género ", "description": "Cuando se habla de..."}
    )

    code = Code.objects.get()
    assert response.status_code == 302
    assert (code.name, code.slug, code.created_by) == (
        "Violencia de género",
        "violencia-de-genero",
        facilitator,
    )


def test_a_sub_theme_gets_a_unique_slug_and_reads_with_its_theme(as_coordinator, health):
    CodeFactory(slug="clinicas", name="Otra cosa")

    as_coordinator.post(URL, {"name": "Clínicas", "parent": health.pk})

    code = Code.objects.get(name="Clínicas")
    assert code.slug == "clinicas-2"
    assert str(code) == "Acceso a servicios de salud › Clínicas"


def test_it_refuses_a_second_level_of_sub_themes(as_coordinator, health):
    child = CodeFactory(slug="clinicas", name="Clínicas", parent=health)

    response = as_coordinator.post(URL, {"name": "Medicinas", "parent": child.pk})

    assert response.status_code == 400
    assert not Code.objects.filter(name="Medicinas").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": ""},
        {"name": "x" * 121},
        {"name": "\x00\u200b"},
        {"name": "Salud", "parent": "99999"},
        {"name": "Salud", "description": "d" * 2001},
    ],
)
def test_it_refuses_bad_themes(as_facilitator, data):
    response = as_facilitator.post(URL, data)

    assert response.status_code == 400
    assert not Code.objects.exists()


def test_it_refuses_a_duplicate_name(as_facilitator, health):
    response = as_facilitator.post(URL, {"name": "acceso a servicios de SALUD"})

    assert response.status_code == 400
    assert "Ya hay un tema con ese nombre" in response.content.decode()


def test_hostile_names_are_shown_escaped(as_facilitator):
    as_facilitator.post(URL, {"name": "<script>alert(1)</script>"})

    page = as_facilitator.get(URL).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_codebook_counts_each_themes_passages(as_facilitator, session, health, water):
    code_passage(session, [health, water], paragraph=0)
    code_passage(session, [health], paragraph=1)

    response = as_facilitator.get(URL)

    uses = {code.slug: code.uses for code in response.context["codes"]}
    assert uses == {"salud": 2, "agua": 1}


def test_a_facilitator_does_not_see_the_edit_and_merge_links(as_facilitator, health):
    page = as_facilitator.get(URL).content.decode()

    assert reverse("qualitative:code_edit", args=[health.slug]) not in page


def test_a_coordinator_retires_a_theme_and_it_is_no_longer_offered(
    as_coordinator, as_facilitator, health, session
):
    response = as_coordinator.post(
        reverse("qualitative:code_edit", args=[health.slug]),
        {"name": health.name, "description": "", "parent": ""},  # is_active unticked
    )

    health.refresh_from_db()
    assert response.status_code == 302
    assert not health.is_active
    page = as_facilitator.get(session.get_absolute_url()).content.decode()
    assert f'name="codes" value="{health.pk}"' not in page
    assert "El libro de códigos está vacío" in page


def test_a_theme_with_sub_themes_cannot_become_a_sub_theme(as_coordinator, health, water):
    CodeFactory(slug="clinicas", name="Clínicas", parent=health)

    response = as_coordinator.post(
        reverse("qualitative:code_edit", args=[health.slug]),
        {"name": health.name, "parent": water.pk, "is_active": "on"},
    )

    assert response.status_code == 400
    health.refresh_from_db()
    assert health.parent is None


def test_merging_moves_the_passages_and_retires_the_theme(as_coordinator, session, health, water):
    both = code_passage(session, [health, water], paragraph=0)
    only_water = code_passage(session, [water], paragraph=1)

    response = as_coordinator.post(
        reverse("qualitative:code_merge", args=[water.slug]), {"keep": health.pk}
    )

    water.refresh_from_db()
    assert response.status_code == 302
    assert (water.is_active, water.merged_into) == (False, health)
    assert list(both.codes.all()) == [health]
    assert list(only_water.codes.all()) == [health]
    assert Coding.objects.count() == 2
    assert not Coding.objects.filter(code=water).exists()


@pytest.mark.parametrize("keep", ["same", "retired", "unknown", ""])
def test_it_refuses_a_merge_into_nothing_itself_or_a_retired_theme(as_coordinator, health, keep):
    retired = CodeFactory(slug="retirado", is_active=False)
    value = {"same": health.pk, "retired": retired.pk, "unknown": 99999, "": ""}[keep]

    response = as_coordinator.post(
        reverse("qualitative:code_merge", args=[health.slug]), {"keep": value}
    )

    health.refresh_from_db()
    assert response.status_code == 400
    assert health.is_active


def test_a_theme_with_sub_themes_is_not_merged(as_coordinator, health, water):
    CodeFactory(slug="clinicas", name="Clínicas", parent=health)

    response = as_coordinator.post(
        reverse("qualitative:code_merge", args=[health.slug]), {"keep": water.pk}
    )

    assert response.status_code == 400
    assert "tiene subtemas" in response.content.decode()


def test_a_merged_theme_is_not_reactivated(as_coordinator, health, water):
    as_coordinator.post(reverse("qualitative:code_merge", args=[water.slug]), {"keep": health.pk})

    response = as_coordinator.post(
        reverse("qualitative:code_edit", args=[water.slug]),
        {"name": water.name, "is_active": "on"},
    )

    water.refresh_from_db()
    assert response.status_code == 400
    assert not water.is_active
