"""Good practices in a browser: axe on the public list and a practice's page."""

from __future__ import annotations

from django.urls import reverse

from polo.practices.models import Evidence, GoodPractice
from tests.browser.axe import assert_all_accessible


def test_the_public_pages_are_accessible(page, organization, municipality, db):
    practice = GoodPractice.objects.create(
        organization=organization,
        municipality=municipality,
        title="Comités del agua en los Valles",
        problem="Las familias recibían agua turbia.",
        actions="Se formaron comités de vigilancia.",
        results="El suministro pasó de dos a cinco días.",
        reusable="La guía para formar comités.",
        contact_name="Lucía Ramírez",
        contact_name_public=True,
        status=GoodPractice.Status.PUBLISHED,
    )
    Evidence.objects.create(
        practice=practice, kind="link", title="Informe", url="https://ejemplo.mx"
    )
    assert_all_accessible(
        page,
        {"list": reverse("practices:index"), "practice": practice.get_absolute_url()},
    )
