"""``workos-authkit import-users``: bulk import from a CSV or JSONL file, with a progress bar.

The progress bar and the summary table use ``rich`` (the ``cli`` extra:
``pip install 'workos-authkit[cli]'``); without it, progress is printed as plain lines.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from .journal import JournalError
from .readers import count_rows, read_rows, unknown_columns
from .report import ImportProgress, ImportReport
from .rows import COLUMNS

__all__ = ["add_parser", "run_import"]

EPILOG = (
    "CSV columns (a header row names them; JSONL lines use the same keys):\n"
    + "\n".join(f"  {name:<19} {text}" for name, text in COLUMNS.items())
    + "\n\nThe API key is read from WORKOS_API_KEY; --base-url defaults to WORKOS_BASE_URL or "
    "the real API.\nExit status: 0 when every row was imported (or skipped), 1 when a row "
    "failed, 2 on bad usage, 130 when interrupted (re-run with the same --journal to resume)."
)


def add_parser(sub: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(
        "import-users",
        help="import users from a CSV or JSONL file, concurrently and exactly once",
        description="Import users from a .csv or .jsonl file into AuthKit: concurrently, "
        "within the rate limit, each user exactly once (existing users are found, not "
        "duplicated), resumable with --journal.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", help="a .csv (with a header row) or .jsonl file")
    p.add_argument("--concurrency", type=int, default=16, help="rows in flight (default 16)")
    p.add_argument("--organization-id", help="add every user to this organization")
    p.add_argument("--role-slug", help="with --organization-id: the role to give")
    p.add_argument(
        "--on-conflict",
        choices=("skip", "update", "error"),
        default="skip",
        help="for an existing user: leave it (skip, default), update the fields that differ, "
        "or fail the row (error)",
    )
    p.add_argument("--journal", metavar="PATH", help="record finished rows here; resume from it")
    p.add_argument("--report", metavar="OUT.json", help="write the full report as JSON")
    p.add_argument("--dry-run", action="store_true", help="check every row; send nothing")
    p.add_argument("--base-url", help="API base URL (default: WORKOS_BASE_URL or the real API)")
    p.set_defaults(func=_command)
    return p


def _command(args: argparse.Namespace) -> int:
    return run_import(
        args.file,
        api_key=None,
        base_url=args.base_url,
        concurrency=args.concurrency,
        organization_id=args.organization_id,
        role_slug=args.role_slug,
        on_conflict=args.on_conflict,
        journal=args.journal,
        report_path=args.report,
        dry_run=args.dry_run,
    )


def run_import(
    file: str,
    *,
    api_key: str | None,
    base_url: str | None,
    concurrency: int = 16,
    organization_id: str | None = None,
    role_slug: str | None = None,
    on_conflict: str = "skip",
    journal: str | None = None,
    report_path: str | None = None,
    dry_run: bool = False,
    out: TextIO | None = None,
    client_options: dict[str, Any] | None = None,
) -> int:
    """Run an import as the CLI does; returns the exit status.

    ``client_options``: further ``AsyncWorkOS`` arguments (the demo raises ``rate_limit`` to
    what its fake server allows).
    """
    import anyio

    from .. import AsyncWorkOS, WorkOSError

    out = out or sys.stdout
    path = Path(file)
    try:
        extra = unknown_columns(path)
        total = count_rows(path)
    except (OSError, ValueError) as exc:
        print(f"workos-authkit: {exc}", file=sys.stderr)
        return 2
    if extra:
        print(
            f"workos-authkit: {path.name}: unknown column(s): {', '.join(extra)} "
            "(see --help for the columns)",
            file=sys.stderr,
        )
        return 2
    if dry_run and api_key is None and not os.environ.get("WORKOS_API_KEY"):
        api_key = "sk_dry_run"  # nothing is sent

    async def main(progress: Callable[[ImportProgress], None]) -> ImportReport:
        async with AsyncWorkOS(
            api_key=api_key, base_url=base_url, **(client_options or {})
        ) as workos:
            return await workos.users.import_users(
                read_rows(path),
                concurrency=concurrency,
                on_conflict=on_conflict,  # type: ignore[arg-type]
                organization_id=organization_id,
                role_slug=role_slug,
                on_progress=progress,
                dry_run=dry_run,
                journal=journal,
                total=total,
            )

    try:
        with _progress(total, out) as progress:
            report = anyio.run(main, progress)
    except KeyboardInterrupt:
        print(
            "\ninterrupted: rows in flight are recorded as unknown"
            + (f"; re-run with --journal {journal} to resume" if journal else "")
            + " (a re-run without a journal is safe too: existing users are skipped)",
            file=sys.stderr,
        )
        return 130
    except (WorkOSError, JournalError, OSError) as exc:
        print(f"workos-authkit: {exc}", file=sys.stderr)
        return 2
    if report_path:
        report.write_json(report_path)
    _summary(report, out, report_path)
    return 0 if report.ok else 1


@contextmanager
def _progress(total: int, out: TextIO) -> Iterator[Callable[[ImportProgress], None]]:
    try:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
    except ImportError:  # the `cli` extra is not installed: plain lines
        yield _plain_progress(out)
        return
    columns = (
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>7.1f} rows/s"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(file=out), transient=False) as bar:
        task = bar.add_task("import", total=total or None, rate=0.0, failed=0)

        def update(p: ImportProgress) -> None:
            bar.update(task, completed=p.done, rate=p.rate, failed=p.failed)

        yield update


def _plain_progress(out: TextIO) -> Callable[[ImportProgress], None]:
    last = [0.0]

    def update(p: ImportProgress) -> None:
        now = time.monotonic()
        if now - last[0] >= 1.0 or p.done == p.total:
            last[0] = now
            eta = f", ETA {p.eta:.0f}s" if p.eta is not None else ""
            print(
                f"  {p.done}/{p.total or '?'} rows, {p.rate:.1f} rows/s, {p.failed} failed{eta}",
                file=out,
                flush=True,
            )

    return update


def _summary(report: ImportReport, out: TextIO, report_path: str | None) -> None:
    rows: list[tuple[str, object]] = [
        ("created", report.created),
        ("updated", report.updated),
        ("skipped (existed)", report.skipped),
        ("resumed (journal)", report.resumed),
        ("failed", report.failed),
    ]
    if report.dry_run:
        rows.append(("valid (dry run)", report.valid))
    if report.unknown:
        rows.append(("unknown", report.unknown))
    rate = report.rows / report.duration if report.duration > 0 else 0.0
    rows += [
        ("memberships created", report.memberships_created),
        ("requests", report.requests),
        ("retries", report.retries),
        ("429 answers", report.rate_limited),
        ("waited on limits (s)", f"{report.waited:.1f}"),
        ("duration (s)", f"{report.duration:.1f}"),
        ("rows/s", f"{rate:.1f}"),
    ]
    failures = report.failures
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print("Import summary", file=out)
        for name, value in rows:
            print(f"  {name:<22} {value}", file=out)
        for o in failures[:20]:
            print(f"  row {o.row} {o.email}: {o.error_type}: {o.message}", file=out)
    else:
        console = Console(file=out)
        table = Table(title="Import summary")
        table.add_column("")
        table.add_column("", justify="right")
        for name, value in rows:
            table.add_row(name, str(value))
        console.print(table)
        if failures:
            listed = Table(title=f"Failed rows ({len(failures)})")
            for column in ("row", "email", "error", "message"):
                listed.add_column(column)
            for o in sorted(failures, key=lambda o: o.row)[:20]:
                listed.add_row(str(o.row), o.email or "", o.error_type or "", o.message or "")
            console.print(listed)
    if len(failures) > 20:
        print(f"  … and {len(failures) - 20} more failed rows", file=out)
    if report_path:
        print(f"full report: {report_path}", file=out)
