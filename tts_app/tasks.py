"""django-q2 tasks: they take ids and call a service, so running one twice is harmless."""

from .jobs import job_run


def run_job(job_id: int) -> str:
    job = job_run(job_id=job_id)
    return job.state if job else "skipped"
