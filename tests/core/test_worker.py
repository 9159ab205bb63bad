"""`polo worker` runs queued tasks from the database, in any process."""

import pytest
from django.core.management import call_command
from django_tasks import task_backends

from polo.cli import ALIASES
from polo.core.models import Job
from tests.core.worker_tasks import count_to

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    # django_tasks resets its backends when the TASKS setting changes.
    settings.TASKS = DATABASE_TASKS


def test_polo_worker_is_the_database_worker():
    assert ALIASES["worker"] == "db_worker"


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_job_and_records_its_progress(database_backend, participant):
    assert type(task_backends["default"]).__name__ == "DatabaseBackend"
    job = Job.objects.create(kind="test", title="Contar", owner=participant)

    result = count_to.enqueue(str(job.pk), 7)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # nothing ran inside the request

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (7, 7, 100)
    result.refresh()
    assert result.return_value == 7
