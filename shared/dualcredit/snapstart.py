"""SnapStart runtime hooks for the functions the template publishes with SnapStart
(the API and the Stripe webhook; template parameter SnapStart).

Lambda initialises a published version once, runs the before-snapshot hooks, and
snapshots the environment; each new environment is restored from that snapshot and runs
the after-restore hooks before its first request. So:

- before the snapshot, do the work every first request would otherwise pay for, without
  calling AWS or reading a secret: the clients made, libraries imported, and the
  function's own warm-up (the API builds every route's validation), and every
  module the lazy packages would load on first use (`lazy.load_all`);
- after a restore, drop what restored environments must not share: pooled connections,
  cached secrets, and the seed of `random` (ids and tokens come from `secrets`/`uuid4`,
  which read the OS's entropy, so they differ per environment anyway).

Idempotency records live in DynamoDB, not in memory, so a snapshot holds none.
`snapshot_restore_py` is the Lambda runtime's registry (a dev dependency here).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

from snapshot_restore_py import register_after_restore, register_before_snapshot

from dualcredit import lazy
from dualcredit.dal import aws, secrets


def before_snapshot(services: tuple[str, ...], warm: Callable[[], object]) -> None:
    aws.prepare(*services)
    lazy.load_all()
    warm()


def after_restore() -> None:
    aws.close_connections()
    secrets.forget()
    random.seed()


def register(*, services: Iterable[str], warm: Callable[[], object]) -> None:
    """Register the two hooks for a function: `services` are the AWS clients its first
    request uses, `warm` its own preparation (no AWS request, no secret)."""
    register_before_snapshot(before_snapshot, tuple(services), warm)
    register_after_restore(after_restore)
