"""Likely duplicates: same RFC or CLUNI anywhere; the same or nearly the same
name (accents, case, "A.C." and word order ignored) in the same municipality."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from polo.directory.duplicates import DuplicateIndex, find_duplicates
from polo.directory.models import Organization
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def unidas(municipality):
    return f.OrganizationFactory(
        name="Mujeres Unidas, A.C.",
        municipality=municipality,
        rfc="MUN120315AB1",
        cluni="MUN1203150901A",
    )


def test_the_same_rfc_is_a_duplicate_anywhere(unidas, other_municipality):
    matches = find_duplicates(
        name="Otra cosa", municipality=other_municipality, rfc="mun-120315-ab1"
    )

    assert [(m.pk, m.reasons) for m in matches] == [(unidas.pk, ("rfc",))]
    assert matches[0].organization == unidas
    assert "mismo RFC" in matches[0].describe()


def test_the_same_cluni_is_a_duplicate_anywhere(unidas, other_municipality):
    matches = find_duplicates(
        name="Otra cosa", municipality=other_municipality, cluni="MUN1203150901A"
    )

    assert [m.reasons for m in matches] == [("cluni",)]


def test_word_order_case_and_legal_form_are_ignored(unidas, municipality):
    matches = find_duplicates(name="UNIDAS MUJERES AC", municipality=municipality)

    assert [(m.pk, m.reasons) for m in matches] == [(unidas.pk, ("name",))]


def test_accents_are_ignored(municipality):
    nino = f.OrganizationFactory(name="Niñez y Educación Comunitaria", municipality=municipality)

    matches = find_duplicates(name="NINEZ Y EDUCACION COMUNITARIA", municipality=municipality)

    assert [m.pk for m in matches] == [nino.pk]


def test_a_nearly_identical_name_is_flagged_with_its_similarity(unidas, municipality):
    matches = find_duplicates(name="Mujeres Unida A.C.", municipality=municipality)

    assert [m.reasons for m in matches] == [("similar_name",)]
    assert 0.85 <= matches[0].similarity < 1


def test_the_same_name_in_another_municipality_is_not_flagged(unidas, other_municipality):
    assert find_duplicates(name="Mujeres Unidas A.C.", municipality=other_municipality) == []


def test_a_different_name_in_the_same_municipality_is_not_flagged(unidas, municipality):
    assert find_duplicates(name="Jóvenes por la Paz", municipality=municipality) == []


def test_one_record_matching_for_several_reasons_is_listed_once(unidas, municipality):
    matches = find_duplicates(
        name="Mujeres Unidas", municipality=municipality.code, rfc="MUN120315AB1"
    )

    assert len(matches) == 1
    assert matches[0].reasons == ("rfc", "name")


def test_a_record_merged_into_another_is_not_a_duplicate_and_the_record_itself_is_excluded(
    unidas, municipality
):
    kept = f.OrganizationFactory(name="Mujeres Unidas", municipality=municipality)
    unidas.merged_into = kept
    unidas.save()

    matches = find_duplicates(name="Mujeres Unidas", municipality=municipality, rfc=unidas.rfc)
    assert [m.pk for m in matches] == [kept.pk]
    assert find_duplicates(name="Mujeres Unidas", municipality=municipality, exclude=kept.pk) == []


def test_an_empty_candidate_matches_nothing(unidas, municipality):
    assert find_duplicates(name="", municipality=None) == []
    assert find_duplicates(name="A.C.", municipality=municipality) == []


def test_one_candidate_costs_one_query(unidas, municipality):
    with CaptureQueriesContext(connection) as queries:
        find_duplicates(name="Mujeres Unidas", municipality=municipality, rfc="XAXX010101000")

    assert len(queries) == 1


def test_the_index_answers_many_candidates_with_the_query_that_built_it(
    unidas, municipality, other_municipality
):
    for number in range(30):
        f.OrganizationFactory(name=f"Colectivo número {number}", municipality=municipality)

    with CaptureQueriesContext(connection) as queries:
        index = DuplicateIndex(Organization.objects.all())
        results = [
            index.find(name="unidas mujeres", municipality=municipality),
            index.find(name="Mujeres Unidas", municipality=other_municipality),
            index.find(name="x", municipality=other_municipality.pk, rfc="MUN120315AB1"),
            index.find(name="x", municipality=None, cluni="mun1203150901a"),
            index.find(name="Colectivo numero 7", municipality=municipality),
        ]
        for number in range(500):
            index.find(name=f"Grupo {number}", municipality=municipality)

    assert len(queries) == 1
    assert [[m.reasons for m in r] for r in results[:4]] == [
        [("name",)],
        [],
        [("rfc",)],
        [("cluni",)],
    ]
    assert results[4][0].name == "Colectivo número 7"


def test_the_index_flags_two_rows_of_the_same_batch(municipality):
    index = DuplicateIndex(Organization.objects.none())

    assert index.find(name="Red de Huertos", municipality=municipality) == []
    index.add(name="Red de Huertos", municipality=municipality, rfc="RHU150101AB1")

    again = index.find(name="Huertos, Red de", municipality=municipality)
    by_rfc = index.find(name="Otro", municipality=None, rfc="RHU150101AB1")
    assert [(m.pk, m.reasons) for m in again] == [(None, ("name",))]
    assert [m.reasons for m in by_rfc] == [("rfc",)]


def test_the_index_and_the_single_lookup_agree(unidas, municipality):
    f.OrganizationFactory(name="Mujeres Unidas por Oaxaca", municipality=municipality)
    f.OrganizationFactory(name="Mujere Unidas", municipality=municipality)
    index = DuplicateIndex()

    for name in ["Mujeres Unidas", "Mujeres Unida", "Unidas por Oaxaca Mujeres", "Nada"]:
        single = find_duplicates(name=name, municipality=municipality)
        bulk = index.find(name=name, municipality=municipality)
        assert [(m.pk, m.reasons) for m in single] == [(m.pk, m.reasons) for m in bulk], name
