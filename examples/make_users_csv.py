"""Generate ``examples/users.csv``: 1,000 users for ``make demo`` and for trying the importer.

Deterministic (fixed seed). About one in ten users carries a bcrypt hash (cost 4, to keep
generation quick) instead of a password, about half an ``external_id``, some metadata and a
membership in one of the demo organizations; a few rows are deliberately bad (a malformed
email, a password together with a hash, an unknown hash type, a duplicate email, a password
the server refuses as too weak), so the import report shows what failures look like.

    python examples/make_users_csv.py [--rows N] [--out PATH]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: organizations the demo creates in the fake (``examples/demo.py``), by id
ORGANIZATIONS = ("org_01DEMOACME00000000000000000", "org_01DEMOGLOBEX000000000000000")
FIELDS = (
    "email",
    "first_name",
    "last_name",
    "email_verified",
    "external_id",
    "metadata",
    "password",
    "password_hash",
    "password_hash_type",
    "memberships",
)
FIRST = ("Ada", "Grace", "Alan", "Barbara", "Edsger", "Katherine", "Linus", "Margaret", "Dennis")
LAST = ("Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Johnson", "Torvalds", "Hamilton")
BAD_ROWS: list[dict[str, str]] = [
    {"email": "not-an-email", "first_name": "Bad"},
    {"email": "both@example.com", "password": "Str0ng-enough-passw0rd", "password_hash": "x"},
    {"email": "md5@example.com", "password_hash": "5f4dcc3b", "password_hash_type": "md5"},
    {"email": "weak@example.com", "password": "password"},
]


def generate(n: int, seed: int = 16) -> list[dict[str, str]]:
    import bcrypt  # the `testing` extra

    rng = random.Random(seed)
    salt = bcrypt.gensalt(rounds=4)
    hashed = bcrypt.hashpw(b"imported-passphrase-1", salt).decode()
    good = n - len(BAD_ROWS) - 1
    rows: list[dict[str, str]] = []
    for i in range(good):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        row = {
            "email": f"{first.lower()}.{last.lower()}.{i}@example.com",
            "first_name": first,
            "last_name": last,
            "email_verified": rng.choice(("true", "false")),
        }
        if rng.random() < 0.5:
            row["external_id"] = f"legacy-{i:06d}"
        if rng.random() < 0.3:
            row["metadata"] = json.dumps({"plan": rng.choice(("free", "pro", "team"))})
        if i % 10 == 0:
            row["password_hash"], row["password_hash_type"] = hashed, "bcrypt"
        if rng.random() < 0.2:
            org = rng.choice(ORGANIZATIONS)
            row["memberships"] = f"{org}:{rng.choice(('member', 'admin'))}"
        rows.append(row)
    for k, bad in enumerate(BAD_ROWS):
        rows.insert(100 + 200 * k, bad)
    rows.insert(500, {"email": rows[3]["email"].upper(), "first_name": "Duplicate"})
    return rows


def write(rows: list[dict[str, str]], out: Path) -> None:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=HERE / "users.csv")
    args = parser.parse_args()
    write(generate(args.rows), args.out)
    print(f"wrote {args.rows} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
