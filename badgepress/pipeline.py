"""The build, stage by stage: load → validate → render → write. Read this module first."""

from __future__ import annotations

import dataclasses
import datetime
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildFailed, SourceError
from .gitlog import head_commit
from .model import Catalog, SourceCommit
from .ob3_build import OFF_MESSAGE, SITE_YAML, Signer, check_signing, load_signer, save_signatures
from .outputs import render_outputs
from .project import Project
from .render import THEME, TemplateProblem
from .signing import KeyProblem
from .urls import Urls
from .validate import load_catalog
from .write import WriteReport, check_output_folder, write_site


@dataclass
class BuildReport:
    """What a build did, for the command line."""

    catalog: Catalog
    outputs: int
    write: WriteReport | None
    seconds: float
    warnings: list[SourceError] = field(default_factory=list)


def reference_time(
    project: Project, environ: dict[str, str], wall_clock: datetime.datetime
) -> datetime.datetime:
    """The build's 'now': SOURCE_DATE_EPOCH, else the HEAD commit's time, else the wall clock.

    Pinning it to the commit makes the same commit build the same bytes on any day.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    head = head_commit(project.root)
    return head[1] if head else wall_clock.astimezone(datetime.timezone.utc)


def build(
    project: Project,
    output: Path | None,
    now: datetime.datetime,
    *,
    base_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    commit: SourceCommit | str | None = "HEAD",
) -> BuildReport:
    """Build the site into `output` (None: check only, write nothing). Raises BuildFailed.

    `commit`: the commit recorded in build.json and the footer; "HEAD" asks git.
    """
    started = time.perf_counter()
    if output is not None:
        check_output_folder(output)
    warnings: list[SourceError] = []
    catalog = load_catalog(project, now, base_url=base_url, warnings=warnings)
    if commit == "HEAD":
        head = head_commit(project.root)
        commit = SourceCommit(*head) if head else None
    catalog = dataclasses.replace(catalog, commit=commit)
    urls = Urls(catalog.config.base_url)
    signer = _signer(
        project, catalog, urls, output, os.environ if environ is None else environ, warnings
    )
    try:
        outputs = render_outputs(catalog, urls, project.templates_dir, signer)
    except TemplateProblem as problem:
        raise BuildFailed(
            [SourceError(_template_name(project, problem.name), problem.line, problem.message)]
        ) from None
    report = write_site(outputs, output) if output is not None else None
    if signer is not None:
        save_signatures(signer, project.root)
    return BuildReport(catalog, len(outputs), report, time.perf_counter() - started, warnings)


def _signer(
    project: Project,
    catalog: Catalog,
    urls: Urls,
    output: Path | None,
    environ: Mapping[str, str],
    warnings: list[SourceError],
) -> Signer | None:
    """Open Badges 3.0: checked always, the key loaded only when writing a site."""
    if catalog.config.signing is None:
        warnings.append(SourceError(SITE_YAML, 0, OFF_MESSAGE))
        return None
    errors = check_signing(catalog, urls)
    if errors:
        raise BuildFailed(errors)
    if output is None:
        return None
    try:
        return load_signer(catalog, environ, project.root)
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
