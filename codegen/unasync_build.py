"""Generate the sync twin (``_sync/``) from the hand-written async source (``_async/``).

Usage: ``python codegen/unasync_build.py [--check]``.

1. wipe each generated tree, so a deleted async module leaves no stale twin;
2. run unasync with the rules in ``unasync_rules.py``;
3. replace the first line ``# source-of-truth: async`` with a "generated, do not edit" marker
   (the line count is unchanged, so ``_sync/x.py:NN`` in a traceback is ``_async/x.py:NN``);
4. fail on any async token left in ``workos_authkit/_sync``;
5. warn about replacement rules that never fire.

``--check`` generates into a scratch directory and compares it with the installed tree *before*
anything regenerates it. Each generated file's first line records a digest of its inputs (its
async source, the rules and this generator): a file that differs from the fresh generation
although its inputs are unchanged was edited by hand, and a file the rules do not produce was
added by hand: both fail. A file whose inputs changed since it was generated is only stale, and
is reported (``make codegen`` regenerates it).
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import importlib.util
import re
import shutil
import sys
import tempfile
import tokenize
import warnings
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
SOURCE_MARK = "# source-of-truth: async"
GENERATED_MARK = "# GENERATED from {src} by codegen/unasync_build.py (inputs {digest}); do not edit"

# Tokens that must never survive into the generated library tree.
LEFTOVER = re.compile(
    r"\b(async|await)\b|\basync_|\banyio\b|\bAsync[A-Z]|\bSync[A-Z]|\ba(close|read|iter|next|enter|exit)\b"
    r"|handle_async_request|__a(enter|exit|iter|next)__"
)
#: sync names of the libraries we use that look async to ``LEFTOVER`` (httpx's body stream)
LIBRARY_SYNC_NAMES = frozenset({"SyncByteStream"})


def _load_rules() -> ModuleType:
    # hatchling loads the build hook by path without putting codegen/ on sys.path.
    spec = importlib.util.spec_from_file_location(
        "_workos_unasync_rules", HERE / "unasync_rules.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _names_in(path: Path) -> set[str]:
    """NAME tokens and the bodies of plain string tokens of one source file."""
    found: set[str] = set()
    with path.open("rb") as fh:
        for tok in tokenize.tokenize(fh.readline):
            if tok.type == tokenize.NAME:
                found.add(tok.string)
            elif tok.type == tokenize.STRING:
                found.add(tok.string.strip("'\"rbfu"))
    return found


def generate(root: Path, out_root: Path | None = None) -> list[Path]:
    """Write every sync tree under ``out_root`` (default: in place). Return the files written."""
    import unasync

    rules_mod = _load_rules()
    table: dict[str, str] = rules_mod.replacements(root)
    tooling = (HERE / "unasync_rules.py").read_bytes() + Path(__file__).read_bytes()
    out_root = out_root or root
    written: list[Path] = []
    used: set[str] = set()
    for src_rel, dst_rel in rules_mod.TREES:
        src_dir = root / src_rel
        dst_dir = out_root / dst_rel
        if dst_dir.exists():
            shutil.rmtree(dst_dir)
        if not src_dir.is_dir():
            continue
        rule = unasync.Rule(str(src_dir) + "/", str(dst_dir) + "/", additional_replacements=table)
        sources = sorted(p for p in src_dir.rglob("*.py") if "__pycache__" not in p.parts)
        unasync.unasync_files([str(p) for p in sources], [rule])
        for src in sources:
            used |= _names_in(src) & table.keys()
            dst = dst_dir / src.relative_to(src_dir)
            text = dst.read_text(encoding="utf-8")
            first, sep, rest = text.partition("\n")
            if first.strip() == SOURCE_MARK:
                rel = src.relative_to(root).as_posix()
                digest = hashlib.sha256(tooling + src.read_bytes()).hexdigest()[:16]
                text = GENERATED_MARK.format(src=rel, digest=digest) + sep + rest
                dst.write_text(text, encoding="utf-8")
            written.append(dst)
    unused = sorted(table.keys() - used)
    if unused:
        warnings.warn(f"unasync rules that never fire: {', '.join(unused)}", stacklevel=1)
    _scan_leftovers(out_root / "workos_authkit/_sync")
    return written


def _scan_leftovers(tree: Path) -> None:
    """Fail on async names, and on async names inside string literals (error messages, reprs).

    Comments and triple-quoted docstrings are prose, left alone by unasync, and not scanned.
    """
    problems: list[str] = []
    for path in sorted(tree.rglob("*.py")):
        with path.open("rb") as fh:
            for tok in tokenize.tokenize(fh.readline):
                scanned = tok.type == tokenize.NAME or (
                    tok.type == tokenize.STRING
                    and not tok.string.lstrip("rbfuRBFU").startswith(('"""', "'''"))
                )
                if scanned and tok.string not in LIBRARY_SYNC_NAMES and LEFTOVER.search(tok.string):
                    problems.append(f"{path}:{tok.start[0]}: {tok.line.strip()}")
    if problems:
        raise SystemExit("async tokens left in the generated sync tree:\n" + "\n".join(problems))


def check(root: Path) -> int:
    """Compare the installed generated trees with a fresh generation; return an exit code."""
    rules_mod = _load_rules()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        generate(root, scratch)
        edited: list[str] = []
        stale: list[str] = []
        for _, dst_rel in rules_mod.TREES:
            bad, old = _diff_trees(scratch / dst_rel, root / dst_rel, dst_rel)
            edited += bad
            stale += old
    if stale:
        print("stale generated files (inputs changed; `make codegen` regenerates):", *stale)
    if edited:
        print("generated sync tree was changed by hand:", *edited, sep="\n  ")
        return 1
    return 0


def _first_line(path: Path) -> bytes:
    return path.read_bytes().split(b"\n", 1)[0]


def _diff_trees(expected: Path, actual: Path, label: str) -> tuple[list[str], list[str]]:
    """(files edited or added by hand, files merely stale) of ``actual`` against ``expected``."""
    if not actual.exists():
        return [], ([f"{label}: missing"] if expected.exists() else [])
    if not expected.exists():
        return [f"{label}: not generated by the rules"], []
    cmp = filecmp.dircmp(expected, actual, ignore=["__pycache__"])
    edited: list[str] = []
    stale: list[str] = []

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        edited.extend(f"{prefix}{n}: not generated by the rules" for n in c.right_only)
        stale.extend(f"{prefix}{n}: missing" for n in c.left_only)
        for name in c.common_files:
            want, have = Path(c.left, name), Path(c.right, name)
            if want.read_bytes() == have.read_bytes():
                continue
            if _first_line(want) == _first_line(have):
                edited.append(f"{prefix}{name}: differs from what its unchanged inputs produce")
            else:
                stale.append(f"{prefix}{name}")
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, f"{label}/")
    return edited, stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the generated tree is stale")
    parser.add_argument("--root", type=Path, default=HERE.parent)
    args = parser.parse_args(argv)
    if args.check:
        return check(args.root)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        files = generate(args.root)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    print(f"generated {len(files)} sync files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
