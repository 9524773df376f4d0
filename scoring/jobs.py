"""Background jobs of the scoring module."""

from __future__ import annotations

from typing import Any

from core.tasking import JobReporter, job_function
from scoring.models import RubricVersion
from scoring.services import cohort_parse, score_run_execute, scores_refresh


@job_function("scoring.run")
def score_run(report_to: JobReporter) -> dict[str, Any]:
    version = RubricVersion.objects.select_related("rubric").get(pk=report_to.params["version"])
    cohort = cohort_parse(report_to.params["cohort"])
    actor = report_to.job.created_by
    run = score_run_execute(version=version, cohort=cohort, actor=actor, job=report_to.job, report=report_to)
    return {"run": str(run.pk), "size": run.size, "excluded": run.excluded}


@job_function("scoring.refresh")
def score_refresh(report_to: JobReporter) -> dict[str, Any]:
    return {"runs": scores_refresh(report=report_to)}
