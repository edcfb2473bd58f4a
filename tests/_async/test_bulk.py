# source-of-truth: async
"""users.import_users against FakeWorkOS: validation, reconciliation, journal, memberships."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests._async.helpers import async_fake_client
from workos_authkit import InvalidArgumentError
from workos_authkit.bulk import ImportProgress, UserImport
from workos_authkit.testing import FakeWorkOS

pytestmark = pytest.mark.anyio

USERS = "/user_management/users"
CREATE = f"POST {USERS}"
BCRYPT = "$2b$12$" + "a" * 53
SECRET = "correct-horse-battery-staple-42"


def rows(n: int, start: int = 0, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"email": f"user{i}@example.com", "first_name": f"User{i}", **extra}
        for i in range(start, start + n)
    ]


def emails(fake: FakeWorkOS) -> list[str]:
    return sorted(str(u["email"]) for u in fake.users.values())


async def test_imports_every_row_once_and_reports_it(tmp_path: Path) -> None:
    fake = FakeWorkOS()
    data: list[Any] = rows(20)
    data.append(
        UserImport(email="hash@example.com", password_hash=BCRYPT, password_hash_type="bcrypt")
    )
    data.append({"email": "pw@example.com", "password": SECRET, "external_id": "crm-1"})
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(data, concurrency=4)
    assert (report.rows, report.created, report.failed) == (22, 22, 0)
    assert report.ok
    assert len(fake.users) == 22
    assert fake.stats.requests[CREATE] == 22
    assert report.requests == 22
    by_email = {o.email: o for o in report.outcomes}
    assert by_email["pw@example.com"].user_id == fake.user("pw@example.com")["id"]
    assert fake.user("pw@example.com")["external_id"] == "crm-1"
    report.write_json(tmp_path / "report.json")
    saved = json.loads((tmp_path / "report.json").read_text())
    assert saved["created"] == 22
    assert [o["row"] for o in saved["outcomes"]] == list(range(1, 23))
    assert SECRET not in (tmp_path / "report.json").read_text()


async def test_bad_rows_fail_with_a_reason_and_the_import_goes_on() -> None:
    fake = FakeWorkOS()
    data: list[Any] = [
        {"email": "ok@example.com"},
        {"email": "not-an-email"},
        {"first_name": "No email"},
        {"email": "both@example.com", "password": SECRET, "password_hash": BCRYPT},
        {"email": "type@example.com", "password_hash": BCRYPT, "password_hash_type": "md5"},
        {"email": "nohash@example.com", "password_hash": BCRYPT},
        {"email": "flag@example.com", "email_verified": "maybe"},
        {"email": "meta@example.com", "metadata": "[1, 2]"},
        {"email": "typo@example.com", "frist_name": "Ada"},
        {"email": "weak@example.com", "password": "password"},  # the server refuses it
        "not a row",
    ]
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(data)
    assert (report.created, report.failed) == (1, 10)
    assert emails(fake) == ["ok@example.com"]
    reasons = {o.row: (o.error_type, o.message) for o in report.failures}
    assert reasons[2] == ("RowInvalid", "email 'not-an-email' is not a valid address")
    assert reasons[3] == ("RowInvalid", "email is missing")
    assert reasons[4][1] == "give password or password_hash, not both"
    assert "unknown password_hash_type 'md5'" in str(reasons[5][1])
    assert reasons[6][1] == "password_hash needs password_hash_type"
    assert "email_verified must be true or false" in str(reasons[7][1])
    assert "metadata" in str(reasons[8][1])
    assert reasons[9][1] == "unknown field(s): frist_name"
    assert reasons[10][0] == "BadRequestError"
    assert "password_strength_error" in str(reasons[10][1])
    assert reasons[11][0] == "RowInvalid"
    assert not any(SECRET in (o.message or "") for o in report.outcomes)


async def test_duplicate_emails_in_the_input_are_reported_not_sent_twice() -> None:
    fake = FakeWorkOS()
    data = [*rows(3), {"email": "USER1@example.com"}, {"email": " user2@example.com "}]
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(data)
    assert (report.created, report.failed) == (3, 2)
    assert fake.stats.requests[CREATE] == 3
    assert {o.message for o in report.failures} == {
        "the same email as row 2: not sent twice",
        "the same email as row 3: not sent twice",
    }


@pytest.mark.parametrize("mode", ["skip", "update", "error"])
async def test_on_conflict_decides_what_happens_to_existing_users(mode: str) -> None:
    fake = FakeWorkOS()
    fake.add_user("user0@example.com", first_name="Old")
    fake.add_user("user1@example.com", first_name="User1")  # already as the row says
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(rows(3), on_conflict=mode)  # type: ignore[arg-type]
    assert len(fake.users) == 3
    assert report.created == 1
    if mode == "skip":
        assert (report.skipped, report.updated, report.failed) == (2, 0, 0)
        assert fake.user("user0@example.com")["first_name"] == "Old"
    elif mode == "update":
        assert (report.skipped, report.updated, report.failed) == (1, 1, 0)
        assert fake.user("user0@example.com")["first_name"] == "User0"
        assert fake.stats.requests[f"PUT {USERS}/{{id}}"] == 1
    else:
        assert (report.skipped, report.failed) == (0, 2)
        assert {o.error_type for o in report.failures} == {"UserExists"}


async def test_an_external_id_held_by_another_user_fails_the_row() -> None:
    fake = FakeWorkOS()
    other = fake.add_user("other@example.com", external_id="crm-9")
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(
            [{"email": "new@example.com", "external_id": "crm-9"}]
        )
    assert report.failed == 1
    assert report.failures[0].error_type == "ConflictError"
    assert other["id"] in str(report.failures[0].message)
    assert len(fake.users) == 1


@pytest.mark.parametrize("honour_keys", [True, False])
async def test_lost_answers_are_settled_without_duplicates(honour_keys: bool) -> None:
    fake = FakeWorkOS(honour_idempotency_keys=honour_keys)
    fake.faults.add("POST", USERS, drop="after", fraction=0.15, times=None)
    fake.faults.add("POST", USERS, status=502, fraction=0.1, times=None)
    fake.faults.add("POST", USERS, timeout=True, fraction=0.05, times=None)
    async with async_fake_client(fake) as client:
        first = await client.users.import_users(rows(60), concurrency=8)
        assert emails(fake) == sorted(f"user{i}@example.com" for i in range(60))
        assert (first.created, first.failed) == (60, 0), first.failures
        second = await client.users.import_users(rows(60), concurrency=8)
    assert (second.created, second.skipped, second.failed) == (0, 60, 0)
    assert len(fake.users) == 60
    if honour_keys:
        assert fake.stats.idempotent_replays > 0


async def test_already_exists_in_its_other_forms_is_recognised() -> None:
    fake = FakeWorkOS()
    fake.add_user("user0@example.com")
    fake.add_user("user1@example.com")
    conflict = {"code": "user_already_exists", "message": "User already exists."}
    fake.faults.add("POST", USERS, status=409, body=conflict, json={"email": "user0@example.com"})
    taken = {"code": "email_not_available", "message": "This email is not available."}
    fake.faults.add("POST", USERS, status=422, body=taken, json={"email": "user1@example.com"})
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(rows(2))
    assert (report.skipped, report.failed) == (2, 0)


async def test_a_journal_resumes_where_the_last_run_stopped(tmp_path: Path) -> None:
    fake = FakeWorkOS()
    journal = tmp_path / "import.journal"
    async with async_fake_client(fake) as client:
        first = await client.users.import_users([*rows(10), {"email": "bad"}], journal=journal)
        assert (first.created, first.failed) == (10, 1)
        requests = fake.stats.total
        second = await client.users.import_users([*rows(15), {"email": "bad"}], journal=journal)
    assert (second.resumed, second.created, second.failed) == (10, 5, 1)
    assert fake.stats.total - requests == 5  # finished rows are not even looked up
    lines = journal.read_text().splitlines()
    assert json.loads(lines[0]) == {"journal": "workos-authkit import", "version": 1}
    assert len(lines) == 1 + 11 + 6
    assert SECRET not in journal.read_text()


async def test_memberships_are_created_once(tmp_path: Path) -> None:
    fake = FakeWorkOS()
    acme = fake.add_organization("Acme")["id"]
    globex = fake.add_organization("Globex")["id"]
    data = rows(4, memberships=f"{globex}:admin")
    fake.faults.add("POST", "/user_management/organization_memberships", drop="after", times=2)
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(data, organization_id=acme, role_slug="member")
        assert (report.created, report.failed, report.memberships_created) == (4, 0, 8)
        again = await client.users.import_users(data, organization_id=acme)
    assert (again.skipped, again.failed, again.memberships_created) == (4, 0, 0)
    assert len(fake.memberships) == 8
    roles = sorted(m["role"]["slug"] for m in fake.memberships.values())
    assert roles == ["admin"] * 4 + ["member"] * 4


async def test_a_failed_membership_fails_the_row_and_a_rerun_completes_it() -> None:
    fake = FakeWorkOS()
    org = fake.add_organization("Acme")["id"]
    async with async_fake_client(fake) as client:
        report = await client.users.import_users(rows(2), organization_id="org_missing")
        assert report.failed == 2
        assert report.failures[0].user_id is not None
        again = await client.users.import_users(rows(2), organization_id=org)
    assert (again.skipped, again.failed, again.memberships_created) == (2, 0, 2)


async def test_progress_dry_run_and_async_iterables() -> None:
    fake = FakeWorkOS()
    seen: list[ImportProgress] = []

    async def source() -> AsyncIterator[dict[str, Any]]:
        for row in [*rows(5), {"email": "bad"}]:
            yield row

    async with async_fake_client(fake) as client:
        dry = await client.users.import_users(source(), dry_run=True, total=6)
        assert (dry.valid, dry.failed, dry.requests) == (5, 1, 0)
        assert fake.stats.total == 0
        report = await client.users.import_users(source(), on_progress=seen.append, total=6)
    assert report.created == 5
    assert [p.done for p in seen] == [1, 2, 3, 4, 5, 6]
    assert seen[-1].failed == 1
    assert seen[-1].total == 6


async def test_arguments_are_checked_before_anything_is_read() -> None:
    fake = FakeWorkOS()
    async with async_fake_client(fake) as client:
        for kwargs in ({"concurrency": 0}, {"on_conflict": "merge"}, {"role_slug": "admin"}):
            with pytest.raises(InvalidArgumentError):
                await client.users.import_users(rows(1), **kwargs)
    assert fake.stats.total == 0


async def test_passwords_and_hashes_stay_out_of_reprs() -> None:
    row = UserImport(email="a@example.com", password=SECRET)
    hashed = UserImport(email="b@example.com", password_hash=BCRYPT, password_hash_type="bcrypt")
    assert SECRET not in repr(row)
    assert BCRYPT not in repr(hashed)
