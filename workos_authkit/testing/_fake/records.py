"""The fake's records: its settings, the emails it "sends", and the private records of sign-in
flows (pending authentications, authorization codes, device codes, one-time-use counters)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["JSON", "AuthCode", "Device", "EmailKind", "OneTime", "Pending", "SentEmail", "Settings"]

JSON = dict[str, Any]
EmailKind = Literal["magic_auth", "email_verification", "password_reset", "invitation"]

PROVIDERS_OAUTH = {
    "AppleOAuth",
    "BitbucketOAuth",
    "GitHubOAuth",
    "GitLabOAuth",
    "GoogleOAuth",
    "IntuitOAuth",
    "LinkedInOAuth",
    "MicrosoftOAuth",
    "SalesforceOAuth",
    "SlackOAuth",
    "VercelMarketplaceOAuth",
    "VercelOAuth",
    "XeroOAuth",
}


@dataclass
class Settings:
    """Environment settings of the fake (what the WorkOS dashboard would configure)."""

    require_email_verification: bool = False
    """Unverified users get ``email_verification_required`` on sign-in (magic auth excepted)."""
    mfa_challenge_enrolled_users: bool = False
    """Users with an enrolled TOTP factor get ``mfa_challenge`` on sign-in."""
    require_mfa_enrollment: bool = False
    """Users without a factor get ``mfa_enrollment`` on sign-in."""
    organization_selection: bool = False
    """Users with several active memberships and no ``organization_id`` must select one."""
    password_min_length: int = 8
    multiple_roles: bool = False
    roles: dict[str, list[str]] = field(
        default_factory=lambda: {"member": [], "admin": ["users:read", "users:write"]}
    )
    default_role: str = "member"
    device_flow_enabled: bool = True
    allowed_redirect_uris: list[str] | None = None
    """``None`` accepts any redirect URI at ``/user_management/authorize``."""
    access_token_lifetime: float = 300.0
    session_lifetime: float = 30 * 86400.0
    magic_auth_lifetime: float = 600.0
    email_verification_lifetime: float = 600.0
    password_reset_lifetime: float = 1800.0
    authorization_code_lifetime: float = 600.0
    pending_token_lifetime: float = 600.0
    device_code_lifetime: float = 300.0
    device_poll_interval: float = 5.0
    one_time_code_max_attempts: int = 5


@dataclass(frozen=True)
class SentEmail:
    """An email the fake "sent". ``code`` or ``token`` carries the secret the user would receive."""

    kind: EmailKind
    to: str
    object_id: str
    code: str | None = None
    token: str | None = None
    url: str | None = None
    at: float = 0.0


@dataclass
class Pending:
    user_id: str
    method: str
    org_id: str | None
    expires: float
    stage: str
    done: frozenset[str]
    ip: str | None
    ua: str | None
    used: bool = False
    email_verification_id: str | None = None


@dataclass
class AuthCode:
    user_id: str
    method: str
    expires: float
    redirect_uri: str
    challenge: str | None
    org_id: str | None
    skip: frozenset[str] = frozenset()
    used: bool = False


@dataclass
class Device:
    device_code: str
    user_code: str
    expires: float
    interval: float
    last_poll: float | None = None
    approved_user: str | None = None
    denied: bool = False
    used: bool = False


@dataclass
class OneTime:
    used: bool = False
    attempts: int = 0
