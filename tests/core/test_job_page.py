"""The background job page: progress for its owner (and coordinators), refreshing
itself without JavaScript and through htmx with it."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile

from polo.core.models import Job


@pytest.fixture
def job(participant):
    return Job.objects.create(kind="export", title="Exportación del directorio", owner=participant)


def url(job) -> str:
    return f"/tareas/{job.pk}/"


def test_the_owner_sees_the_progress_of_a_running_job(as_participant, job):
    job.start(total=40)
    job.advance(10)
    response = as_participant.get(url(job))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Exportación del directorio</h1>" in html
    assert "En curso" in html
    assert "10 de 40 · 25 %" in html
    assert '<progress max="100" value="25" aria-labelledby="job-progress-label">' in html


def test_without_javascript_a_running_job_page_reloads_itself(as_participant, job):
    job.start(total=3)
    html = as_participant.get(url(job)).content.decode()
    head = html.split("</head>")[0]
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in head
    assert f'href="{url(job)}">Actualizar ahora</a>' in html


def test_with_htmx_a_running_job_polls_its_progress_every_two_seconds(as_participant, job):
    job.start(total=3)
    html = as_participant.get(url(job)).content.decode()
    assert f'hx-get="{url(job)}" hx-trigger="every 2s" hx-swap="outerHTML"' in html


def test_an_htmx_request_gets_only_the_progress_fragment(as_participant, job):
    job.start(total=4)
    job.advance(1)
    response = as_participant.get(url(job), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith('<section id="job-progress"')
    assert "<html" not in html and "<h1>" not in html
    assert "1 de 4 · 25 %" in html
    assert "hx-trigger" in html
    assert "HX-Request" in response["Vary"]
    assert "no-store" in response["Cache-Control"]


def test_a_finished_job_stops_refreshing_and_links_its_result(as_participant, job):
    job.start(total=2)
    job.advance(2)
    job.succeed(message="Se exportaron 2 organizaciones.", result_url="/directorio/")
    html = as_participant.get(url(job)).content.decode()
    assert "http-equiv" not in html
    assert "hx-get" not in html and "hx-trigger" not in html
    assert "Terminado" in html and "100 %" in html
    assert '<a class="btn btn-primary" href="/directorio/">Ver el resultado</a>' in html
    fragment = as_participant.get(url(job), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment  # the swap replaces the poller: polling stops


def test_a_finished_job_offers_its_file_for_download(as_participant, job, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job.result_file.save("directorio.csv", ContentFile(b"nombre\n"), save=True)
    job.succeed()
    html = as_participant.get(url(job)).content.decode()
    assert "Descargar el resultado" in html
    assert f'href="{job.result_file.url}"' in html


def test_a_failed_job_says_so_and_stops(as_participant, job):
    job.start(total=5)
    job.fail("El archivo no tiene la columna «nombre».")
    html = as_participant.get(url(job)).content.decode()
    assert "Falló" in html
    assert "La tarea no pudo terminar. El archivo no tiene la columna «nombre»." in html
    assert "http-equiv" not in html and "hx-trigger" not in html


def test_a_queued_job_shows_an_indeterminate_bar(as_participant, job):
    html = as_participant.get(url(job)).content.decode()
    assert "En cola" in html
    assert '<progress aria-labelledby="job-progress-label">' in html


def test_a_coordinator_may_follow_anyones_job(as_coordinator, job):
    assert as_coordinator.get(url(job)).status_code == 200


@pytest.mark.parametrize("persona", ["as_editor", "as_facilitator", "as_other_facilitator"])
def test_other_people_cannot_tell_the_job_exists(request, persona, job):
    client = request.getfixturevalue(persona)
    assert client.get(url(job)).status_code == 404
    assert client.get(url(job), HTTP_HX_REQUEST="true").status_code == 404


def test_a_job_without_owner_is_for_coordinators_only(as_participant, as_coordinator):
    job = Job.objects.create(kind="import", title="Importación")
    assert as_participant.get(url(job)).status_code == 404
    assert as_coordinator.get(url(job)).status_code == 200


def test_visitors_are_sent_to_sign_in(as_visitor, job):
    response = as_visitor.get(url(job))
    assert response.status_code == 302
    assert response["Location"].startswith("/cuentas/login/?next=")


def test_an_unknown_or_malformed_job_id_is_not_found(as_coordinator):
    assert as_coordinator.get(f"/tareas/{uuid.uuid4()}/").status_code == 404
    assert as_coordinator.get("/tareas/no-es-un-uuid/").status_code == 404
    assert as_coordinator.get("/tareas/1' OR '1'='1/").status_code == 404
