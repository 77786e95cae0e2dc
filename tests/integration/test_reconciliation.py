"""The daily reconciliation, the webhook's backstop: the scheduled function reads Stripe's
events back (the stand-in's `GET /v1/events`) and applies those the webhook never got,
through the same once-per-event processing. An outage is played by holding the
stand-in's deliveries and dropping them, as a webhook that never answered."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from devstack import iam
from dualcredit import rules
from tests.support.events import LambdaContext
from tests.support.world import STAFF, World, with_alice_registered

REPO = Path(__file__).resolve().parents[2]
IN_WINDOW = "2027-01-15T10:00:00-08:00"


@pytest.fixture
def reconcile():
    spec = importlib.util.spec_from_file_location(
        "scheduled_reconcile", REPO / "functions" / "scheduled" / "app.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run() -> dict:
        return iam.guarded_handler(module)(
            {"action": "reconcile"}, LambdaContext(function_name="scheduled")
        )

    return run


@pytest.fixture
def world(api, clock, stripe_standin) -> World:
    clock(IN_WINDOW)
    built = with_alice_registered(api)
    for name in ("bob", "carol", "dave"):
        student = built.student(name, last_name=name.title())
        built.ok(
            "POST",
            "/students/me/registrations",
            as_=student,
            body={"offering_ids": [built.offering_x]},
        )
    return built


def _pay(api, world, standin, name: str) -> str:
    student = world.students[name]
    session_id = api("POST", "/students/me/checkout", as_=student, body={})[1]["session_id"]
    standin.pay(session_id)
    return standin.sessions[session_id]["payment_intent"]


def _status(api, world, name: str) -> str:
    years = api("GET", "/students/me/dashboard", as_=world.students[name])[1]["years"]
    return {y["school_year"]: y for y in years}["2026-27"]["fee_status"]


def _receipts(sent_emails) -> list:
    return [mail for mail in sent_emails() if "Receipt" in mail[1]]


class Outage:
    """The webhook is down: Stripe's deliveries of what happens meanwhile never arrive."""

    def __init__(self, standin):
        self.standin = standin
        self.withheld: list[dict] = []

    def __enter__(self) -> Outage:
        self.standin.auto_deliver = False
        return self

    def __exit__(self, *_: object) -> None:
        self.withheld = self.standin.discard_pending()
        self.standin.auto_deliver = True


def test_events_withheld_from_the_webhook_are_applied_by_the_run_exactly_once(
    api, world, stripe_standin, sent_emails, reconcile
):
    # Given Alice and Dave paid while the webhook worked
    _pay(api, world, stripe_standin, "alice")
    dave = _pay(api, world, stripe_standin, "dave")
    delivered = len(stripe_standin.deliveries)
    # And during an outage Bob and Carol paid and Dave's payment was refunded whole
    with Outage(stripe_standin) as outage:
        _pay(api, world, stripe_standin, "bob")
        _pay(api, world, stripe_standin, "carol")
        stripe_standin.refund(dave)
    assert [e["type"] for e in outage.withheld] == [
        "checkout.session.completed",
        "checkout.session.completed",
        "charge.refunded",
    ]
    assert len(stripe_standin.deliveries) == delivered
    assert (_status(api, world, "bob"), _status(api, world, "dave")) == ("due", "paid")
    # When the daily reconciliation runs
    first = reconcile()
    # Then it applied exactly the three withheld events, and found the others applied
    assert (first["events_read"], first["applied"], first["already_applied"]) == (5, 3, 2)
    assert [_status(api, world, n) for n in ("alice", "bob", "carol", "dave")] == [
        "paid",
        "paid",
        "paid",
        "due",
    ]
    assert len(_receipts(sent_emails)) == 4  # Alice, Dave, then Bob and Carol
    # And a second run applies nothing twice
    second = reconcile()
    assert (second["events_read"], second["applied"], second["already_applied"]) == (5, 0, 5)
    assert len(_receipts(sent_emails)) == 4
    # And the webhook's late redelivery of a withheld event changes nothing either
    stripe_standin.redeliver(outage.withheld[0])
    assert len(_receipts(sent_emails)) == 4


def test_staff_see_each_run_newest_first(api, world, stripe_standin, reconcile):
    with Outage(stripe_standin):
        _pay(api, world, stripe_standin, "bob")
    reconcile()
    reconcile()
    status, runs = api("GET", "/payments/reconciliation", as_=STAFF)
    assert status == 200
    assert [(r["events_read"], r["applied"], r["already_applied"]) for r in runs] == [
        (1, 0, 1),
        (1, 1, 0),
    ]
    assert runs[1]["outcomes"] == {"settled fee": 1}
    assert runs[0]["days"] == rules.DEFAULT_RECONCILIATION_DAYS
    # And a student cannot
    assert api("GET", "/payments/reconciliation", as_=world.students["bob"])[0] == 403


def test_an_outage_of_almost_the_whole_window_loses_nothing(
    api, world, stripe_standin, clock, reconcile
):
    # Given Bob paid 2 days 23 hours ago, and Carol 3 days 1 hour ago, both unheard
    with Outage(stripe_standin):
        clock("2027-01-12T09:00:00-08:00")
        _pay(api, world, stripe_standin, "carol")
        clock("2027-01-12T11:00:00-08:00")
        _pay(api, world, stripe_standin, "bob")
    clock(IN_WINDOW)
    # When today's run reads its three days
    result = reconcile()
    # Then Bob's payment is applied; Carol's is outside the window (an earlier run had it)
    assert (result["events_read"], result["applied"]) == (1, 1)
    assert (_status(api, world, "bob"), _status(api, world, "carol")) == ("paid", "due")


def test_the_window_is_a_setting_up_to_stripes_thirty_days(
    api, world, stripe_standin, clock, reconcile, monkeypatch
):
    from dualcredit.settings import InvalidSettings, get_settings

    with Outage(stripe_standin):
        clock("2026-12-20T09:00:00-08:00")
        _pay(api, world, stripe_standin, "carol")
    clock(IN_WINDOW)
    monkeypatch.setenv("RECONCILIATION_DAYS", "30")
    get_settings.cache_clear()
    assert reconcile()["applied"] == 1
    assert _status(api, world, "carol") == "paid"
    monkeypatch.setenv("RECONCILIATION_DAYS", "31")
    get_settings.cache_clear()
    with pytest.raises(InvalidSettings):
        get_settings()


def test_the_run_follows_every_page_of_the_list(api, world, stripe_standin, reconcile, monkeypatch):
    # Given five events and pages of two (Stripe's page size is a rule the test shrinks)
    monkeypatch.setattr(rules, "EVENTS_PAGE_SIZE", 2)
    with Outage(stripe_standin):
        intents = [_pay(api, world, stripe_standin, n) for n in ("alice", "bob", "carol", "dave")]
        stripe_standin.refund(intents[0])
    result = reconcile()
    # Then all five were read, over three pages, and applied
    assert (result["events_read"], result["applied"]) == (5, 5)
    _, runs = api("GET", "/payments/reconciliation", as_=STAFF)
    assert runs[0]["pages"] == 3


def test_a_run_stripe_refuses_is_recorded_failed_and_retried(api, world, stripe_standin, reconcile):
    from dualcredit.dal import aws as aws_clients
    from dualcredit.dal import secrets
    from dualcredit.logic.reconciliation import ReconciliationIncomplete
    from tests.support import env

    with Outage(stripe_standin):
        _pay(api, world, stripe_standin, "bob")
    # Given the Stripe key in SSM is one Stripe does not know (a rotation half done)
    aws_clients.client("ssm").put_parameter(
        Name=env.STRIPE_SECRET_KEY_PARAMETER,
        Value="sk_test_rotated_away",
        Type="SecureString",
        Overwrite=True,
    )
    secrets.forget()
    # When the run cannot read the list, Then it fails (the scheduler retries it) ...
    with pytest.raises(ReconciliationIncomplete):
        reconcile()
    # ... and staff see the failed run
    _, runs = api("GET", "/payments/reconciliation", as_=STAFF)
    assert [(r["events_read"], r["applied"], r["failed"]) for r in runs] == [(0, 0, 1)]
    assert _status(api, world, "bob") == "due"


def test_an_event_the_webhook_is_applying_meanwhile_is_left_to_it(
    api, world, stripe_standin, reconcile, atomic_requests, monkeypatch
):
    import threading

    from dualcredit.logic import stripe_events

    # Given Bob's payment is being settled by a webhook delivery right now
    stripe_standin.auto_deliver = False
    _pay(api, world, stripe_standin, "bob")
    inside, release = threading.Event(), threading.Event()
    settle = stripe_events.settle_card

    def held(*args, **kwargs):
        inside.set()
        assert release.wait(20), "the test never released the webhook"
        return settle(*args, **kwargs)

    monkeypatch.setattr(stripe_events, "settle_card", held)
    webhook = threading.Thread(target=stripe_standin.deliver_pending)
    webhook.start()
    assert inside.wait(20)
    # When the reconciliation runs meanwhile, Then it counts the event in progress
    first = reconcile()
    assert (first["events_read"], first["applied"], first["in_progress"]) == (1, 0, 1)
    # And the webhook finishes it: the next run finds it applied, Bob's year paid once
    release.set()
    webhook.join(20)
    assert stripe_standin.webhook.answers == [200]
    assert reconcile()["already_applied"] == 1
    assert _status(api, world, "bob") == "paid"


def test_events_are_applied_in_the_order_they_happened(api, world, stripe_standin, reconcile):
    # Given, unheard, Bob paid and was refunded whole in the same second (a fixed clock)
    with Outage(stripe_standin):
        intent = _pay(api, world, stripe_standin, "bob")
        stripe_standin.refund(intent)
    # When the run applies them
    reconcile()
    # Then the payment settled first and its refund then took it off the year
    _, runs = api("GET", "/payments/reconciliation", as_=STAFF)
    assert runs[0]["outcomes"] == {"settled fee": 1, "refunded: fee due again": 1}
    assert _status(api, world, "bob") == "due"


def test_an_event_whose_processing_fails_is_released_and_applied_by_the_next_run(
    api, world, stripe_standin, reconcile, monkeypatch
):
    from dualcredit.dal import stripe_gateway
    from dualcredit.logic import stripe_processing
    from dualcredit.logic.reconciliation import ReconciliationIncomplete

    # Given Bob paid while the webhook was down
    with Outage(stripe_standin):
        _pay(api, world, stripe_standin, "bob")
    # And settling fails once part way (Stripe stopped answering mid-event)
    settle = stripe_processing.card_paid
    calls = []

    def fails_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise stripe_gateway.StripeUnavailable("Stripe did not answer")
        return settle(*args, **kwargs)

    monkeypatch.setattr(stripe_processing, "card_paid", fails_once)
    # When the run meets it, Then the run fails, and the event's in-progress record is
    # released (Powertools deletes it: the role may delete idempotency records only)
    with pytest.raises(ReconciliationIncomplete):
        reconcile()
    assert _status(api, world, "bob") == "due"
    # And the next run applies it
    again = reconcile()
    assert (again["applied"], again["failed"]) == (1, 0)
    assert _status(api, world, "bob") == "paid"
