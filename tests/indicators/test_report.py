"""The printable diagnosis report of a region: asked for on a page, made in the
background (a Job), public figures only, charts and maps inline."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from polo.core.models import Job
from polo.indicators import printing, services
from polo.indicators.tasks import JOB_REPORT
from tests.browser.conftest import square
from tests.indicators.conftest import survey_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(dataset, places):
    for i, place in enumerate(places.values()):
        for field, value in square(i * 4_000, 0).items():
            setattr(place, field, value)
        place.save()
    indicator = survey_indicator(dataset, min_cell=3, is_published=True)
    services.indicator_refresh(indicator)
    survey_indicator(dataset, slug="borrador", name="Indicador en borrador")
    return indicator


def test_the_report_has_the_region_its_charts_map_and_table(published, region):
    result = printing.render_pdf(region)
    assert result.pdf.startswith(b"%PDF")
    assert result.indicators == 1 and result.pages >= 1
    html = result.html
    assert "Diagnóstico territorial: Valles Centrales" in html
    assert "Organizaciones con plan estratégico" in html
    assert "Indicador en borrador" not in html
    assert 'class="map-svg' in html and 'class="chart-svg"' in html
    # Valles Centrales: 50.0 % in the baseline; the midline is hidden (complementary).
    assert "50.0\u00a0%" in html
    # Public figures only: Santa Lucía (2 responses) shows no figure.
    assert "Santa Lucía del Camino" in html
    assert "&lt; 3" in html
    assert "Malinaltepec" not in html  # another region's municipality


def test_asking_for_a_report_runs_a_job_and_the_owner_downloads_it(
    as_participant, participant, published, region, media_root
):
    response = as_participant.post(reverse("indicators:report"), {"region": region.slug})
    job = Job.objects.get(kind=JOB_REPORT)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    # The test settings run tasks at once.
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert default_storage.exists(printing.pdf_path(job.pk))
    download = as_participant.get(job.result_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_second_request_while_one_runs_goes_to_the_first(as_participant, participant, region, db):
    running = Job.objects.create(
        kind=JOB_REPORT, title="Informe", owner=participant, status=Job.Status.RUNNING
    )
    response = as_participant.post(reverse("indicators:report"), {"region": region.slug})
    assert response["Location"] == running.get_absolute_url()
    assert Job.objects.count() == 1


def test_an_unknown_region_is_refused(as_participant, region):
    response = as_participant.post(reverse("indicators:report"), {"region": "../../etc"})
    assert response.status_code == 400
    assert not Job.objects.exists()
