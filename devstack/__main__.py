"""`make dev`: the whole system locally, no AWS account and no network.

    uv run python -m devstack [--port 3000] [--moto-port 5001] [--stripe-port 5002]
                              [--clock 2027-01-15T10:00:00-08:00]

Environment defaults: DEVSTACK_PORT, DEVSTACK_MOTO_PORT, DEVSTACK_STRIPE_PORT, CLOCK_OVERRIDE.

Payments go to the local Stripe stand-in (test checkout pages, signed webhooks to
the gateway). With STRIPE_SECRET_KEY=sk_test_... and STRIPE_WEBHOOK_SECRET=whsec_...
set, they go to Stripe's test mode instead; its webhooks then need
`stripe listen --forward-to <site>/api/stripe/webhook`.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import warnings


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devstack", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("DEVSTACK_PORT", 3000)),
        help="site and API port (default 3000, env DEVSTACK_PORT; 0 = any free port)",
    )
    parser.add_argument(
        "--moto-port",
        type=int,
        default=int(os.environ.get("DEVSTACK_MOTO_PORT", 5001)),
        help="moto server port (default 5001, env DEVSTACK_MOTO_PORT; 0 = any free port)",
    )
    parser.add_argument(
        "--stripe-port",
        type=int,
        default=int(os.environ.get("DEVSTACK_STRIPE_PORT", 5002)),
        help="Stripe stand-in port (default 5002, env DEVSTACK_STRIPE_PORT; 0 = any free port)",
    )
    parser.add_argument(
        "--host",
        default=os.environ.get("DEVSTACK_HOST", "127.0.0.1"),
        help="address to listen on (default 127.0.0.1)",
    )
    parser.add_argument(
        "--clock",
        default=os.environ.get("CLOCK_OVERRIDE") or None,
        help="pretend it is this ISO date-time (env CLOCK_OVERRIDE), "
        "e.g. 2027-01-15T10:00:00-08:00",
    )
    parser.add_argument("--no-seed", action="store_true", help="start empty, without demo data")
    parser.add_argument("--quiet", action="store_true", help="no request log lines")
    return parser.parse_args(argv)


def _banner(stack) -> str:
    from devstack import totp

    lines = [
        "",
        "CTE Dual Credit is running locally (moto, no AWS account, no network).",
        "",
        f"  Site          {stack.site_url}/",
        f"  API           {stack.site_url}/api   (e.g. {stack.site_url}/api/schools)",
        f"  Emails        {stack.site_url}/_dev/emails   (JSON: /_dev/emails.json)",
        f"  Schedules     {stack.site_url}/_dev/schedules"
        "   (open, close, remind: run when due on the app's",
        "                clock, or now from that page;"
        " the reminder queue is polled as Lambda does)",
        f"  Front-end cfg {stack.site_url}/_dev/config.json",
        f"  moto          {stack.moto_url}   (dashboard: {stack.moto_url}/moto-api/)",
        f"  User pool     {stack.user_pool_id}   app client {stack.client_id}   (students)",
        f"  Invited pool  {stack.invited_user_pool_id}   app client {stack.invited_client_id}"
        "   (staff, school users: TOTP required)",
    ]
    if stack.stripe is not None:
        lines += [
            f"  Stripe        {stack.stripe_url}"
            "   (local stand-in: test checkout pages, no card charged;",
            f"                webhooks go to {stack.site_url}/api/stripe/webhook)",
        ]
    elif stack.stripe_keys is not None:
        lines += [
            f"  Stripe        test mode at api.stripe.com (key {stack.stripe_keys.masked_key})",
            "                Webhooks cannot reach this machine by themselves: run",
            f"                stripe listen --forward-to {stack.site_url}/api/stripe/webhook",
            "                and set STRIPE_WEBHOOK_SECRET to the whsec_... it prints.",
        ]
        if os.environ.get("CLOCK_OVERRIDE"):
            lines.append(
                "                Note: Stripe dates sessions by real time, so with --clock it may "
                "refuse the app's expires_at."
            )
    if os.environ.get("CLOCK_OVERRIDE"):
        lines.append(f"  Clock         {os.environ['CLOCK_OVERRIDE']} (CLOCK_OVERRIDE)")
    if stack.seeded is not None:
        lines += ["", "Demo accounts (sign in with email and password):"]
        for account in stack.seeded.accounts:
            lines.append(
                f"  {account.role:<8} {account.email:<22} {account.password:<20} {account.note}"
            )
        lines += ["", "Their authenticator (staff and school accounts ask for a TOTP code):"]
        for account in stack.seeded.accounts:
            if account.totp_secret:
                lines.append(
                    f"  {account.role:<8} secret {account.totp_secret}   (code now: "
                    f"{totp.code(account.totp_secret)})"
                )
                lines.append(f"           {totp.uri(account.totp_secret, account.email)}")
        lines += [
            "",
            f"Seeded {len(stack.seeded.schools)} schools, {len(stack.seeded.courses)} college "
            f"courses, {len(stack.seeded.offerings)} offerings for "
            f"{' and '.join(stack.seeded.school_years)}.",
        ]
        if stack.seeded.registration is not None:
            lines.append(
                f"To pay: sign in as the student and press Pay, or pay by SERS ID and birth date "
                f"at {stack.site_url}/pay."
            )
        else:
            lines.append(
                "The demo student has no registration: this school year's window is not open "
                "(try --clock 2027-01-15T10:00:00-08:00)."
            )
    lines += ["", "Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's per-request lines

    from devstack.errors import StackError
    from devstack.stack import DualCreditStack
    from devstack.stripe_setup import StripeTestKeys

    try:
        stripe_keys = StripeTestKeys.from_environment()
    except StackError as error:
        print(f"devstack: {error}", file=sys.stderr)
        return 1
    stack = DualCreditStack(
        port=args.port,
        moto_port=args.moto_port,
        stripe_port=args.stripe_port,
        host=args.host,
        seed=not args.no_seed,
        quiet=args.quiet,
        clock_override=args.clock,
        stripe_keys=stripe_keys,
    )
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack.start()
    except (StackError, OSError) as error:
        print(f"devstack: cannot start: {error}", file=sys.stderr)
        return 1
    try:
        print(_banner(stack), flush=True)
        while not stopping.wait(1):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C (or a process-group signal) must not cut the shutdown short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nStopping...", flush=True)
        stack.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
