"""Access tokens: signing keys (derived from the seed), the JWKS, token claims."""

from __future__ import annotations

from typing import Any

from .._keys import SigningKey, signing_key
from .._util import not_found
from .records import JSON
from .router import Auth, Params, Request, route
from .state import FakeState


class TokenRoutes(FakeState):
    @property
    def signing_key(self) -> SigningKey:
        return signing_key(self._seed, self._key_generation)

    def rotate_signing_key(self, *, keep_previous: bool = True) -> str:
        """Sign new tokens with a fresh key (derived from the seed); returns the new kid.

        With ``keep_previous`` the old public key stays in the JWKS so existing tokens still verify.
        """
        with self._lock:
            if keep_previous:
                self._retired_generations = [self._key_generation]
            else:
                self._retired_generations = []
            self._key_generation += 1
            return self.signing_key.kid

    def jwks(self) -> JSON:
        keys = [self.signing_key.jwk]
        keys += [signing_key(self._seed, g).jwk for g in self._retired_generations]
        return {"keys": keys}

    def _access_token(self, session: JSON) -> str:
        import jwt  # PyJWT, a dependency of the SDK

        now = int(self._now())
        uid = session["user_id"]
        org_id = self._session_org.get(session["id"])
        claims: JSON = {
            "iss": self.issuer,
            "sub": uid,
            "sid": session["id"],
            "jti": self.ids.new("jti").removeprefix("jti_"),
            "iat": now,
            "auth_time": self._auth_time.get(session["id"], now),
            "exp": now + int(self.settings.access_token_lifetime),
        }
        if org_id is not None:
            claims["org_id"] = org_id
            m = self._find_membership(uid, org_id)
            if m is not None:
                slugs = [r["slug"] for r in m["roles"]]
                claims["role"] = slugs[0]
                claims["roles"] = slugs
                perms = (p for s in slugs for p in self.settings.roles.get(s, []))
                claims["permissions"] = list(dict.fromkeys(perms))
        key = self.signing_key
        return jwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})

    @route("GET", "/sso/jwks/{clientId}", "SsoController_jsonWebKeySet", auth=Auth.API_KEY_IF_SENT)
    def _jwks(self, req: Request, p: Params) -> Any:
        if p["clientId"] != self.client_id:
            raise not_found("Client", p["clientId"])
        return self.jwks()
