"""Hatch build hook: generate ``workos_authkit/_sync/`` before every wheel, sdist or editable build."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class UnasyncBuildHook(BuildHookInterface[Any]):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # hatchling loads this file by path: load the generator the same way.
        here = Path(__file__).resolve().parent
        spec = importlib.util.spec_from_file_location(
            "_workos_unasync_build", here / "unasync_build.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        root = Path(self.root)
        if not (root / "workos_authkit/_async").is_dir():
            # An sdist already carries the generated tree as an artifact.
            return
        module.generate(root)
