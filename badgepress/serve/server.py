"""`badgepress serve`: build into a temporary folder, serve it on 127.0.0.1, rebuild on change.

The site is built with base_url set to the local address (so links, JSON ids and the verify
page work), into a folder of its own: the user's site/ is never touched, like `mkdocs serve`.
A failed build keeps the last good site served and shows its errors in the page.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import functools
import http.server
import os
import secrets
import shutil
import signal
import socket
import socketserver
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from watchdog.observers.polling import PollingObserver

from ..build.buildlock import SiteLocked, site_lock
from ..build.inputs import input_stats
from ..build.parallel import can_fork, default_jobs
from ..build.state import forget_state
from ..build.write import OutputFailed, UnsafeOutput
from ..content.project import Project
from ..errors import BuildFailed
from ..pipeline import build, reference_time, source_commit
from ..wording import catalog_summary, counted
from .buildprocess import BuildProcess, BuildProcessLost
from .livereload import (
    EVENTS_PATH,
    SCRIPT,
    SCRIPT_PATH,
    Status,
    StatusBoard,
    inject_script,
    placeholder_page,
)
from .watch import Debouncer, SourceWatcher, changes_between

KEEPALIVE_SECONDS = 15.0  # an SSE comment this often lets a stream notice a closed tab


class LiveReloadHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from the build folder; HTML gets the live-reload script as it is sent."""

    extensions_map = {  # noqa: RUF012 (the base class declares it as a plain class attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".js": "text/javascript",
        ".svg": "image/svg+xml",
        ".xml": "application/xml",
    }

    def __init__(self, *args, board: StatusBoard, **kwargs):
        self.board = board
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        path = _request_path(self.path)
        if path is None:
            return self._send(400, "text/plain; charset=utf-8", b"Bad request\n", body)
        if path == EVENTS_PATH and body:
            return self._stream_events()
        if path == SCRIPT_PATH:
            return self._send(200, "text/javascript; charset=utf-8", SCRIPT, body)
        # The status is read before the file: a build finishing in between makes the page
        # reload once more, never miss a reload.
        status = self.board.current()
        if not status.build:
            return self._send(503, "text/html; charset=utf-8", placeholder_page(status), body)
        local = Path(self.translate_path(self.path))  # '..' parts dropped: never above the site
        try:
            if local.is_dir():
                if not path.endswith("/"):
                    return super().do_GET() if body else super().do_HEAD()  # redirects to path/
                local = local / "index.html"
            if local.suffix == ".html" or not local.exists():
                return self._send_page(local, status, body)
        except OSError:  # a name too long for the file system: no such page
            return self._send_page(Path(self.directory, "404.html"), status, body, code=404)
        return super().do_GET() if body else super().do_HEAD()

    def _send_page(self, local: Path, status: Status, body: bool, code: int = 200) -> None:
        try:
            page = local.read_bytes()
        except OSError:
            code = 404  # like GitHub Pages: the site's own 404.html
            try:
                page = (Path(self.directory) / "404.html").read_bytes()
            except OSError:
                page = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        self._send(code, "text/html; charset=utf-8", inject_script(page, status.build), body)

    def _send(self, code: int, content_type: str, data: bytes, body: bool) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.close_connection = True
        status = self.board.current()
        self.wfile.write(b"retry: 500\n\n")
        self._send_event(status)
        while True:
            changed = self.board.wait_for_change(status, KEEPALIVE_SECONDS)
            if changed is None:
                return  # the server is stopping
            if changed == status:
                self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
            else:
                status = changed
                self._send_event(status)

    def _send_event(self, status: Status) -> None:
        self.wfile.write(f"data: {status.to_json()}\n\n".encode())
        self.wfile.flush()

    def end_headers(self) -> None:
        # Every response is fresh: a reload must show the new build, not a cached file.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # a line per request would bury the build messages


MAX_PATH = 4096  # characters of a request's path; the site's longest is a fraction of it


def _request_path(target: str) -> str | None:
    """The request's path, percent-encoded as sent, or None when it cannot name a file: a NUL
    or control character, percent-encoding that is not UTF-8, too long, or not a URL."""
    if len(target) > MAX_PATH:
        return None
    try:
        path = urlsplit(target).path
        decoded = unquote(path, errors="strict")
    except (ValueError, UnicodeDecodeError):  # '//[' (an unclosed IPv6 host), '%ff'
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in decoded):
        return None
    return path


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # open event streams must not keep the process alive

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a tab closed or reloaded mid-response: normal, not worth a traceback
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


def serve(
    project: Project,
    host: str = "127.0.0.1",
    port: int = 8000,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Build, serve and rebuild until Ctrl-C (exit 0); exit 1 when it cannot start."""
    out, err = out or sys.stdout, err or sys.stderr
    if not project.site_yaml.is_file():
        print(
            f"badgepress: error: {project.root}: no content/site.yaml here; run it in a site's "
            "folder, pass --source DIR, or make one with 'badgepress new DIR'",
            file=err,
        )
        return 1
    board = StatusBoard(secrets.token_hex(4))
    output = Path(tempfile.mkdtemp(prefix="badgepress-serve-"))
    try:
        server = _bind(host, port, board, output)
    except OSError as problem:
        shutil.rmtree(output, ignore_errors=True)
        print(f"badgepress: error: {_bind_problem(host, port, problem)}", file=err)
        return 1
    url = f"http://{_url_host(host)}:{server.server_address[1]}/"
    builder = _Builder(project, output, url, board, out, err)
    thread = threading.Thread(target=server.serve_forever, name="badgepress-http", daemon=True)
    watcher = debouncer = None
    in_main_thread = threading.current_thread() is threading.main_thread()
    # Ctrl-C and SIGTERM stop it alike. SIGINT gets a handler of its own too: a process
    # started with it ignored (a script's `badgepress serve &`) would otherwise keep ignoring
    # it, as Python leaves an ignored SIGINT ignored, and could only be killed.
    previous = (
        {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
        if in_main_thread
        else {}
    )
    try:
        # Forked before any other thread runs: a child keeps only the forking thread, and a
        # lock another thread held stays locked. Every build may then fork its workers.
        builder.start_process(server)
        before = input_stats(project.root)
        builder.rebuild([])
        debouncer = Debouncer(builder.rebuild)
        watcher = _start_watcher(project, debouncer, err)
        # Files saved while the first build ran, before anything watched, rebuild now.
        for change in changes_between(before, input_stats(project.root)):
            debouncer.poke(change)
        thread.start()
        print(f"serving {url} (built into {output}); press Ctrl-C to stop", file=out, flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("badgepress: stopped", file=out, flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if watcher is not None:
            watcher.stop()
        builder.stop()  # a build in progress is interrupted, its folder left to be removed
        if debouncer is not None:
            debouncer.stop(timeout=10)
        board.close()
        if thread.is_alive():
            server.shutdown()
        server.server_close()
        shutil.rmtree(output, ignore_errors=True)
        with contextlib.suppress(OSError):  # the state of builds into the folder just removed
            forget_state(project.root, output)


def _start_watcher(project: Project, debouncer: Debouncer, err: TextIO) -> SourceWatcher:
    watcher = SourceWatcher(project, debouncer)
    try:
        watcher.start()
    except OSError as problem:  # e.g. inotify's per-user watch limit on a busy machine
        print(
            f"warning: cannot watch files ({problem}); polling for changes every second", file=err
        )
        watcher = SourceWatcher(project, debouncer, PollingObserver)
        watcher.start()
    return watcher


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops as cleanly as Ctrl-C, whatever SIGINT's disposition


def _bind(host: str, port: int, board: StatusBoard, directory: Path) -> _Server:
    server_class = _Server6 if ":" in host else _Server
    handler = functools.partial(LiveReloadHandler, directory=str(directory), board=board)
    return server_class((host, port), handler)


def _bind_problem(host: str, port: int, problem: OSError) -> str:
    if problem.errno == errno.EADDRINUSE:
        return (
            f"port {port} on {host} is already in use (another `badgepress serve`?); "
            f"stop it or choose another port with --port {port + 1}"
        )
    if problem.errno == errno.EACCES:
        return f"not allowed to listen on port {port}; choose one above 1023 with --port"
    return f"cannot listen on {host}:{port}: {problem.strerror or problem}"


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"  # listening everywhere; this machine still answers here
    return f"[{host}]" if ":" in host else host


@dataclass
class _Outcome:
    """What one build has to say: lines for the terminal, and its errors if it failed."""

    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # printed after `err`, each once per serve
    errors: list[str] | None = None  # None: it succeeded


class _Builder:
    """Builds into the serve folder (in a process of its own: `buildprocess`), then publishes
    the outcome on the board and in the terminal."""

    def __init__(self, project, output, base_url, board, out, err):
        self.project = project
        self.output = output
        self.base_url = base_url
        self.board = board
        self.out = out
        self.err = err
        self.warned: set[str] = set()  # warnings printed so far
        # The first build runs in the main thread, later ones in the Debouncer's: never both.
        self._one_at_a_time = threading.Lock()
        self.process: BuildProcess | None = None  # None: builds run in this process
        self.stopped = False

    def start_process(self, server: socketserver.BaseServer) -> None:
        """From now on build in a forked process (call it while this process has one thread).
        Where processes cannot fork (Windows), every build runs in this process, in one worker,
        as `build` does there."""
        if can_fork():
            self.process = BuildProcess(self.run, not_ours=[server.socket])

    def stop(self) -> None:
        """Interrupt a build in progress; none runs after this."""
        self.stopped = True
        if self.process is not None:
            self.process.stop()

    def rebuild(self, changes: list[str], jobs: int | None = None) -> None:
        """Build now (in `jobs` processes, default one per core); on failure keep the last good
        site and publish the errors."""
        jobs = jobs or default_jobs()
        with self._one_at_a_time:
            if self.stopped:
                return
            outcome = self._outcome(changes, jobs)
            if not self.stopped:
                self._publish(outcome)

    def _outcome(self, changes: list[str], jobs: int) -> _Outcome:
        if self.process is None:
            return self.run(changes, jobs)
        try:
            return self.process.call(changes, jobs)
        except BuildProcessLost as lost:
            if self.stopped:
                return _Outcome()
            # Forking workers from here, with the server's threads running, could hang them.
            self.process = None
            outcome = self.run(changes, 1)
            outcome.err.insert(
                0,
                f"warning: {lost}; building in this process from now on, with one worker",
            )
            return outcome

    def run(self, changes: list[str], jobs: int) -> _Outcome:
        """One build; what it has to say (never raises: a bug is reported as an error)."""
        started = time.perf_counter()
        wall_clock = datetime.datetime.now(datetime.timezone.utc)
        outcome = _Outcome()
        try:
            # The site's cache is shared with `badgepress build`: one build at a time.
            with site_lock(self.project.root, outcome.err.append):
                commit = source_commit(self.project)
                now = reference_time(self.project, dict(os.environ), wall_clock, commit)
                report = build(
                    self.project,
                    self.output,
                    now,
                    base_url=self.base_url,
                    commit=commit,
                    jobs=jobs,
                    incremental=True,  # what did not change is not read or rendered again
                )
        except BuildFailed as failure:
            outcome.errors = [str(error) for error in failure.errors]
            return outcome
        except (UnsafeOutput, OutputFailed, SiteLocked) as problem:
            outcome.errors = [str(problem)]
            return outcome
        except Exception as problem:  # a bug, not the user's mistake: keep serving, say so
            outcome.err.append(traceback.format_exc().rstrip("\n"))
            outcome.errors = [f"internal error while building (please report it): {problem!r}"]
            return outcome
        outcome.warnings = [str(warning) for warning in report.warnings]
        seconds = time.perf_counter() - started
        catalog = report.catalog
        if changes:
            shown = ", ".join(changes[:3]) + (
                f" and {len(changes) - 3} more" if len(changes) > 3 else ""
            )
            total = len(catalog.assertions)
            written = report.write.written if report.write else 0
            outcome.out.append(
                f"rebuilt in {seconds:.2f}s after changes to {shown}: "
                f"{report.rendered} of {counted(total, 'badge')} rendered, "
                f"{counted(written, 'file')} written"
            )
        else:
            outcome.out.append(f"built in {seconds:.2f}s: {catalog_summary(catalog)}")
        return outcome

    def _publish(self, outcome: _Outcome) -> None:
        for line in outcome.err:
            print(line, file=self.err, flush=True)
        # Counted here, not where it builds: a build that falls back to this process
        # repeats none of the build process's warnings.
        for warning in outcome.warnings:
            if warning not in self.warned:
                self.warned.add(warning)
                print(f"warning: {warning}", file=self.err, flush=True)
        if outcome.errors is not None:
            self._failed(outcome.errors)
            return
        self.board.built()
        for line in outcome.out:
            print(line, file=self.out, flush=True)

    def _failed(self, errors: list[str]) -> None:
        for line in errors:
            print(line, file=self.err)
        count = len(errors)
        kept = (
            "still serving the last good site"
            if self.board.current().build
            else "nothing to serve yet"
        )
        print(
            f"badgepress: build failed, {counted(count, 'problem')}; {kept}",
            file=self.err,
            flush=True,
        )
        self.board.failed(errors)
