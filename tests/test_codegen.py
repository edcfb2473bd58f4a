"""The generated sync twin: up to date, never hand-written, free of async leftovers."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "codegen" / "unasync_build.py"


def _load_generator(path: Path = GENERATOR) -> object:
    import importlib.util

    spec = importlib.util.spec_from_file_location("unasync_build_under_test", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_installed_sync_tree_matches_the_rules() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_sync_file_is_generated_from_an_async_one() -> None:
    for src_rel, dst_rel in (
        ("workos_authkit/_async", "workos_authkit/_sync"),
        ("tests/_async", "tests/_sync"),
    ):
        generated = sorted(p.relative_to(ROOT / dst_rel) for p in (ROOT / dst_rel).rglob("*.py"))
        sources = sorted(p.relative_to(ROOT / src_rel) for p in (ROOT / src_rel).rglob("*.py"))
        assert generated == sources
        for rel in generated:
            first = (ROOT / dst_rel / rel).read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# GENERATED from "), f"{dst_rel}/{rel} is not generated"


def test_sync_tree_keeps_line_numbers() -> None:
    for src in (ROOT / "workos_authkit/_async").rglob("*.py"):
        dst = ROOT / "workos_authkit/_sync" / src.relative_to(ROOT / "workos_authkit/_async")
        assert len(src.read_text().splitlines()) == len(dst.read_text().splitlines()), src.name


def _copy_sources(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "workos_authkit/_async", root / "workos_authkit/_async")
    shutil.copytree(ROOT / "tests/_async", root / "tests/_async")
    shutil.copytree(ROOT / "codegen", root / "codegen")
    return root


def test_a_leftover_async_token_fails_generation(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    bad = root / "workos_authkit/_async/leak.py"
    bad.write_text(
        "# source-of-truth: async\nimport anyio\n\n\ndef f() -> None:\n    anyio.sleep(1)\n"
    )
    gen = _load_generator(root / "codegen/unasync_build.py")
    with pytest.raises(SystemExit, match=r"leak\.py:2"):
        gen.generate(root)  # type: ignore[attr-defined]


def test_a_leftover_in_an_error_message_fails_generation(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    bad = root / "workos_authkit/_async/leak.py"
    bad.write_text('# source-of-truth: async\nMESSAGE = "AsyncWorkOS is closed"\n')
    gen = _load_generator(root / "codegen/unasync_build.py")
    with pytest.raises(SystemExit, match="SyncWorkOS"):
        gen.generate(root)  # type: ignore[attr-defined]


def test_generation_wipes_stale_files_and_warns_on_dead_rules(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    stale = root / "workos_authkit/_sync/removed_module.py"
    stale.parent.mkdir(parents=True)
    stale.write_text("x = 1\n")
    gen = _load_generator(root / "codegen/unasync_build.py")
    rules = (root / "codegen/unasync_rules.py").read_text()
    (root / "codegen/unasync_rules.py").write_text(
        rules.replace(
            "STATIC_REPLACEMENTS: dict[str, str] = {",
            'STATIC_REPLACEMENTS: dict[str, str] = {\n    "never_used_name": "x",',
        )
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gen.generate(root)  # type: ignore[attr-defined]
    assert not stale.exists()
    assert any("never_used_name" in str(w.message) for w in caught)
    assert (root / "workos_authkit/_sync/client.py").exists()


def test_check_mode_detects_a_hand_edit(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    gen = _load_generator(root / "codegen/unasync_build.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen.generate(root)  # type: ignore[attr-defined]
        target = root / "workos_authkit/_sync/client.py"
        target.write_text(target.read_text() + "\n# hand edit\n")
        assert gen.check(root) == 1  # type: ignore[attr-defined]


def test_check_mode_accepts_a_stale_tree_and_flags_an_added_file(tmp_path: Path) -> None:
    root = _copy_sources(tmp_path)
    gen = _load_generator(root / "codegen/unasync_build.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gen.generate(root)  # type: ignore[attr-defined]
        source = root / "workos_authkit/_async/client.py"
        source.write_text(source.read_text() + "\n# a change to the async source\n")
        assert gen.check(root) == 0  # type: ignore[attr-defined]  # stale, not hand-edited
        (root / "workos_authkit/_sync/extra.py").write_text("x = 1\n")
        assert gen.check(root) == 1  # type: ignore[attr-defined]
