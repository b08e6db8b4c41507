"""The dependency direction of DESIGN.md: ui -> hotline_desk, ui -> telephony; nothing else."""
import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "hotline_desk": {"PySide6", "qasync", "ui", "telephony", "panoramisk"},
    "telephony": {"PySide6", "qasync", "ui", "hotline_desk"},
}


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_packages_import_only_downwards():
    bad = []
    for pkg, forbidden in FORBIDDEN.items():
        for f in (ROOT / pkg).rglob("*.py"):
            for mod in _imports(f):
                if mod in forbidden:
                    bad.append(f"{f.relative_to(ROOT)} imports {mod}")
    assert not bad, "\n".join(bad)
