"""The build, stage by stage: load → validate → render → write. Read this module first."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .build.incremental import Increment, Taken
from .build.parallel import FastReader, Rendered, Workers
from .build.planner import Plan, full_plan
from .build.state import HISTORY_CACHE, forget_history, forget_state, sweep_cache
from .build.write import (
    OutputFailed,
    StagedWriter,
    WriteReport,
    check_output_folder,
    describe_os_error,
    discard,
    empty_folder,
    mark_output_folder,
    remove_outputs,
    remove_staged_leftovers,
    remove_stale,
    signals_deferred,
)
from .content.gitlog import HistoryWalk, head_commit
from .content.load import LATEST_EXPIRY
from .content.project import Project
from .content.reading import LoadContext
from .content.validate import load_catalog, start_history
from .errors import BuildFailed, SourceError
from .images.image_cache import FOLDER as IMAGES_FOLDER
from .images.image_cache import ImageCache
from .model import Catalog, SourceCommit
from .openbadges.signing import KeyProblem
from .render.ob3_build import (
    SITE_YAML,
    Signer,
    check_signing,
    load_signer,
    save_signatures,
    status_positions,
)
from .render.outputs import assertion_outputs, catalog_outputs, ledger_outputs
from .render.pages import THEME, Renderer, TemplateProblem
from .render.template_cache import user_cache_folder
from .timing import Timings
from .urls import Urls


@dataclass
class BuildReport:
    """What a build did, for the command line."""

    catalog: Catalog
    outputs: int
    write: WriteReport | None
    seconds: float
    warnings: list[SourceError] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)  # seconds per stage, summed over workers
    rendered: int = 0  # assertions whose files were rendered (all, or only the changed ones)
    workers: int = 1  # processes that rendered them
    full_reason: str = ""  # an incremental build that rendered everything: why


def source_commit(project: Project) -> SourceCommit | None:
    """The HEAD commit the site is built from, or None outside git."""
    head = head_commit(project.root)
    return SourceCommit(*head) if head else None


def reference_time(
    project: Project,
    environ: dict[str, str],
    wall_clock: datetime.datetime,
    commit: SourceCommit | str | None = "HEAD",
) -> datetime.datetime:
    """The build's 'now': SOURCE_DATE_EPOCH, else the commit's time, else the wall clock.

    Pinning it to the commit makes the same commit build the same bytes on any day. Pass the
    `commit` the build will record (from `source_commit`) to ask git once; "HEAD" asks here.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        if int(epoch) > LATEST_EXPIRY.timestamp():
            raise BuildFailed(
                [
                    SourceError(
                        "SOURCE_DATE_EPOCH",
                        0,
                        f"expected seconds since 1970 up to {LATEST_EXPIRY.date()}, "
                        f"found a number of {len(epoch)} digits",
                    )
                ]
            )
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    if commit == "HEAD":
        commit = source_commit(project)
    return commit.time if commit else wall_clock.astimezone(datetime.timezone.utc)


@contextlib.contextmanager
def _unfreezing() -> Iterator[None]:
    """Hand what a build froze back to the cycle collector when it ends: `parallel` and
    `incremental` freeze what lives as long as the build (the catalog, the state, what the
    workers sent back), so that the collector does not scan it again and again."""
    try:
        yield
    finally:
        gc.unfreeze()


@_unfreezing()
def build(
    project: Project,
    output: Path | None,
    now: datetime.datetime,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    jobs: int = 1,
    incremental: bool = False,
    clean: bool = False,
    progress: Callable[[int, int], None] | None = None,
    commit: SourceCommit | str | None = "HEAD",
    taken: Taken | None = None,
) -> BuildReport:
    """Build the site into `output` (None: check only, write nothing). Raises BuildFailed,
    OutputFailed (the output could not be written: the previous site is left as it was).

    `jobs` processes share the work of a large site (`parallel`); with `incremental`, the last
    build's state is reused and kept (`incremental`), so only what changed is read and rendered.
    `clean`: read nothing of .badgepress-cache/ (the state, git's walk, pictures, signatures,
    compiled templates); everything is done again, and kept for the next build.
    `commit`: the commit recorded in build.json and the footer; "HEAD" asks git.
    `taken`: what `incremental.up_to_date` took just before, reused instead of taken again.
    Callers that write (`build`, `serve`) hold the site's lock (`buildlock`).
    """
    started = time.perf_counter()
    environ = os.environ if environ is None else environ
    timings = Timings()
    # What earlier builds kept for this one: the state, git's walk, drawn pictures.
    kept = _Kept.open(project, output, environ, base_url, incremental, clean, taken)

    # Load and validate: every problem at once, nothing written.
    warnings: list[SourceError] = []
    context = kept.load_context(jobs, timings)
    catalog = load_catalog(project, now, base_url=base_url, warnings=warnings, context=context)
    commit = source_commit(project) if commit == "HEAD" else commit
    catalog = dataclasses.replace(catalog, commit=commit)
    urls = Urls(catalog.config.base_url)
    # Open Badges 3.0: the signing key, and each badge's place in the status list.
    signer = _signer(project, catalog, urls, output, environ, cached=not clean)
    positions = status_positions(catalog) if signer is not None else {}
    # Plan: every assertion, or only those whose files (or status, as of `now`) changed.
    work = kept.plan(catalog, now, commit, positions)

    # Render (assertions in worker processes) and write: staged, then renamed into place.
    with kept.writing():
        cache_dir = user_cache_folder() if incremental and not clean else None
        renderer = Renderer(catalog, urls, project.templates_dir, cache_dir=cache_dir)
        site = _Site(catalog, urls, renderer, signer, positions)
        done = _render_and_write(site, work, kept, jobs, timings, progress)

    # Keep what the next build reuses.
    kept.save(work, done, signer, warnings)
    return _report(catalog, work, done, warnings, timings, started)


def _report(catalog, work: Plan, done: _Done, warnings, timings, started: float) -> BuildReport:
    seconds = time.perf_counter() - started
    rendered, workers = len(work.render), done.rendered.workers
    return BuildReport(
        catalog,
        done.outputs,
        done.report,
        seconds,
        warnings,
        timings,
        rendered,
        workers,
        work.reason,
    )


NOT_DATED = "no git commit or SOURCE_DATE_EPOCH to date it: every build is a full one"


@dataclass
class _Writing:
    """How far writing the output got (for the message when it fails)."""

    committing: bool = False  # staged files are being renamed into place


@dataclass
class _Kept:
    """What builds keep for one another, from opening (before anything is read) to saving:
    the output folder, git's walk of assertions/, the incremental state, drawn pictures."""

    project: Project
    output: Path | None
    incremental: bool
    new_folder: bool  # the output folder was empty (or missing)
    walk: HistoryWalk | None
    increment: Increment | None
    images: ImageCache
    how_far: _Writing = field(default_factory=_Writing)

    @classmethod
    def open(
        cls,
        project: Project,
        output: Path | None,
        environ: Mapping[str, str],
        base_url: str | None,
        incremental: bool,
        clean: bool,
        taken: Taken | None,
    ) -> _Kept:
        root, writes = project.root, output is not None
        if writes:
            check_output_folder(output)
            if clean:
                forget_state(root, output)
                forget_history(root)
            if incremental:
                sweep_cache(root)  # files of older versions, or left by a killed build
        # git walks the history while the inputs are fingerprinted (kept for the next build).
        walk = start_history(project, root / HISTORY_CACHE if incremental and writes else None)
        new_folder = writes and (not output.is_dir() or not any(output.iterdir()))
        # What the last build left: the inputs' fingerprint is taken before anything is read.
        increment = (
            Increment.begin(root, output, environ, base_url, taken)
            if incremental and writes
            else None
        )
        # Drawn badges and cards come back from the last build when nothing that draws them
        # changed.
        images = ImageCache(root / IMAGES_FOLDER, writable=writes, readable=not clean)
        return cls(project, output, incremental, new_folder, walk, increment, images)

    def load_context(self, jobs: int, timings: Timings) -> LoadContext:
        """The loader's help: `jobs` processes read assertion files; what was kept is reused."""
        increment = self.increment
        return LoadContext(
            FastReader(jobs, increment.memo if increment else None, timings),
            history=self.walk,
            drawn=self.images,
            checked=increment.images if increment else None,
        )

    def plan(self, catalog: Catalog, now, commit, positions: dict[str, int]) -> Plan:
        """What this build renders: all, or (incremental) only what changed since the last."""
        if self.increment:
            return self.increment.plan(catalog, now, commit, self.project.templates_dir, positions)
        return full_plan(catalog.assertions, NOT_DATED if self.incremental else "")

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """While the output changes: a failure or an interruption leaves the previous site (or
        an empty folder), and the state says nothing it cannot vouch for."""
        output, increment, new_folder = self.output, self.increment, self.new_folder
        if output is not None and new_folder:
            # Marked first: a build killed midway leaves a folder the next one recognises as
            # its own (and completes), with no state that could vouch for its files.
            forget_state(self.project.root, output)
            mark_output_folder(output)
        if increment:
            increment.begin_writing()  # until it ends, the next build cannot trust the state
        try:
            yield
        except TemplateProblem as problem:
            if output is not None and new_folder:  # it was empty: leave it so
                empty_folder(output)
            if increment:
                increment.done_writing()  # nothing was changed: the state still holds
            where = _template_name(self.project, problem.name)
            raise BuildFailed([SourceError(where, problem.line, problem.message)]) from None
        except BaseException as problem:
            # Interrupted (Ctrl-C, SIGTERM) or failed (a full disk, a read-only folder) while
            # workers wrote: remove what they staged, and make the next build a full one (the
            # folder may hold files the state does not know).
            if output is not None:
                remove_staged_leftovers(output)
                if new_folder:  # it was empty: leave it so, without the half-written site
                    empty_folder(output)
            if increment:
                increment.forget()
            if output is not None and isinstance(problem, OSError):
                message = _write_failure(problem, output, new_folder, self.how_far)
                raise OutputFailed(message) from None
            raise

    def save(self, work: Plan, done: _Done, signer: Signer | None, warnings: list) -> None:
        """Keep what the next build reuses: signatures, pictures, the state."""
        if signer is not None:
            save_signatures(signer, self.project.root, prune=work.full)
        if work.full and self.output is not None:
            self.images.prune()  # this build asked for every picture the site has
        if self.increment:
            problems = [str(w) for w in warnings]
            self.increment.finish(
                work, done.rendered, done.records, done.catalog_files, problems, done.readings
            )
            self.increment.done_writing()


@dataclass(frozen=True)
class _Site:
    """What every output is rendered from."""

    catalog: Catalog
    urls: Urls
    renderer: Renderer
    signer: Signer | None
    positions: dict[str, int]  # Open Badges 3.0: each badge's place in the status list


@dataclass
class _Done:
    """What rendering and writing did."""

    rendered: Rendered  # the assertions' files
    catalog_files: dict[str, bytes]  # rendered again this time (all, or none)
    readings: dict[int, bytes]  # the state's encoded readings, for `Increment.finish`
    report: WriteReport | None  # None: nothing written
    records: dict  # path → its output record
    outputs: int


def _render_and_write(
    site: _Site,
    work: Plan,
    kept: _Kept,
    jobs: int,
    timings: Timings,
    progress: Callable[[int, int], None] | None,
) -> _Done:
    catalog, urls, renderer, output = site.catalog, site.urls, site.renderer, kept.output
    with timings.stage("render"):
        files = ledger_outputs(catalog, urls, site.signer, site.positions)

    def catalog_pages_and_state() -> tuple[dict[str, bytes], dict[int, bytes]]:
        """This process's share, while the workers render the assertions' files."""
        with timings.stage("render"):
            rendered_again = work.full or work.renders_catalog
            pages = catalog_outputs(catalog, urls, renderer, kept.images) if rendered_again else {}
        return pages, kept.increment.encoded_readings() if kept.increment else {}

    with Workers(jobs) as workers:
        rendered, (catalog_files, readings) = workers.render(
            work.render,
            partial(assertion_outputs, catalog, urls, renderer, site.signer, site.positions),
            output,
            work.known,
            (lambda done: progress(done, len(work.render))) if progress else lambda done: None,
            fresh=kept.new_folder,
            keep_state=kept.increment is not None and work.full,
            meanwhile=catalog_pages_and_state,
            signatures=site.signer.cache if site.signer is not None else None,
        )
        files.update(catalog_files)
        timings.add(rendered.timings)
        report, records = (
            _write(output, files, rendered, work, workers, timings, kept.new_folder, kept.how_far)
            if output is not None
            else (None, {})
        )
    outputs = len(files) + rendered.count + work.kept_files
    return _Done(rendered, catalog_files, readings, report, records, outputs)


def _write_failure(problem: OSError, output: Path, new_folder: bool, writing: _Writing) -> str:
    what = describe_os_error(problem, output)
    if writing.committing:
        return f"{what}; the site in {output} may be partly updated: build again once this is fixed"
    if new_folder:
        return f"{what}; {output} was left empty"
    return f"{what}; the previous site in {output} is unchanged"


def _write(
    output, site, rendered, work, workers, timings, new_folder, writing: _Writing
) -> tuple[WriteReport, dict]:
    """Stage the site-wide files, rename everything into place, remove what no longer belongs."""
    writer = StagedWriter(output, work.known, fresh=new_folder)
    with timings.stage("write"):
        try:
            for path in sorted(site):
                writer.put(path, site[path])
        except BaseException:
            discard(rendered.staged + writer.staged)
            raise
        # From here the folder changes: a signal that stops the build waits until it is whole.
        writing.committing = True
        with signals_deferred():
            records, removed = _commit(output, rendered, work, workers, writer, new_folder)
    written = rendered.written + writer.written
    unchanged = rendered.unchanged + writer.unchanged + work.kept_files
    return WriteReport(written, unchanged, removed), records


def _commit(output, rendered, work, workers, writer, new_folder) -> tuple[dict, int]:
    """Rename the staged files into place and remove stale ones: (the records, how many)."""
    workers.commit(rendered.staged + writer.staged)
    records = {**work.kept_records, **rendered.records, **writer.records}
    if new_folder:  # everything in it was just written: nothing can be stale
        mark_output_folder(output)
        removed = 0
    elif work.full:
        removed = remove_stale(output, set(records) | rendered.output_paths())
    else:
        mark_output_folder(output)
        removed = remove_outputs(output, set(work.known) - set(records))
    return records, removed


def _signer(
    project: Project,
    catalog: Catalog,
    urls: Urls,
    output: Path | None,
    environ: Mapping[str, str],
    *,
    cached: bool = True,
) -> Signer | None:
    """Open Badges 3.0: checked always, the key loaded only when writing a site. A site without
    `signing:` has chosen Open Badges 2.0 only: nothing to say about it."""
    if catalog.config.signing is None:
        return None
    errors = check_signing(catalog, urls)
    if errors:
        raise BuildFailed(errors)
    if output is None:
        return None
    try:
        return load_signer(catalog, environ, project.root, cached=cached)
    except KeyProblem as problem:
        raise BuildFailed([SourceError(SITE_YAML, 0, str(problem))]) from None


def _template_name(project: Project, name: str) -> str:
    path = Path(name)
    for base, label in (
        (project.templates_dir, "templates"),
        (THEME / "templates", "default theme"),
    ):
        try:
            relative = path.resolve().relative_to(base.resolve())
            return (
                f"{label}/{relative.as_posix()}"
                if label == "templates"
                else f"({label}) {relative.as_posix()}"
            )
        except (ValueError, OSError):
            continue
    return os.fspath(name)
