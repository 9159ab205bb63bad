"""A task for the worker test: it advances a Job the way real long jobs do."""

from django_tasks import task

from polo.core.models import Job


@task()
def count_to(job_id: str, steps: int) -> int:
    job = Job.objects.get(pk=job_id)
    job.start(total=steps)
    for _step in range(steps):
        job.advance()
    job.succeed(message="listo")
    return steps
