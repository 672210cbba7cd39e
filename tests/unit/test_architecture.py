"""The layout's rules: the import contracts hold and each catches its violation; no import circle anywhere.

`lint-imports` (first step of `make test`) checks the contracts of pyproject.toml on the tree.
Here each contract is shown to fail: a copy of the real import graph gets one deliberate
violation, and import-linter's own contract classes, configured from pyproject.toml, must
report that contract broken; then the real command is run on a copy of the tree with a
violating import written into a module for each contract. Circles have no import-linter
contract, so that rule is checked here in full (docs/architecture.md explains the rules).
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter import api
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACT_TYPES = {"forbidden": ForbiddenContract, "independence": IndependenceContract, "layers": LayersContract}

# One or more deliberate violations per contract id: (importer, imported), and any other contract
# the same import breaks along the way (listed so that the test says what each arrow costs).
VIOLATIONS = [
    ("storage-not-console", "storage.management.commands.check_connections", "console.audit", set()),
    ("storage-not-console", "storage.cors", "console.roles", set()),
    # The interface reaching an implementation (or the factory, which reaches both) also joins
    # the two implementations, since each imports the interface, and the router and groups to them.
    ("interface-no-implementation", "storage.gateway", "storage.factory",
     {"implementations-independent", "kinds-through-interface"}),
    ("interface-no-implementation", "storage.gateway", "storage.s3.gateway",
     {"implementations-independent", "kinds-through-interface"}),
    ("interface-no-implementation", "storage.gateway", "storage.ossgateway.client",
     {"implementations-independent", "kinds-through-interface"}),
    ("implementations-independent", "storage.s3.gateway", "storage.ossgateway.transport", set()),
    ("implementations-independent", "storage.ossgateway.client", "storage.s3.signing", set()),
    ("boto3-in-s3-only", "console.files.views.browse", "botocore", set()),
    ("boto3-in-s3-only", "storage.api.views", "boto3", set()),
    ("boto3-in-s3-only", "storage.ossgateway.transport", "boto3", set()),
    ("boto3-in-s3-only", "storage.keys", "botocore", set()),
    # storage.django_storage names the S3 Django storage; the class itself lives in storage.s3.
    ("boto3-in-s3-only", "storage.django_storage", "storages", set()),
    ("kinds-through-interface", "storage.groups.gateway", "storage.s3.gateway", set()),
    ("kinds-through-interface", "storage.routing", "storage.ossgateway.client", set()),
    ("console-through-interface", "console.connections.views.edit", "storage.s3.gateway", set()),
    ("console-through-interface", "console.adminpages.views.edition", "storage.ossgateway.probe", set()),
    ("console-through-interface", "console.shares.views.public", "storage.s3.signing", set()),
    ("jobs-below-pages", "console.jobs.views", "console.files.common", set()),
    ("jobs-below-pages", "console.jobs.operations.copy", "console.shares.views.public", set()),
    ("access-below-pages", "console.access.rules", "console.jobs.services", set()),
    ("access-below-pages", "console.access.explain", "console.teams.forms", set()),
    # console.jobs asks console.access, so access reaching a page app takes the jobs engine there too.
    ("access-below-pages", "console.access.models", "console.files.common", {"jobs-below-pages"}),
]


def configuration() -> dict:
    return api.read_configuration(str(PYPROJECT))


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The import graph lint-imports builds: the root packages, external packages included."""
    session = configuration()["session_options"]
    return grimp.build_graph(*session["root_packages"], cache_dir=None,
                             include_external_packages=str(session.get("include_external_packages")) == "True")


def broken_contracts(graph: grimp.ImportGraph) -> set[str]:
    """The ids of the pyproject.toml contracts that `graph` breaks, checked by import-linter itself."""
    config = configuration()
    broken = set()
    for options in config["contracts_options"]:
        contract = CONTRACT_TYPES[options["type"]](name=options["name"], session_options=config["session_options"],
                                                   contract_options=options)
        if not contract.check(copy.deepcopy(graph), verbose=False).kept:
            broken.add(options["id"])
    return broken


def with_import(graph: grimp.ImportGraph, importer: str, imported: str) -> grimp.ImportGraph:
    violated = copy.deepcopy(graph)
    violated.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    return violated


def test_the_tree_keeps_every_contract(graph):
    assert broken_contracts(graph) == set()


def test_every_contract_has_a_violation_here():
    ids = {options["id"] for options in configuration()["contracts_options"]}
    assert ids == {contract for contract, *_ in VIOLATIONS}


@pytest.mark.parametrize(("contract", "importer", "imported", "also"), VIOLATIONS,
                         ids=[f"{c}:{a}->{b}" for c, a, b, _ in VIOLATIONS])
def test_each_contract_fails_on_a_deliberate_violation(graph, contract, importer, imported, also):
    assert importer in graph.modules, f"{importer} is not in the graph: update this test with the layout"
    assert broken_contracts(with_import(graph, importer, imported)) == {contract} | also


def test_lint_imports_reports_each_broken_contract_on_a_violating_tree(tmp_path):
    """The real command and configuration, on a copy of the tree with one violating import per contract."""
    for package in ("console", "storage"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    violations = {
        "storage/cors.py": "from console import audit",
        "storage/gateway.py": "from storage.factory import get_gateway",
        "storage/s3/gateway.py": "from storage.ossgateway import transport",
        "storage/groups/gateway.py": "from storage.s3 import gateway",
        "console/files/views/browse.py": "import botocore",
        "console/connections/views/edit.py": "from storage.s3.gateway import S3Gateway",
        "console/jobs/views.py": "from console.files import common",
        "console/access/rules.py": "from console.shares import service",
    }
    for path, line in violations.items():
        with open(tmp_path / path, "a") as module:
            module.write(f"\n\ndef _violation():\n    {line}\n")
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "COLUMNS": "400"})
    output = " ".join((result.stdout + result.stderr).split())  # rich wraps long names
    assert result.returncode == 1, output
    for options in configuration()["contracts_options"]:
        assert f"{options['name']} BROKEN" in output, options["name"]
    assert "Contracts: 0 kept, 8 broken." in output


# --- no import circle ------------------------------------------------------------------


def import_circles(graph: grimp.ImportGraph, packages=("console", "storage")) -> list[list[str]]:
    """Modules of `packages` that import each other in a circle (strongly connected components, Tarjan)."""
    modules = {m for m in graph.modules if m.split(".")[0] in packages}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1 or module in graph.find_modules_directly_imported_by(module):
                circles.append(sorted(component))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return circles


def test_no_module_of_console_or_storage_imports_itself_through_others(graph):
    """Typing-only imports count too: a circle under TYPE_CHECKING is a protocol waiting to be written."""
    assert import_circles(graph) == []


@pytest.mark.parametrize(("importer", "imported", "circle"), [
    # the circle issue #12 removed: the interface fetched get_gateway from the factory
    ("storage.gateway", "storage.factory", {"storage.gateway", "storage.factory", "storage.connections"}),
    ("storage.reader", "storage.gateway", {"storage.gateway", "storage.reader"}),
    ("console.roles", "console.files.common", {"console.roles", "console.files.common"}),
])
def test_a_deliberate_circle_is_found(graph, importer, imported, circle):
    circles = import_circles(with_import(graph, importer, imported))
    assert len(circles) == 1 and circle <= set(circles[0]), circles
