"""The ``workos-authkit`` console script: a small dispatcher over argparse subcommands."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

Command = Callable[[argparse.Namespace], int]


def _load_seed(path: str) -> dict[str, Any]:
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith((".yaml", ".yml")):
        import yaml  # the `testing` extra; imported only when a YAML seed is given

        data = yaml.safe_load(text)
    else:
        data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("the seed file must hold a mapping with users, organizations, memberships")
    return data


def _fake_server(args: argparse.Namespace) -> int:
    from workos_authkit.testing import FakeWorkOS
    from workos_authkit.testing._server import serve

    fake = FakeWorkOS(rng_seed=args.rng_seed)
    if args.seed:
        try:
            fake.seed(_load_seed(args.seed))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            print(f"workos-authkit: cannot load seed {args.seed}: {exc}", file=sys.stderr)
            return 2
    if args.default_user:
        fake.default_user = args.default_user
    try:
        with serve(fake, args.host, args.port, allow_remote=args.allow_remote) as base_url:
            print(f"FakeWorkOS listening on {base_url}", flush=True)
            print(f"WORKOS_BASE_URL={base_url}", flush=True)
            print(f"WORKOS_API_KEY={fake.api_key}", flush=True)
            print(f"WORKOS_CLIENT_ID={fake.client_id}", flush=True)
            stop = threading.Event()
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                print("stopping", file=sys.stderr)
    except ValueError as exc:  # non-loopback host refused
        print(f"workos-authkit: {exc} (pass --allow-remote to bind it anyway)", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"workos-authkit: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    return 0


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workos-authkit", description="WorkOS AuthKit SDK tools.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    fake = sub.add_parser("fake-server", help="run the in-memory fake AuthKit server over HTTP")
    fake.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    fake.add_argument(
        "--port", type=int, default=4100, help="port (default 4100; 0 = any free port)"
    )
    fake.add_argument(
        "--seed", metavar="FILE", help="JSON or YAML file of users, organizations, memberships"
    )
    fake.add_argument("--rng-seed", default="0", help="seed for ids, secrets and the signing key")
    fake.add_argument(
        "--default-user", metavar="EMAIL", help="sign this user in at /user_management/authorize"
    )
    fake.add_argument(
        "--allow-remote", action="store_true", help="allow binding a non-loopback host"
    )
    fake.set_defaults(func=_fake_server)
    from ._bulk.cli import add_parser

    add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    func: Command | None = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
