# source-of-truth: async
"""Concurrent user import: the awaiting part of ``users.import_users``.

Rows are read one at a time, checked (``_bulk.plan.Admission``) and queued to a bounded worker
group (``AsyncWorkerGroup``: a task group here, threads in the sync twin), so memory stays
bounded whatever the input's size. Every request goes through the client's shared rate limiter
and retry middleware.

Exactly once: a create whose outcome is unknown (timeout, connection dropped after sending,
5xx) is settled by looking the user up (by email, then by ``external_id``) and, when it is not
there, resending it with the same ``Idempotency-Key``; an "already exists" answer is settled by
the same lookup. Memberships follow the same rule. The decisions are pure
(``_bulk.reconcile``); this module only awaits.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Sized
from os import PathLike
from typing import TYPE_CHECKING, cast

import attrs

from .._bulk import reconcile
from .._bulk.journal import Journal
from .._bulk.plan import (
    ROW_ATTEMPTS,
    SETTLE_ROUNDS,
    Admission,
    Job,
    OnConflict,
    RowFailed,
    RowState,
    check_settings,
    safe_message,
)
from .._bulk.report import ImportProgress, ImportReport, RowOutcome, Tally
from .._bulk.rows import ImportRow, Membership, UserImport
from .._concurrency import AsyncWorkerGroup, async_checkpoint
from .._types import RequestOptions
from ..errors import (
    APIConnectionError,
    APIError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
)
from ..models import User

if TYPE_CHECKING:
    from .client import AsyncWorkOS


class AsyncUserImporter:
    """One import run through one client. Use ``users.import_users``."""

    def __init__(
        self,
        client: AsyncWorkOS,
        *,
        concurrency: int,
        on_conflict: OnConflict,
        organization_id: str | None,
        role_slug: str | None,
        on_progress: Callable[[ImportProgress], object] | None,
        dry_run: bool,
        journal: str | PathLike[str] | None,
        total: int | None,
    ) -> None:
        check_settings(
            concurrency=concurrency,
            on_conflict=on_conflict,
            organization_id=organization_id,
            role_slug=role_slug,
        )
        # Bulk work waits for the rate limit as long as it takes: no per-call deadline (each
        # attempt keeps its timeout, and waits stay bounded by the retry budgets).
        self._client = client.with_options(deadline=None)
        self._users = self._client.users
        self._clock = client._http._clock
        self._retry = client._config.retry
        self._concurrency = concurrency
        self._on_conflict = on_conflict
        self._organization_id = organization_id
        self._role_slug = role_slug
        self._on_progress = on_progress
        self._dry_run = dry_run
        self._journal_path = journal
        self._total = total
        self._journal: Journal | None = None
        self._tally: Tally | None = None
        self._window = reconcile.CreationWindow(self._clock.monotonic())
        self._pending: list[tuple[RowOutcome, float]] = []

    async def run(
        self,
        rows: Iterable[ImportRow] | AsyncIterable[ImportRow],
    ) -> ImportReport:
        total = self._total
        if total is None and isinstance(rows, Sized):
            total = len(rows)
        journal = self._journal = Journal(self._journal_path) if self._journal_path else None
        tally = self._tally = Tally(total=total, on_progress=self._on_progress)
        admission = Admission(
            organization_id=self._organization_id,
            role_slug=self._role_slug,
            done=journal.done.__contains__ if journal is not None else lambda email: False,
        )
        stats = self._client.transport_stats
        before = (stats.attempts, stats.retries, stats.rate_limited, stats.waited)
        try:
            async with AsyncWorkerGroup(
                self._work, workers=self._concurrency, backlog=2 * self._concurrency
            ) as group:
                number = 0
                # no async generator of our own in between: nothing is left unclosed when
                # the import is cancelled
                if hasattr(rows, "__aiter__"):  # the sync twin takes plain iterables only
                    async for raw in cast(AsyncIterable[object], rows):
                        number += 1
                        await self._take(group, admission, number, raw)
                else:
                    for raw in cast(Iterable[object], rows):
                        number += 1
                        await self._take(group, admission, number, raw)
            self._settle_pending()
        finally:
            if journal is not None:
                journal.close()
        return tally.report(
            requests=stats.attempts - before[0],
            retries=stats.retries - before[1],
            rate_limited=stats.rate_limited - before[2],
            waited=stats.waited - before[3],
            dry_run=self._dry_run,
        )

    async def _take(
        self, group: AsyncWorkerGroup[Job], admission: Admission, number: int, raw: object
    ) -> None:
        """Check one record, then queue it (waits while the queue is full) or settle it."""
        item = admission.admit(number, raw)
        if isinstance(item, RowOutcome):
            self._finish(item)
        elif self._dry_run:
            self._finish(item.outcome("valid"))
        else:
            await group.put(item)
        if number % 256 == 0:
            await async_checkpoint()

    def _finish(self, outcome: RowOutcome) -> None:
        assert self._tally is not None
        if self._journal is not None:
            self._journal.record(outcome)
        self._tally.add(outcome)

    def _settle_pending(self) -> None:
        """Rows whose user may have been created by a lost attempt of ours: decide now."""
        for outcome, created_at in self._pending:
            if self._window.ours(created_at):
                self._finish(attrs.evolve(outcome, status="created"))
            elif self._on_conflict == "error":
                message = f"a user with this email exists ({outcome.user_id})"
                self._finish(
                    attrs.evolve(outcome, status="failed", error_type="UserExists", message=message)
                )
            else:
                self._finish(attrs.evolve(outcome, status="skipped"))
        self._pending.clear()

    async def _work(self, job: Job) -> None:
        state = RowState()
        try:
            outcome = await self._import(job, state)
        except RowFailed as exc:
            outcome = job.outcome(
                "failed",
                user_id=exc.user_id or state.user_id,
                error_type=exc.error_type,
                message=safe_message(exc),
                memberships=state.memberships_created,
            )
        except Exception as exc:  # unexpected: this row fails, the import goes on
            outcome = job.outcome(
                "failed",
                user_id=state.user_id,
                error_type=type(exc).__name__,
                message=safe_message(exc),
                memberships=state.memberships_created,
            )
        except BaseException:  # cancelled (Ctrl-C): the next run settles it by lookup
            if state.status == "pending":
                state.status = None
            self._finish(
                job.outcome(
                    "unknown",
                    user_id=state.user_id,
                    message="interrupted while in flight; the next run settles it",
                )
            )
            raise
        if state.status == "pending" and state.created_at is not None:
            self._pending.append((outcome, state.created_at))  # decided at the end
        else:
            self._finish(outcome)

    async def _import(self, job: Job, state: RowState) -> RowOutcome:
        """Import one row, trying again after transient failures (state carries over)."""
        attempt = 0
        while True:
            try:
                if state.status is None:
                    user, state.status = await self._ensure_user(job.row, state)
                    state.user_id = user.id
                assert state.user_id is not None
                for membership in job.row.memberships:
                    if membership.organization_id not in state.memberships_done:
                        await self._ensure_membership(state.user_id, membership, state)
                return job.outcome(
                    "unknown" if state.status == "pending" else state.status,
                    user_id=state.user_id,
                    memberships=state.memberships_created,
                )
            except (RateLimitError, ServerError, APIConnectionError) as exc:
                attempt += 1
                if attempt >= ROW_ATTEMPTS:
                    raise RowFailed(type(exc).__name__, safe_message(exc)) from exc
                await self._clock.sleep(self._retry.backoff(attempt))

    async def _ensure_user(self, row: UserImport, state: RowState) -> tuple[User, str]:
        arguments = row.create_arguments()
        if state.first_sent is None:
            state.first_sent = self._clock.monotonic()
        for _ in range(SETTLE_ROUNDS):
            options = None if state.key is None else RequestOptions(idempotency_key=state.key)
            try:
                user = await self._users.create(**arguments, options=options)
                self._window.observe(user, state.first_sent)
                return user, "created"
            except OutcomeUnknownError as exc:
                # Look it up first; found or not, the resend with the same key settles it (a
                # server that honours the key replays the lost answer; one that does not
                # refuses the taken email, which the branch below reads).
                state.key, state.ambiguous = exc.idempotency_key, True
                await self._lookup(row)
            except (RateLimitError, ServerError):
                raise  # transient: the row is tried again
            except APIError as exc:
                if not reconcile.user_exists(exc):
                    raise RowFailed(type(exc).__name__, safe_message(exc)) from exc
                found = await self._lookup(row)
                if found is None:
                    raise RowFailed(
                        type(exc).__name__,
                        f"the server says the user exists, but no user has this email: "
                        f"{safe_message(exc)}",
                    ) from exc
                if (
                    state.ambiguous
                    and not reconcile.replayed(exc)
                    and reconcile.matches(row, found)
                ):
                    # Ours, or there before us: the server ignored the key. Decided at the end
                    # of the run, when the import's start in server time is best known.
                    state.created_at = found.created_at.timestamp()
                    return found, "pending"
                return await self._settle_existing(row, found)
        raise RowFailed(
            "OutcomeUnknownError",
            f"the create's outcome stayed unknown after {SETTLE_ROUNDS} lookups and resends",
        )

    async def _lookup(self, row: UserImport) -> User | None:
        """The user with this row's email; else, with its external_id (which must be free)."""
        page = await self._users.list(email=row.email, limit=1).first_page()
        if page.data:
            return page.data[0]
        if row.external_id is None:
            return None
        try:
            other = await self._users.get_by_external_id(row.external_id)
        except NotFoundError:
            return None
        raise RowFailed(
            "ConflictError",
            f"external_id {row.external_id!r} belongs to another user ({other.id}) with "
            "another email",
        )

    async def _settle_existing(self, row: UserImport, user: User) -> tuple[User, str]:
        """A user with this email existed before this import: ``on_conflict`` decides."""
        if self._on_conflict == "skip":
            return user, "skipped"
        if self._on_conflict == "error":
            raise RowFailed("UserExists", f"a user with this email exists ({user.id})")
        changes = reconcile.changes(row, user)
        if not changes:
            return user, "skipped"
        try:
            return await self._users.update(user.id, **changes), "updated"
        except (RateLimitError, ServerError, APIConnectionError):
            raise
        except APIError as exc:
            raise RowFailed(type(exc).__name__, safe_message(exc), user_id=user.id) from exc

    async def _ensure_membership(
        self, user_id: str, membership: Membership, state: RowState
    ) -> None:
        org = membership.organization_id
        for _ in range(SETTLE_ROUNDS):
            key = state.membership_keys.get(org)
            try:
                await self._create_membership(user_id, membership, key)
            except OutcomeUnknownError as exc:
                if exc.idempotency_key is not None:
                    state.membership_keys[org] = exc.idempotency_key
                if await self._has_membership(user_id, org):
                    break  # the lost attempt made it
                continue
            except (RateLimitError, ServerError):
                raise
            except APIError as exc:
                if reconcile.membership_exists(exc):
                    if org in state.membership_keys and not reconcile.replayed(exc):
                        # ours, from an attempt we could not see
                        state.memberships_created += 1
                    state.memberships_done.add(org)
                    return
                raise RowFailed(
                    type(exc).__name__,
                    f"the user is imported; membership in {org} failed: {safe_message(exc)}",
                    user_id=user_id,
                ) from exc
            break
        else:
            raise RowFailed(
                "OutcomeUnknownError",
                f"the user is imported; the membership in {org} stayed unknown",
                user_id=user_id,
            )
        state.memberships_created += 1
        state.memberships_done.add(org)

    async def _create_membership(
        self, user_id: str, membership: Membership, key: str | None
    ) -> None:
        await self._client.organization_memberships.create(
            user_id=user_id,
            organization_id=membership.organization_id,
            role_slug=membership.role_slug,
            options=None if key is None else RequestOptions(idempotency_key=key),
        )

    async def _has_membership(self, user_id: str, organization_id: str) -> bool:
        pager = self._client.organization_memberships.list(
            user_id=user_id, organization_id=organization_id, limit=1
        )
        return bool((await pager.first_page()).data)
