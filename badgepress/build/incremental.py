"""Incremental builds: what the last build read and wrote, so the next one redoes only what changed.

The state of a build into one output folder lives in the site repository, in
`.badgepress-cache/builds/<key>.print` and `<key>.state/` (gitignored, never in site/: it holds
hashes of unpublished inputs and is not for publishing). The *fingerprint* (`.print`, JSON:
read by every build, no-op or not, as fast as marshal was) is the stat
(mtime, size) of every input file plus everything else the bytes depend on: badgepress's own
code and theme, the libraries that render, SOURCE_DATE_EPOCH, --base-url, the signing key, and
the git commit (the build's reference time and issue dates come from git). An unchanged
fingerprint means nothing to do; the CLI checks it before importing the pipeline, so a no-op
build never imports Jinja2 or YAML. The state (`<key>.state/`, split by assertion id into
buckets so that one changed badge rewrites one small file) holds the last readings of assertion
files, which outputs each one produced and a record (digest, size, mtime) of every output, as
MessagePack checked against fixed types when read (`state_codec`). A bucket's file is one or
more parts, merged when read: in a full build each worker encodes its share of every bucket,
which the parent writes as it is (the workers read files in bucket order, so a bucket of
readings is seldom split). Every file is sealed (`cachefile`): a damaged or foreign one is
ignored, and the build is then a full one. Nothing read from the state can run code.

The *context* is what an assertion's files (hosted JSON, baked image, earner page) depend on
besides the assertion and its credential: the fingerprint without the assertion files, the
commit, SOURCE_DATE_EPOCH, the content only the catalog's pages show (credentials, stacks,
translations, pages) and the templates an earner page does not use (`template_deps`). While it
is unchanged, only the assertions whose output may differ are rendered again: those whose file
changed, new ones, withdrawn ones that differ from last time, those whose status (valid or
expired) differs between the last build's reference time and this one's (the commit's time, or
SOURCE_DATE_EPOCH), and those whose credential changed (a digest of each credential's model is
kept). The catalog's files are rendered again when a credential or anything else they are made
from changed (the *catalog context*). The site-wide files of the ledger (revocations, the OB
3.0 status list, build.json) are rendered every time; they are cheap and rewritten only if their
bytes change. Any other change renders every output, and the writer still skips the files whose
bytes are the same. When in doubt — no git commit to pin the reference time, a state file from
another version, a missing output marker — the build is a full one.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .digests import context_of, credential_digests, digest, earner_context_of
from .inputs import RACY_NS, fingerprint, has_racy, signing_change, with_signing
from .planner import Plan, PlanInputs, plan
from .state import (
    BUCKETS,
    HEAD,
    NOT_YET_USED,
    OUTPUT_MARKER,
    BuildState,
    KeptTemplateUse,
    bucket_of,
    changed_readings,
    encoded_outputs,
    encoded_readings,
    forget_state,
    load_state,
    read_saved,
    save_state,
    state_files,
    writing_marker,
)

if TYPE_CHECKING:
    from ..images.supplied import CheckedImages
    from ..model import Assertion
    from ..render.template_deps import TemplateUse
    from .memo import AssertionMemo


@dataclass(frozen=True)
class Taken:
    """What `up_to_date` read and took to decide a build is needed, for that build to reuse (in
    the same process, milliseconds later; still before any input is read)."""

    where: tuple[str, str, str | None]  # (root, output, base_url) it was taken for
    stamp: tuple  # the saved fingerprint file's stamp: another build may save between
    saved: dict  # the saved document
    inputs: dict  # the fingerprint taken, with the saved signing settings


class Freshness(NamedTuple):
    """`up_to_date`'s answer."""

    fresh: bool  # nothing the output depends on changed
    warnings: list[str]  # the last build's warnings
    taken: Taken | None = None  # (not fresh) what the build that follows can reuse


def _stamp(path: Path) -> tuple:
    stat = os.stat(path)
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


def _unchanged(path: Path, stamp: tuple) -> bool:
    try:
        return _stamp(path) == stamp
    except OSError:
        return False


def up_to_date(root: Path, output: Path, environ, base_url: str | None) -> Freshness:
    """Whether nothing the output depends on changed since the last build (the CLI asks before
    it imports the pipeline); when something did, what the build can reuse (`Taken`)."""
    saved_path, state_path = state_files(root, output)
    try:
        stamp = _stamp(saved_path)
        saved = read_saved(saved_path)
        if (
            not (output / OUTPUT_MARKER).is_file()
            or not (state_path / HEAD).is_file()
            or writing_marker(root, output).exists()
        ):
            return Freshness(False, [])
        current = fingerprint(root, output, environ, base_url, saved["print"]["signing"])
        fresh = current is not None and current == saved["print"] and not has_racy(current)
        taken = None
        if not fresh and current is not None:
            taken = Taken(_where(root, output, base_url), stamp, saved, current)
        return Freshness(fresh, list(saved["warnings"]), taken)
    except (OSError, ValueError, KeyError, TypeError):
        return Freshness(False, [])


def _where(root: Path, output: Path, base_url: str | None) -> tuple[str, str, str | None]:
    return os.fspath(root), os.fspath(output), base_url


@dataclass
class Increment:
    """One incremental build's view of the last build: the inputs now, the saved state."""

    root: Path
    output: Path
    environ: Mapping[str, str]
    inputs: dict  # the fingerprint of this build's inputs (`inputs.fingerprint`)
    state: BuildState | None
    memo: AssertionMemo  # given to the loader (parallel.FastReader)
    images: CheckedImages  # given to the loader
    context: str = ""
    now: datetime.datetime | None = None  # this build's reference time
    withdrawn: dict[str, Assertion] = field(default_factory=dict)  # made from deleted files
    credentials: dict[str, str] = field(default_factory=dict)  # slug → credential_digests
    catalog_context: str = ""  # `context_of` this build's inputs (`context`: earner_context_of)
    positions: dict[str, int] = field(default_factory=dict)  # id → place in the 3.0 status list
    template_use: KeptTemplateUse = NOT_YET_USED
    # (the templates earner pages use, or None: all; the content files they do not show)
    _earner_inputs: tuple[dict | None, frozenset[str]] = (None, frozenset())

    @classmethod
    def begin(
        cls, root: Path, output: Path, environ, base_url: str | None, taken: Taken | None = None
    ) -> Increment | None:
        """Fingerprint the inputs (before reading them; `taken`: what `up_to_date` just took)
        and load the last state; None when the build cannot be incremental (no git commit, no
        SOURCE_DATE_EPOCH)."""
        from ..images.supplied import CheckedImages
        from .memo import AssertionMemo

        racy_after = time.time_ns() - RACY_NS  # files this recent are read again next time
        saved_path, _folder = state_files(root, output)
        if taken is not None and (
            taken.where != _where(root, output, base_url) or not _unchanged(saved_path, taken.stamp)
        ):
            taken = None  # another build saved or dropped its state since: look again
        if taken is not None:
            saved, inputs = taken.saved, taken.inputs
        else:
            try:
                saved = read_saved(saved_path)
                signing = saved["print"]["signing"]
            except (OSError, ValueError, KeyError, TypeError):
                saved, signing = None, None
            inputs = fingerprint(root, output, environ, base_url, signing)
        if inputs is None:
            return None
        state = None
        if isinstance(saved, dict) and isinstance(saved.get("print"), dict):
            state = load_state(root, output, saved["print"])
        memo = state.memo if state is not None else AssertionMemo()
        memo.racy_after = racy_after
        memo.listing = inputs["assertions"]  # the loader needs no second look at the folder
        memo.problems = [tuple(problem) for problem in inputs["assertion_problems"]]
        # Checks of images made by the same code (badgepress, Pillow) still hold.
        same_code = state is not None and state.print.get("code") == inputs["code"]
        images = CheckedImages(state.images if same_code else None)
        return cls(root, output, environ, inputs, state, memo, images)

    def plan(self, catalog, now, commit, templates_dir: Path, positions: dict) -> Plan:
        """What to render, now that the catalog (and the key its site.yaml names) is known;
        `now`: the reference time, `commit`: model.SourceCommit or None, `positions`: each
        assertion's place in the 3.0 status list (empty without signing)."""
        signing = catalog.config.signing
        names = {"key_env": signing.key_env, "key_file": signing.key_file} if signing else None
        self.inputs = with_signing(self.inputs, self.root, self.environ, names)
        use = self._template_use(templates_dir)
        build = f"{now.isoformat()} {commit.sha if commit else '-'}" if use.shows_the_build else ""
        self.catalog_context = context_of(self.inputs, build)
        self.context = self._earner_context(catalog, build, use)
        self.credentials = credential_digests(catalog.published_credentials, catalog.translations)
        self.now = now
        self.positions = positions
        # Assertions not read from a file were made from deleted ones (git history); each file
        # gives one assertion (or the build fails), so there are some only if they outnumber.
        self.withdrawn = {}
        if len(catalog.assertions) > len(self.memo.files):
            files = {entry.file.id for entry in self.memo.files.values()}
            self.withdrawn = {a.id: a for a in catalog.assertions if a.id not in files}
        inputs = PlanInputs(
            context=self.context,
            catalog_context=self.catalog_context,
            assertions=catalog.assertions,
            fresh=self.memo.fresh,
            withdrawn=self.withdrawn,
            credentials=self.credentials,
            positions=positions,
            now=now,
            shows_other_badges=use.shows_other_badges,
        )
        return plan(self.state, inputs, lambda: self._what_changed(self.state.print, build != ""))

    def _what_changed(self, last: dict, shown: bool) -> str:
        """Which input told this build's context from the last one's (the first found)."""
        now = self.inputs
        if last.get("code") != now.get("code"):
            return "badgepress, its theme or a library it renders with changed"
        if last.get("base_url") != now.get("base_url"):
            return "the base URL changed"
        if (last.get("signing"), last.get("key")) != (now.get("signing"), now.get("key")):
            return signing_change(last.get("signing"), now.get("signing"))
        templates, left_out = self._earner_inputs
        for folder in ("templates", "locales", "content"):
            before, after = last.get(folder, {}), now.get(folder, {})
            changed = [
                rel
                for rel in sorted(before.keys() | after.keys())
                if before.get(rel) != after.get(rel)
                and rel not in left_out
                and (
                    folder != "templates"
                    or templates is None
                    or rel.removeprefix("templates/") in templates
                )
            ]
            if changed:
                more = f" and {len(changed) - 1} more" if len(changed) > 1 else ""
                last = before.get(changed[0])
                if isinstance(last, list) and last[:1] == [-1]:  # racy last time: see `_stats`
                    return f"{changed[0]}{more} may have changed (saved as the last build began)"
                return f"{changed[0]}{more} changed"
        if shown and (last.get("head"), last.get("source_date_epoch")) != (
            now.get("head"),
            now.get("source_date_epoch"),
        ):
            return "a new commit, which a site template shows"
        return "the navigation's pages changed"

    def _earner_context(self, catalog, build: str, use: TemplateUse) -> str:
        """`earner_context_of` this build, or `context_of` when an earner page may show any of
        the catalog (a template it uses reads `catalog`, or one it includes by a computed name)."""
        if use.reads_catalog or use.dynamic:
            self._earner_inputs = (None, frozenset())  # every template and content file counts
            return self.catalog_context
        stats = self.inputs["templates"]
        templates = {name: stats.get(f"templates/{name}", "unreadable") for name in use.site}
        templates.update({name: "theme" for name in use.missing})
        nav = [page for page in catalog.pages if page.nav]
        # The theme's base.html shows each one's title and link; a site's template may show more.
        shown = repr(nav if use.site_shows_nav else [(p.name, p.title) for p in nav])
        files = [
            *(c.source for c in catalog.published_credentials),
            *(c.image_source for c in catalog.published_credentials if c.image_source),
            *(s.source for s in catalog.stacks),
            *(t.source for t in catalog.translations),
            *(p.source for p in catalog.pages),
        ]
        self._earner_inputs = (templates, frozenset(files))
        return earner_context_of(self.inputs, build, files, templates, shown)

    def _template_use(self, templates_dir: Path) -> TemplateUse:
        """template_deps.template_use, or the last build's when no template or code changed
        (parsing them takes longer than rendering one earner page)."""
        key = digest([self.inputs["templates"], self.inputs["code"]])
        if self.state is not None and self.state.template_use.key == key:
            self.template_use = self.state.template_use
        else:
            from ..render.template_deps import template_use  # Jinja's parser: the build imported it

            self.template_use = KeptTemplateUse(key, template_use(templates_dir))
        return self.template_use.use

    def forget(self) -> None:
        """Make the next build a full one."""
        forget_state(self.root, self.output)

    def begin_writing(self) -> None:
        """Say that this build is about to change its output folder (`writing_marker`)."""
        marker = writing_marker(self.root, self.output)
        with contextlib.suppress(OSError):  # no cache folder to write: no state to trust either
            marker.parent.mkdir(parents=True, exist_ok=True)
            marker.touch()

    def done_writing(self) -> None:
        """Say that the output folder is whole again (and the state, if kept, describes it)."""
        with contextlib.suppress(FileNotFoundError):
            writing_marker(self.root, self.output).unlink()

    def encoded_readings(self) -> dict[int, list[bytes]]:
        """The buckets of readings to keep, encoded (the bulk of saving the state): they are
        final once the catalog is loaded, so this can run while the workers render. When every
        file was read again, the loader's shards have already encoded them (`memo.parts`)."""
        if self.memo.parts is not None:
            return {index: self.memo.parts.get(index, []) for index in range(BUCKETS)}
        readings = changed_readings(
            self.memo, self.state.readings if self.state is not None else None
        )
        return {index: [data] for index, data in encoded_readings(readings).items()}

    def finish(
        self,
        work: Plan,
        rendered,
        records: dict,
        catalog_paths,
        warnings: list[str],
        readings: dict[int, list[bytes]],
    ) -> None:
        """Save this build's state for the next one: what was `rendered` (parallel.Rendered:
        assertion id → output paths, or those already encoded by bucket), the `records` of the
        other files it wrote or kept, and the readings as `encoded_readings` gave them."""
        site_records = dict(records)
        if rendered.parts is not None:  # a full build: the shards encoded every bucket
            outputs = {index: rendered.parts.get(index, []) for index in range(BUCKETS)}
            ids = frozenset(assertion.id for assertion in work.render)
            unit_files, paths = rendered.count, frozenset(catalog_paths)
        else:  # `site_records` loses the records of the units' files to their buckets
            ids, unit_files, paths, outputs = self._output_buckets(
                work, rendered.units, site_records, catalog_paths
            )
        built = BuildState(
            self.inputs,
            self.context,
            self.memo,
            ids=ids,
            unit_files=unit_files,
            site_records=site_records,
            catalog_paths=paths,
            images=self.images.used,
            now=self.now,
            withdrawn=self.withdrawn,
            credentials=self.credentials,
            catalog_context=self.catalog_context,
            template_use=self.template_use,
            positions=self.positions,
        )
        from .state_codec import Unsaveable

        try:
            save_state(
                self.root, self.output, built, warnings, readings, outputs, self.state is None
            )
        except (OSError, Unsaveable):  # a read-only checkout, a full disk: the next build is full
            with contextlib.suppress(OSError):
                self.forget()

    def _output_buckets(self, work: Plan, units: dict, site_records: dict, catalog_paths):
        """(ids, unit files, catalog paths, encoded buckets that changed) of the outputs, the
        `units` rendered merged into the buckets read; their records move out of `site_records`."""
        state = self.state
        if work.full:
            buckets: dict[int, dict] = {i: {"units": {}, "records": {}} for i in range(BUCKETS)}
            ids = frozenset(units)
            paths = frozenset(catalog_paths)
        else:  # the buckets read, without what was rendered again or removed
            buckets = {
                index: {
                    "units": {
                        assertion_id: unit
                        for assertion_id, unit in state.outputs[index]["units"].items()
                        if assertion_id not in work.changed
                    },
                    "records": {},
                }
                for index in work.buckets
            }
            ids = (state.ids - work.changed) | units.keys()
            paths = frozenset(catalog_paths) if work.renders_catalog else work.catalog_paths
        for assertion_id, unit in units.items():
            buckets[bucket_of(assertion_id)]["units"][assertion_id] = unit
        unit_files = 0 if work.full else work.kept_files - len(work.catalog_paths)
        for bucket in buckets.values():
            for unit in bucket["units"].values():
                for path in unit:
                    bucket["records"][path] = site_records.pop(path)
        unit_files += sum(len(unit) for unit in units.values())
        if state is not None:  # unchanged buckets need not be written again
            for index in [i for i, bucket in buckets.items() if state.outputs.get(i) == bucket]:
                del buckets[index]
        outputs = {index: [data] for index, data in encoded_outputs(buckets).items()}
        return frozenset(ids), unit_files, paths, outputs
