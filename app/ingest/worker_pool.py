"""Extraction in worker processes, with a time budget per article that really stops the work.

Extraction is near-linear now, but a hostile article can still cost more than it should, and
CPU-bound Python in a thread cannot be stopped. So every ingestion path (``POST
/v1/articles``, ``frontwire ingest`` with any ``--processes``) hands read articles to warm
worker processes and waits at most ``FRONTWIRE_EXTRACTION_TIMEOUT`` seconds for each draft.
Past that the worker is killed (SIGKILL), the article fails with "extraction exceeded N s"
(``ExtractionTimeout``), nothing of it is stored, and a fresh worker takes the next one.

Start method: workers are forked by a multiprocessing *forkserver*, a single-threaded process
that imports ``app.ingest.extraction_preload`` (spaCy and the gazetteer) once. The API
process never forks itself (its threads may hold locks a child would inherit) and never
loads spaCy (one copy lives in the forkserver, shared copy-on-write with the workers); a
worker killed on a timeout is replaced in milliseconds, already warm.

Protocol, one duplex pipe per worker: the worker says ``("ready", pid)`` once, then for each
batch ``[CleanText, ...]`` it receives it answers ``(position, ArticleDraft | Exception)``
per article as soon as that article is done. Batches go through ``nlp.pipe``; the budget is
per answer (an answer must come within the budget of the batch start or the previous
answer). When a batch of several runs over, its unfinished articles are retried one by one,
so only an article that exceeds the budget on its own fails. A queue worker (issue 16) can
reuse ``ExtractionPool`` as it is: one pool per worker process, one ``extract`` per job.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from app.config import get_settings
from app.ingest.types import ArticleDraft, CleanText
from app.ingestion import ExtractionTimeout, WorkerLost

BATCH_SIZE = 16
STARTUP_TIMEOUT = 600.0  # seconds for a worker to load the model (a cold, loaded machine)
PRELOAD = "app.ingest.extraction_preload"
Result = ArticleDraft | Exception


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD])
    return context


def _serve(conn: Connection, owner: int) -> None:
    """The worker's loop: load (a no-op when forked warm), say ready, extract batches."""
    # Imported here, in the worker process only: the API process that owns the pool must
    # never load spaCy and the knowledge files (that is what the pool is for).
    from app.ingest.pipeline import stream_drafts, warm_up

    try:
        warm_up()
    except Exception as error:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", os.getpid()))
    threading.Thread(target=_exit_with_owner, args=(owner,), daemon=True).start()
    while True:
        try:
            batch = conn.recv()
        except EOFError:  # the parent is gone
            return
        if batch is None:
            return
        for position, result in stream_drafts(batch):
            _send(conn, position, result)


def _exit_with_owner(owner: int) -> None:
    """Stop mid-article when the process that asked for it is gone (killed): an orphan would
    finish its article with no one left to enforce the budget. The forkserver outlives the
    owner while any worker runs, so the worker watches the owner itself."""
    while _running(owner):
        time.sleep(1.0)
    os._exit(1)


def _running(pid: int) -> bool:
    """Is the process alive (on Linux, and not a zombie awaiting its reaper)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def _send(conn: Connection, position: int, result: Result) -> None:
    """Send one answer; an error that cannot be pickled goes as its type and message."""
    try:
        conn.send((position, result))
    except Exception:  # noqa: BLE001 - pickling failed before anything was written
        conn.send((position, RuntimeError(f"{type(result).__name__}: {result}")))


class Worker:
    """One extraction process and its pipe; killed and replaced on a timeout."""

    def __init__(self) -> None:
        self._process: Any = None
        self._conn: Connection | None = None
        self._ready = False

    @property
    def pid(self) -> int | None:
        """The worker process's id (None before it starts)."""
        return self._process.pid if self._process is not None else None

    @property
    def conn(self) -> Connection:
        assert self._conn is not None
        return self._conn

    def start(self) -> None:
        """Fork a worker (returns once it runs; ``ready`` waits for it to answer)."""
        context = _context()
        parent, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, os.getpid()), daemon=True,
                                        name="frontwire-extraction")
        self._process.start()
        child.close()
        self._conn, self._ready = parent, False

    @property
    def alive(self) -> bool:
        """Is the worker process running (not killed, not exited)?"""
        return self._process is not None and self._process.is_alive()

    def ready(self) -> None:
        """Wait for the worker's first word: it is warm, or it says why it could not load.
        A worker found dead (killed while idle) is replaced first."""
        if self._process is not None and not self.alive:
            self.kill()
        if self._process is None:
            self.start()
        if self._ready:
            return
        if not self.conn.poll(STARTUP_TIMEOUT):
            self.kill()
            raise WorkerLost(f"extraction worker did not start within {STARTUP_TIMEOUT:g} s")
        try:
            word, detail = self.conn.recv()
        except (EOFError, OSError):
            word, detail = "exited", f"exit code {self._process.exitcode}"
        if word != "ready":
            self.kill()
            raise WorkerLost(f"extraction worker could not load the pipeline: {detail}")
        self._ready = True

    def submit(self, articles: list[CleanText]) -> None:
        self.ready()
        try:
            self.conn.send(articles)
        except OSError:  # it died while idle (killed from outside): a new one takes the batch
            self.kill()
            self.ready()
            self.conn.send(articles)

    def receive(self) -> tuple[int, Result]:
        """The next answer; ``WorkerLost`` when the worker died instead."""
        try:
            answer: tuple[int, Result] = self.conn.recv()  # what _serve sends back
            return answer
        except (EOFError, OSError) as error:
            if self._process is not None:
                self._process.join(5)  # reaped, so its exit code is known
            code = self._process.exitcode if self._process is not None else None
            raise WorkerLost(f"extraction worker died (exit code {code})") from error

    def kill(self) -> None:
        """SIGKILL the worker and wait until it is gone (reaped)."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process, self._conn, self._ready = None, None, False

    def stop(self) -> None:
        """Ask the worker to exit; kill it if it does not within a few seconds."""
        if self._process is not None and self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
            self._process.join(5)
        self.kill()


class ExtractionPool:
    """``processes`` workers extracting articles with a per-article time budget."""

    def __init__(self, processes: int = 1, batch_size: int = BATCH_SIZE) -> None:
        self.workers = [Worker() for _ in range(max(1, processes))]
        self.batch_size = max(1, batch_size)

    def extract(self, articles: Sequence[CleanText], timeout: float) -> Iterator[Result]:
        """Each article's draft, or the exception that stopped it, in input order."""
        run = _Run(self, articles, timeout)
        try:
            yield from run.results()
        finally:
            run.abandon()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


class _Run:
    """One ``extract`` call: batches handed to idle workers, answers put back in order."""

    def __init__(self, pool: ExtractionPool, articles: Sequence[CleanText],
                 timeout: float) -> None:
        self.pool, self.articles, self.timeout = pool, articles, timeout
        size = self.batch_size(len(articles))
        indices = range(len(articles))
        self.pending = deque(list(indices[k:k + size]) for k in range(0, len(articles), size))
        self.busy: dict[Worker, tuple[list[int], list[int], float]] = {}  # batch, left, deadline
        self.done: dict[int, Result] = {}

    def batch_size(self, count: int) -> int:
        """Batches small enough to keep every worker busy."""
        workers = len(self.pool.workers)
        return max(1, min(self.pool.batch_size, -(-count // workers)))

    def results(self) -> Iterator[Result]:
        for index in range(len(self.articles)):
            while index not in self.done:
                self.dispatch()
                self.collect()
            yield self.done.pop(index)

    def dispatch(self) -> None:
        for worker in self.pool.workers:
            if worker not in self.busy and self.pending:
                batch = self.pending.popleft()
                worker.submit([self.articles[i] for i in batch])
                self.busy[worker] = (batch, list(batch), time.monotonic() + self.timeout)

    def collect(self) -> None:
        """Wait for the next answer or deadline; take answers, replace late or lost workers."""
        # Any key: wait() hands back the connections it was given, typed as all it accepts
        by_conn: dict[Any, Worker] = {worker.conn: worker for worker in self.busy}
        nearest = min(deadline for _, _, deadline in self.busy.values())
        for conn in wait(list(by_conn), timeout=max(0.0, nearest - time.monotonic())):
            worker = by_conn[conn]
            try:
                position, result = worker.receive()
            except WorkerLost as error:
                self.lose(worker, error)
                continue
            batch, left, _ = self.busy[worker]
            self.done[batch[position]] = result
            left.remove(batch[position])
            if left:
                self.busy[worker] = (batch, left, time.monotonic() + self.timeout)
            else:
                del self.busy[worker]
        for worker, (_, _, deadline) in list(self.busy.items()):
            if time.monotonic() >= deadline:
                self.lose(worker, ExtractionTimeout(self.timeout))

    def lose(self, worker: Worker, error: Exception) -> None:
        """Kill a late or dead worker and start its replacement; the article it was on fails
        when it was alone, else the batch's unfinished articles are retried one by one."""
        batch, left, _ = self.busy.pop(worker)
        worker.kill()
        worker.start()
        if len(batch) == 1:
            self.done[left[0]] = error
            return
        for index in reversed(left):
            self.pending.appendleft([index])

    def abandon(self) -> None:
        """A caller that stops early leaves workers mid-batch: replace them (their answers
        would otherwise reach the next run)."""
        for worker in list(self.busy):
            worker.kill()
            worker.start()
        self.busy.clear()


_shared: ExtractionPool | None = None
_shared_lock = threading.Lock()


def shared_pool() -> ExtractionPool:
    """This process's single extraction worker, for one article at a time (POST, CLI)."""
    global _shared
    if _shared is None:
        _shared = ExtractionPool(processes=1)
    return _shared


def extract_one(article: CleanText, timeout: float) -> ArticleDraft:
    """The draft of one read article within ``timeout`` seconds, or the error that stopped it
    (``ExtractionTimeout`` past the budget). Callers take turns on the one worker."""
    with _shared_lock:
        (result,) = shared_pool().extract([article], timeout)
    if isinstance(result, Exception):
        raise result
    return result


def extract_many(articles: Iterable[CleanText], timeout: float, *, processes: int = 1,
                 batch_size: int = BATCH_SIZE) -> Iterator[Result]:
    """Drafts (or per-article errors) in input order from ``processes`` workers of their own."""
    pool = ExtractionPool(processes, batch_size)
    try:
        chunk = iter(articles)
        while batch := list(itertools.islice(chunk, 256)):
            yield from pool.extract(batch, timeout)
    finally:
        pool.close()


def extract_parallel(articles: Iterable[CleanText], *, processes: int = 1,
                     batch_size: int = BATCH_SIZE,
                     timeout: float | None = None) -> Iterator[Result]:
    """Drafts (or per-article errors) in input order, from ``processes`` worker processes.

    Parsing and extraction are CPU-bound Python, so threads would share one core; worker
    processes scale with the cores, and a worker past the per-article time budget
    (``timeout``, default FRONTWIRE_EXTRACTION_TIMEOUT) is killed.
    """
    budget = timeout if timeout is not None else get_settings().extraction_timeout
    yield from extract_many(articles, budget, processes=processes, batch_size=batch_size)


def warm_up() -> None:
    """Start this process's worker and wait until it is warm (server start-up)."""
    with _shared_lock:
        shared_pool().workers[0].ready()


def shutdown() -> None:
    """Stop this process's worker (server shutdown)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None
