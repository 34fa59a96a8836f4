"""Every diagram of the catalogue imports into bpmn-js / dmn-js in Chromium without warnings
(issue 3: what process owners open in the modeller must read exactly as the engine reads it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
DIAGRAMS = sorted(
    p for p in (ROOT / "processes" / "bpmn").rglob("*") if p.suffix in (".bpmn", ".dmn")
)
BUNDLES = (
    "bpmn-js/dist/bpmn-modeler.production.min.js",
    "dmn-js/dist/dmn-modeler.production.min.js",
)

pytestmark = pytest.mark.e2e

IMPORT_BPMN = """async ([xml, camunda]) => {
  const modeler = new BpmnJS({ container: '#canvas', moddleExtensions: { camunda } });
  try {
    const result = await modeler.importXML(xml);
    return result.warnings.map((w) => w.message);
  } catch (err) {
    return ['import failed: ' + err.message];
  } finally {
    modeler.destroy();
  }
}"""

IMPORT_DMN = """async (xml) => {
  const modeler = new DmnJS({ container: '#canvas' });
  try {
    const result = await modeler.importXML(xml);
    return result.warnings.map((w) => w.message);
  } catch (err) {
    return ['import failed: ' + err.message];
  } finally {
    modeler.destroy();
  }
}"""


@pytest.fixture(scope="module")
def modeller_page(browser: Any) -> Iterator[tuple[Any, Any]]:
    """A blank page with the same npm bundles the app serves (read from node_modules)."""
    page = browser.new_page()
    page.set_content(
        '<html><body><div id="canvas" style="width:1400px;height:900px"></div></body></html>'
    )
    for bundle in BUNDLES:
        page.add_script_tag(content=(NODE_MODULES / bundle).read_text(encoding="utf-8"))
    camunda = json.loads((NODE_MODULES / "camunda-bpmn-moddle/resources/camunda.json").read_text())
    yield page, camunda
    page.close()


@pytest.mark.parametrize("path", DIAGRAMS, ids=[str(p.relative_to(ROOT)) for p in DIAGRAMS])
def test_diagram_imports_without_warnings(modeller_page: tuple[Any, Any], path: Path) -> None:
    page, camunda = modeller_page
    xml = path.read_text(encoding="utf-8")
    if path.suffix == ".dmn":
        warnings = page.evaluate(IMPORT_DMN, xml)
    else:
        warnings = page.evaluate(IMPORT_BPMN, [xml, camunda])
    assert warnings == []
