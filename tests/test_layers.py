"""The apps import downward only: web -> sessions_app -> tts_app -> scripts_app, and inside an
app no module imports one that imports it back.

Every import statement counts, at module level or inside a function, so a loop
between apps cannot creep back in behind a function-local import.
"""

import ast
from pathlib import Path

from django.apps import apps

REPO = Path(__file__).resolve().parent.parent
# Highest first: an app may import the apps after it, never the ones before it.
LAYERS = ["web", "sessions_app", "tts_app", "scripts_app"]
# The project package's modules every app may use; they import no app themselves.
FOUNDATION = {"runthru_site.errors", "runthru_site.env", "runthru_site.datadir", "runthru_site.webservers",
              "runthru_site.files", "runthru_site.tls", "runthru_site.supervisor", "runthru_site.proxies",
              "runthru_site.body_limits"}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def _python_files(top: str):
    return [p for p in (REPO / top).rglob("*.py") if "migrations" not in p.parts]


def test_no_app_imports_an_app_above_it():
    wrong = []
    for rank, app in enumerate(LAYERS):
        above = set(LAYERS[:rank])
        for path in _python_files(app):
            for line, module in _imports(path):
                if module.split(".")[0] in above:
                    wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    assert wrong == []


def test_apps_use_only_the_project_packages_foundation_and_it_imports_no_app():
    wrong = []
    for app in LAYERS:
        for path in _python_files(app):
            for line, module in _imports(path):
                if module.split(".")[0] == "runthru_site" and module not in FOUNDATION:
                    wrong.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    for module in FOUNDATION:
        path = REPO / (module.replace(".", "/") + ".py")
        wrong += [f"{module} imports {m}" for _, m in _imports(path) if m.split(".")[0] in LAYERS]
    assert wrong == []


def test_no_model_points_at_a_model_of_an_app_above_it():
    wrong = []
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYERS:
            continue
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            if target is None or field.auto_created:  # reverse accessors belong to the other side
                continue
            other = target._meta.app_label
            if other in LAYERS and LAYERS.index(other) < LAYERS.index(app):
                wrong.append(f"{model.__name__}.{field.name} -> {other}.{target.__name__}")
    assert wrong == []


def test_the_scan_sees_function_level_imports(tmp_path):
    # The scan itself must be able to fail: an import hidden inside a function is found.
    module = tmp_path / "hidden.py"
    module.write_text("def f():\n    from web.api import tts\n")
    assert _imports(module) == [(2, "web.api")]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_graph() -> dict[str, set[str]]:
    """Which project module imports which, relative imports resolved, function-level ones counted."""
    paths = {_module_name(p): p for top in [*LAYERS, "runthru_site"] for p in _python_files(top)}
    graph: dict[str, set[str]] = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
                module = ".".join(part for part in (base, node.module or "") if part)
                submodules = {f"{module}.{alias.name}" for alias in node.names} & paths.keys()
                # "from . import errors" reads the submodule, not what the package's __init__ defines
                targets |= submodules if len(submodules) == len(node.names) else submodules | {module}
        graph[name] = {t for t in targets if t in paths and t != name}
    return graph


def _a_loop(graph: dict[str, set[str]]) -> list[str]:
    done: set[str] = set()
    for start in graph:
        stack, on_path = [(start, iter(sorted(graph[start])))], [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.pop()
                done.add(node)
            elif child in on_path:
                return [*on_path[on_path.index(child):], child]
            elif child not in done:
                stack.append((child, iter(sorted(graph[child]))))
                on_path.append(child)
    return []


def test_no_module_imports_one_that_imports_it_back():
    assert _a_loop(_module_graph()) == []


def test_the_loop_search_finds_a_loop_through_a_function_level_import():
    assert _a_loop({"a.jobs": {"a.watch"}, "a.watch": {"a.jobs"}, "a.models": set()}) == ["a.jobs", "a.watch", "a.jobs"]
