"""The layer rules of docs/architecture.md, read from the code's imports.

views (public, manage, auth) -> forms -> domain -> models. Within the domain, each package may
import only the packages below it in LAYERS. An import that points the other way, or a cycle
between modules, fails here with the file and the line.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# Lowest first: a domain package may import itself and the packages before it.
LAYERS = [
    "shared",
    "mail",
    "people",
    "thread",
    "plan",
    "surveys",
    "engagement",
    "search",
    "evidence",
    "dashboard",
]
VIEW_PACKAGES = ("app.public", "app.manage", "app.auth", "app.web")


def module_of(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module a file imports, with its line (`from x import y` counts `x` and `x.y`)."""
    module = module_of(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((target, node.lineno))
            found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
    return found


MODULES = {module_of(path): path for path in APP.rglob("*.py")}


def app_imports() -> dict[str, list[tuple[str, int]]]:
    graph = {}
    for module, path in MODULES.items():
        graph[module] = [(target, line) for target, line in imports_of(path)]
    return graph


GRAPH = app_imports()


def _violations(source_prefix: str, forbidden) -> list[str]:
    problems = []
    for module, targets in GRAPH.items():
        if not (module == source_prefix or module.startswith(source_prefix + ".")):
            continue
        for target, line in targets:
            reason = forbidden(module, target)
            if reason:
                problems.append(
                    f"{MODULES[module].relative_to(APP.parent)}:{line} imports {target}: {reason}"
                )
    return sorted(set(problems))


def test_the_domain_never_imports_forms_views_or_the_request():
    def forbidden(_module, target):
        if target == "app.forms" or target.startswith(
            ("app.forms.",) + tuple(p + "." for p in VIEW_PACKAGES)
        ):
            return "the domain is below forms and views"
        if target in VIEW_PACKAGES:
            return "the domain is below forms and views"
        if target in ("flask.request", "flask.session", "flask_login.current_user", "flask.g"):
            return "the domain takes what it needs as arguments, never from the request"
        return None

    assert _violations("app.domain", forbidden) == []


def test_models_import_only_models():
    def forbidden(_module, target):
        if target.startswith("app.") and not target.startswith(("app.models", "app.extensions")):
            return "models are the lowest layer"
        return None

    assert _violations("app.models", forbidden) == []


def _is_forms(module: str) -> bool:
    return module == "app.forms" or module.endswith(("_forms", ".forms"))


def _module_named(target: str) -> str:
    """The module an import reaches: `app.x.y.Name` is module `app.x.y`."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target


def test_forms_never_import_views():
    def forbidden(module, target):
        reached = _module_named(target)
        if _is_forms(module) and reached.startswith(VIEW_PACKAGES) and not _is_forms(reached):
            return "forms are below views"
        return None

    assert _violations("app", forbidden) == []


def test_staff_views_never_import_public_views():
    def forbidden(_module, target):
        reached = _module_named(target)
        if reached.startswith("app.public.") and not _is_forms(reached):
            return "staff views share code through the domain, forms or app.web, not public views"
        return None

    assert _violations("app.manage", forbidden) == []


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["app", "domain"]:
        return parts[2]
    return None


@pytest.mark.parametrize("package", LAYERS)
def test_domain_packages_import_only_lower_layers(package):
    allowed = set(LAYERS[: LAYERS.index(package) + 1])

    def forbidden(_module, target):
        layer = _layer(target)
        if layer is not None and layer not in allowed:
            return f"{package} is below {layer} (tests/test_architecture.py LAYERS)"
        return None

    assert _violations(f"app.domain.{package}", forbidden) == []


def test_every_domain_module_is_in_a_layer():
    loose = [m for m in MODULES if _layer(m) and _layer(m) not in LAYERS and m != "app.domain"]
    assert loose == []


def test_no_import_cycles_between_modules():
    edges = defaultdict(set)
    for module, targets in GRAPH.items():
        for target, _line in targets:
            if target in MODULES and target != module and not module.startswith(target + "."):
                edges[module].add(target)
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module)
    # A package's __init__ registering its own modules (blueprints) is not a cycle of logic.
    cycles = [c for c in cycles if not _package_registration(c)]
    assert cycles == []


def _package_registration(cycle: str) -> bool:
    nodes = cycle.split(" -> ")
    return any(
        b.startswith(a + ".") and MODULES[a].name == "__init__.py"
        for a, b in zip(nodes, nodes[1:], strict=False)
    )
