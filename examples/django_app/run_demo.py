"""``make demo-django``: the Django example against the built-in fake AuthKit server.

Without ``WORKOS_API_KEY`` it starts the fake on loopback with a demo user and sets the WORKOS_*
variables for it; with it, the real settings come from the environment.

    python examples/django_app/run_demo.py [--port 8001]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

DEMO_EMAIL = "ada@example.com"
DEMO_PASSWORD = "correct horse battery staple"


@contextlib.contextmanager
def fake_environment(port: int) -> Iterator[None]:
    if os.environ.get("WORKOS_API_KEY"):
        yield
        return
    from workos_authkit.testing import FakeWorkOS

    fake = FakeWorkOS()
    org = fake.add_organization("Acme")
    user = fake.add_user(DEMO_EMAIL, password=DEMO_PASSWORD, first_name="Ada")
    fake.add_membership(user["id"], org["id"], role_slug="admin")
    with fake.serve() as base_url:
        print(f"Fake AuthKit server on {base_url}: sign in as {DEMO_EMAIL} / {DEMO_PASSWORD}")
        os.environ.update(
            WORKOS_BASE_URL=base_url,
            WORKOS_API_KEY=fake.api_key,
            WORKOS_CLIENT_ID=fake.client_id,
            WORKOS_REDIRECT_URI=f"http://127.0.0.1:{port}/auth/callback/",
            WORKOS_COOKIE_PASSWORD=secrets.token_urlsafe(32),
        )
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The Django AuthKit example on loopback")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_site.settings")
    with fake_environment(args.port):
        import django
        from django.core.management import call_command

        django.setup()
        print(f"Open http://127.0.0.1:{args.port}/ (Ctrl-C to stop)", flush=True)
        call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
