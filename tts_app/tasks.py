"""django-q2 tasks: they take ids and call a service, so running one twice is harmless."""

from .jobs import job_run
from .queue_watch import ticket_started


def run_job(job_id: int, ticket_id: int | None = None) -> str:
    ticket_started(ticket_id=ticket_id)
    job = job_run(job_id=job_id)
    return job.state if job else "skipped"
