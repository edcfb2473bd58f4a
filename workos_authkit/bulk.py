"""Bulk user import: the row model, file readers and the report of ``users.import_users``.

```python
from workos_authkit import AsyncWorkOS
from workos_authkit.bulk import read_rows

async with AsyncWorkOS() as workos:
    report = await workos.users.import_users(read_rows("users.csv"), journal="users.journal")
print(report.created, report.skipped, report.failed)
```

``COLUMNS`` lists the CSV columns / JSONL keys a row may have. The same call exists on the
sync ``WorkOS`` (worker threads instead of tasks).
"""

from __future__ import annotations

from ._bulk.journal import JournalError
from ._bulk.plan import OnConflict
from ._bulk.readers import count_rows, read_rows, unknown_columns
from ._bulk.report import ImportProgress, ImportReport, RowOutcome
from ._bulk.rows import COLUMNS, Membership, UnreadableRow, UserImport

__all__ = [
    "COLUMNS",
    "ImportProgress",
    "ImportReport",
    "JournalError",
    "Membership",
    "OnConflict",
    "RowOutcome",
    "UnreadableRow",
    "UserImport",
    "count_rows",
    "read_rows",
    "unknown_columns",
]
