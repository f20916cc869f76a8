"""`eumonitor schedule`: APScheduler 3 in the foreground, running the CLI's own commands on time.

Each job calls `eumonitor <command>` in this process with the same global options (database,
sources, profile), so a scheduled run does exactly what the same command does from cron or by
hand, under the same run lock (monitor.lock): a run started by cron and a scheduled one never
overlap; the second says so and ends.

    collect   "0 6 * * *"    eumonitor collect          (collect, then score what came in)
    digest    "0 7 * * mon"  eumonitor digest --send
    reminders "30 7 * * *"   eumonitor remind --send    (deadline reminders, source health),
                             eumonitor alerts --send    (directive alerts to the förvaltningar)

Missed runs (the machine was off) are coalesced into one and run if they are at most
`misfire_grace_minutes` late; one instance per job at a time. SIGTERM and SIGINT stop the
scheduler cleanly: no new job starts, a running one finishes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

# job id → (the commands it runs, one after the other; what it does in Swedish)
JOBS: dict[str, tuple[list[list[str]], str]] = {
    "collect": ([["collect"]], "insamling och matchning"),
    "digest": ([["digest", "--send"]], "veckobrevet"),
    "reminders": (
        [["remind", "--send"], ["alerts", "--send"]],
        "påminnelser, källornas hälsa och direktivlarm",
    ),
}

RunCommand = Callable[[Sequence[str]], int]


def build_scheduler(schedule, run: RunCommand) -> BlockingScheduler:
    """The scheduler with one job per entry of `schedule` (profile.yaml's section), not started.

    `run(args)` runs one eumonitor command and returns its exit code."""
    scheduler = BlockingScheduler(timezone=schedule.timezone)
    for job_id, (commands, description) in JOBS.items():
        trigger = CronTrigger.from_crontab(getattr(schedule, job_id), timezone=schedule.timezone)
        scheduler.add_job(
            _job,
            trigger,
            args=[job_id, [list(c) for c in commands], run],
            id=job_id,
            name=description,
            coalesce=True,  # runs missed while the machine was off: one run, not a burst
            max_instances=1,
            misfire_grace_time=round(schedule.misfire_grace_minutes * 60),
        )
    return scheduler


def _job(job_id: str, commands: list[list[str]], run: RunCommand) -> int:
    """Run the job's commands in turn; one failing does not stop the next. The worst exit code."""
    worst = 0
    for args in commands:
        log.info("schemalagt jobb %s: eumonitor %s", job_id, " ".join(args))
        try:
            code = run(args)
        except Exception:  # a job's bug must not stop the scheduler
            log.exception("schemalagt jobb %s fallerade", job_id)
            code = 70
        if code:
            log.warning("schemalagt jobb %s: eumonitor %s slutade med kod %s", job_id, " ".join(args), code)
        worst = max(worst, code)
    return worst


def next_runs(scheduler: BlockingScheduler, now: datetime) -> dict[str, datetime | None]:
    """When each job runs next after `now` (for the start message and for tests)."""
    return {job.id: job.trigger.get_next_fire_time(None, now) for job in scheduler.get_jobs()}
