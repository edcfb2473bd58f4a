"""Next-step data carried by authentication-flow errors (see ``workos_authkit.errors``)."""

from __future__ import annotations

import attrs


@attrs.frozen(kw_only=True)
class AuthenticationFactorRef:
    """A factor the user may be challenged on (``mfa_challenge``)."""

    id: str
    type: str


@attrs.frozen(kw_only=True)
class OrganizationRef:
    """An organization the user may sign in to (``organization_selection_required``)."""

    id: str
    name: str


@attrs.frozen(kw_only=True)
class AuthMethods:
    """The sign-in methods an organization allows (``organization_authentication_methods_required``)."""

    apple_oauth: bool = False
    github_oauth: bool = False
    google_oauth: bool = False
    magic_auth: bool = False
    microsoft_oauth: bool = False
    password: bool = False
