"""The in-process job worker: a thread that takes queued tasks from the database and runs them.

The tests use `transaction=True`: the worker thread has its own database connection and only
sees committed rows. On SQLite, Django's test database is a shared-cache in-memory database,
which a second connection of the same process opens too.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker

from mercato.backoffice.management.commands import worker as worker_command
from mercato.backoffice.worker import build_worker, start_worker_thread

pytestmark = pytest.mark.django_db(transaction=True)


@task()
def shout(word: str) -> str:
    return word.upper() + "!"


def test_the_worker_thread_runs_an_enqueued_task() -> None:
    result = shout.enqueue("bonjour")

    thread, worker = start_worker_thread(max_tasks=1, interval=0.05)
    thread.join(timeout=20)

    assert not thread.is_alive()
    assert thread.daemon
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "BONJOUR!"
    assert worker.worker_id in result.worker_ids


def test_clearing_running_stops_an_idle_worker_thread() -> None:
    thread, worker = start_worker_thread(interval=0.05)

    worker.running = False
    thread.join(timeout=20)

    assert not thread.is_alive()


def test_the_worker_thread_resumes_after_an_unexpected_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failures: list[str] = []
    real_run = Worker.run

    def fail_once(self: Worker) -> None:
        if not failures:
            failures.append("database went away")
            raise RuntimeError("database went away")
        real_run(self)

    monkeypatch.setattr(Worker, "run", fail_once)
    result = shout.enqueue("encore")

    thread, _worker = start_worker_thread(max_tasks=1, interval=0.05, restart_delay=0.01)
    thread.join(timeout=20)

    assert not thread.is_alive()
    assert failures == ["database went away"]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "ENCORE!"


def test_build_worker_uses_our_backend_and_queues() -> None:
    worker = build_worker(queues=["imports", "exports"], interval=2.5)

    assert worker.queue_names == ["imports", "exports"]
    assert worker.interval == 2.5
    assert worker.backend_name == "default"
    assert worker.max_tasks is None
    assert worker.batch is False


def test_worker_command_runs_a_worker_on_the_given_queues(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, object]] = []
    # A real recovery thread would sweep the database while the test's teardown flushes it.
    monkeypatch.setattr(
        worker_command, "start_recovery_thread", lambda: seen.append(("recovery", None))
    )
    monkeypatch.setattr(Worker, "configure_signals", lambda self: seen.append(("signals", None)))
    monkeypatch.setattr(
        Worker, "run", lambda self: seen.append(("run", (self.queue_names, self.interval)))
    )
    out = StringIO()

    call_command("worker", "--queue", "imports,exports", "--interval", "0.5", stdout=out)

    assert seen == [("recovery", None), ("signals", None), ("run", (["imports", "exports"], 0.5))]
    assert out.getvalue().startswith("Worker ")
    assert out.getvalue().endswith(" waiting for jobs on queue(s) imports,exports.\n")
