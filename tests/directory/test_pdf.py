"""The printable edition of the Thematic Directory: a PDF made in the background."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from polo.core.models import Job
from polo.directory import printing
from polo.directory.models import ContactPoint, Theme
from polo.directory.selectors import DirectoryFilters
from polo.directory.tasks import JOB_PRINT
from tests import factories as f
from tests.directory.helpers_io import distinct_names, media_root_fixture  # noqa: F401

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def thirty(organization, other_municipality):
    """Thirty published organisations in two states, with themes and contacts."""
    themes = list(Theme.objects.order_by("slug")[:4])
    orgs = []
    for index, name in enumerate(distinct_names(30)):
        place = organization.municipality if index % 3 else other_municipality
        org = f.OrganizationFactory(
            name=name,
            municipality=place,
            description="Trabajamos con comunidades de la región. " * 8,
        )
        org.themes.add(themes[index % 4], themes[(index + 1) % 4])
        ContactPoint.objects.create(
            organization=org, kind="email", value=f"c{index}@ejemplo.mx", is_public=True
        )
        ContactPoint.objects.create(
            organization=org, kind="phone", value=f"951 000 {index:04d}", is_public=False
        )
        orgs.append(org)
    return orgs


def test_a_signed_in_person_gets_the_pdf_through_a_background_job(as_participant, thirty):
    form = as_participant.get(reverse("directory:print"))
    assert form.status_code == 200
    response = as_participant.post(reverse("directory:print"), {"alcance": "todo"})
    job = Job.objects.get(kind=JOB_PRINT)
    assert response["Location"] == job.get_absolute_url()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.done == job.total == 100
    pages = int(re.search(r"en (\d+) páginas", job.message).group(1))
    assert pages > 1
    assert "31 organizaciones" in job.message
    page = as_participant.get(job.get_absolute_url()).content.decode()
    assert job.result_url in page
    download = as_participant.get(job.result_url)
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_pdf_of_the_current_search_only(as_participant, thirty, other_municipality):
    response = as_participant.post(
        reverse("directory:print"), {"alcance": "filtros", "state": "12"}
    )
    job = Job.objects.get(kind=JOB_PRINT)
    assert response["Location"] == job.get_absolute_url()
    assert "10 organizaciones" in job.message


def test_the_print_form_shows_the_search_and_refuses_too_large_a_selection(
    as_participant, thirty, monkeypatch
):
    page = as_participant.get(reverse("directory:print"), {"state": "12"}).content.decode()
    assert 'value="12"' in page and "state=12" in page
    monkeypatch.setattr(printing, "MAX_ORGANIZATIONS", 5)
    response = as_participant.post(reverse("directory:print"), {"alcance": "todo"})
    assert response.status_code == 400
    assert "admite hasta 5 organizaciones" in response.content.decode()
    assert not Job.objects.exists()


def test_one_pdf_at_a_time_per_person(as_participant, participant, thirty):
    running = Job.objects.create(
        kind=JOB_PRINT, title="PDF", owner=participant, status=Job.Status.RUNNING
    )
    response = as_participant.post(reverse("directory:print"), {"alcance": "todo"})
    assert response["Location"] == running.get_absolute_url()
    assert Job.objects.filter(kind=JOB_PRINT).count() == 1


def test_the_document_is_grouped_by_state_region_and_first_theme_with_both_indexes(thirty):
    result = printing.render_pdf(DirectoryFilters())
    assert result.pdf.startswith(b"%PDF")
    assert result.pages > 1 and result.count == 31
    html, index = result.html, result.index_html
    # Groups: the states in order, the regions within, then the themes.
    assert html.index("Guerrero") < html.index("Oaxaca") < html.index("Valles Centrales")
    assert 'class="toc"' in html and "target-counter" in html
    # Every organisation is described once, under its first theme...
    for org in thirty:
        assert html.count(f'id="org-{org.pk}"') == 1
    assert "También en:" in html
    # ...and listed in the name index and under each of its themes, with a page.
    name = thirty[0].name
    assert re.search(re.escape(name) + r' <span class="page">· \d+</span>', index)
    assert index.count(name) == 1 + thirty[0].themes.count()
    assert "Índice por nombre" in index and "Índice por tema" in index
    assert "INEGI" in html and "INEGI" in index
    # Public contacts only.
    assert "c1@ejemplo.mx" in html and "951 000 0001" not in html


def test_hostile_names_are_printed_as_text(organization):
    organization.name = "<img src=x onerror=alert(1)> Colectivo"
    organization.save()
    result = printing.render_pdf(DirectoryFilters())
    assert "<img src=x" not in result.html and "&lt;img src=x" in result.html
    assert result.pdf.startswith(b"%PDF")


def test_someone_elses_pdf_is_not_found(as_participant, as_editor, participant, thirty):
    as_participant.post(reverse("directory:print"), {"alcance": "todo"})
    job = Job.objects.get(kind=JOB_PRINT)
    assert as_editor.get(job.result_url).status_code == 404
