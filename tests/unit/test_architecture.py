"""The package's shape (README, "Development"): subpackages by concern, no import cycle
between them, shared modules at the top that import no subpackage, and the optimiser below
the stages. Imports are read from the source, function-level ones included."""

import ast
import itertools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "badgepress"
ENTRY = {"cli", "pipeline", "__main__"}  # the top modules that run the stages
SHARED = {"__init__", "model", "urls", "errors", "wording", "timing", "i18n"}
OPTIMISER = {
    "build.executor",
    "build.incremental",
    "build.inputs",
    "build.state",
    "build.digests",
    "build.planner",
    "build.parallel",
}
STAGES = ("content", "openbadges", "images", "render")

# Exceptions, each with its reason and meant to go: none left (issue 27).
KNOWN_CYCLES: dict[tuple[str, str], str] = {}
KNOWN_OPTIMISER_IMPORTS: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """module (relative to the package, e.g. 'content.load') → modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        package = module.rsplit(".", 1)[0] if "." in module else ""
        if path.name == "__init__.py":
            package = module.removesuffix(".__init__").removesuffix("__init__")
        found = graph.setdefault(module, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = [p for p in package.split(".") if p]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                if node.module:
                    found.add(target)
                else:
                    found.update(f"{target}.{a.name}".strip(".") for a in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("badgepress"):
                found.add(node.module.removeprefix("badgepress").strip("."))
    return graph


def _group(module: str) -> str:
    top = module.split(".")[0]
    return top if (PACKAGE / top).is_dir() else ("entry" if top in ENTRY else "shared")


def test_every_top_level_module_is_shared_or_an_entry_point():
    tops = {p.stem for p in PACKAGE.glob("*.py")}
    assert tops == SHARED | ENTRY, "a new top-level module: put it in the subpackage of its concern"


def test_shared_modules_import_no_subpackage_and_no_entry_point():
    wrong = {
        (module, target)
        for module, targets in _imports().items()
        if _group(module) == "shared"
        for target in targets
        if target and _group(target) != "shared"
    }
    assert wrong == set()


def test_no_import_cycle_between_subpackages_but_the_known_ones():
    edges = {
        (_group(module), _group(target))
        for module, targets in _imports().items()
        for target in targets
        if target
    }
    groups = {group for edge in edges for group in edge} - {"shared", "entry"}
    cycles = {
        (a, b)
        for a, b in itertools.combinations(sorted(groups), 2)
        if (a, b) in edges and (b, a) in edges
    }
    assert cycles == set(KNOWN_CYCLES), "update KNOWN_CYCLES only when one is removed"


def test_stages_never_import_the_optimiser_but_the_known_ones():
    found = {
        (module, target)
        for module, targets in _imports().items()
        if module.split(".")[0] in STAGES
        for target in targets
        if any(target == o or target.startswith(o + ".") for o in OPTIMISER)
    }
    assert found == KNOWN_OPTIMISER_IMPORTS


def test_the_build_spine_reads_on_one_screen():
    # Issue 27: `pipeline.build` names the stages in order; the work is behind named steps.
    tree = ast.parse((PACKAGE / "pipeline.py").read_text(encoding="utf-8"))
    (build,) = (node for node in tree.body if getattr(node, "name", "") == "build")
    assert build.end_lineno - build.lineno + 1 <= 60


def test_every_assertion_reader_keeps_the_signatures_of_the_interface_it_names():
    """The content stage calls its reader through `AssertionReader`; the build lends a faster
    one. A reader whose methods drift from the interface would fail only when called."""
    import inspect

    from badgepress.build.parallel import FastReader
    from badgepress.content.reading import AssertionReader, SerialReader

    for reader in (SerialReader, FastReader):
        assert AssertionReader in reader.__mro__
        for method in ("survey", "read"):
            assert inspect.signature(getattr(reader, method)) == inspect.signature(
                getattr(AssertionReader, method)
            ), f"{reader.__name__}.{method}"
