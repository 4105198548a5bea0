"""The import contracts (pyproject.toml, checked by lint-imports in `make test`) cover every
module of the project package: a new module in llmprep/ must be placed in a layer."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPOSITION = {"llmprep.urls", "llmprep.api_urls", "llmprep.views"}
# Wiring read by Django or Celery themselves, never imported by the apps.
ENTRY_POINTS = {"llmprep.asgi", "llmprep.wsgi", "llmprep.settings", "llmprep.celery"}


def _contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def test_every_llmprep_module_is_composition_or_a_helper_that_imports_no_app():
    modules = {
        f"llmprep.{path.stem}"
        for path in (ROOT / "llmprep").glob("*.py")
        if path.stem != "__init__"
    }
    helpers = next(c for c in _contracts() if c["type"] == "forbidden")["source_modules"]

    unplaced = modules - COMPOSITION - ENTRY_POINTS - set(helpers)
    assert not unplaced, f"add {sorted(unplaced)} to the import contracts in pyproject.toml"


def test_the_layers_name_every_app():
    layers = next(c for c in _contracts() if c["type"] == "layers")["layers"]
    named = {part.strip() for layer in layers for part in layer.replace(":", "|").split("|")}
    apps = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if (path.parent / "models.py").exists() or (path.parent / "services.py").exists()
    }

    assert apps <= named, f"apps missing from the layers contract: {sorted(apps - named)}"
