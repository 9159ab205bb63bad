"""The demo step: the Incidence Manual installed, about forty organisations
with completed assessments (some with an earlier one), plans in every state;
idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.test import Client

from polo.assessments.models import Assessment, PlanAction, PlanComment
from polo.demo import Scale, run
from polo.surveys.models import Instrument
from tests.demo.conftest import territory  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("territory", "media_root")]
STEPS = ["polo.demo.directory", "polo.demo.accounts", "polo.demo.assessments"]


def test_the_demo_makes_assessments_plans_and_change_idempotently():
    run(scale=Scale(), stdout=StringIO(), steps=STEPS)
    assert Instrument.objects.filter(slug="manual-de-incidencia").exists()
    current = Assessment.objects.current()
    assert current.count() == 40
    assert Assessment.objects.filter(previous__isnull=False).count() >= 8
    statuses = set(PlanAction.objects.values_list("status", flat=True))
    assert statuses == set(PlanAction.Status.values)
    assert PlanComment.objects.exists()
    editor_org = Assessment.objects.filter(started_by__email="editora@polo.demo").latest(
        "started_at"
    )
    assert editor_org.previous is not None and editor_org.plan_actions.exists()
    before = (Assessment.objects.count(), PlanAction.objects.count(), PlanComment.objects.count())
    run(scale=Scale(), stdout=StringIO(), steps=STEPS)
    assert (
        Assessment.objects.count(),
        PlanAction.objects.count(),
        PlanComment.objects.count(),
    ) == before
    # The demo editor sees the profile with its change.
    client = Client()
    client.force_login(editor_org.started_by)
    page = client.get(f"/autodiagnostico/{editor_org.pk}/perfil/").content.decode()
    assert "Cambio desde el autodiagnóstico" in page


def test_at_national_scale_assessments_are_written_in_bulk(monkeypatch):
    from polo.assessments import selectors
    from polo.assessments.models import AreaScore
    from polo.demo import assessments as demo_assessments

    monkeypatch.setattr(demo_assessments, "NATIONAL_ASSESSMENTS", 60)
    national = Scale(name="national", national_size=600)
    run(scale=national, stdout=StringIO(), steps=STEPS)
    current = Assessment.objects.current()
    assert current.count() == 100
    assert AreaScore.objects.filter(assessment__in=current).count() == 1_000
    table = selectors.aggregate("region")
    assert table.total.n == 100 and not table.total.overall.suppressed
    run(scale=national, stdout=StringIO(), steps=STEPS)
    assert Assessment.objects.current().count() == 100
