"""A local stand-in for the few Stripe endpoints the app calls.

Stripe's API cannot be reached from this machine, so `make dev` and the tests talk
to this instead. It keeps Checkout Sessions, payment intents, charges, refunds and
disputes in memory, emits Stripe-shaped events signed the way Stripe signs them,
and delivers them to a webhook URL or to an injected function. Its modules:

    parameters  form decoding, and the checks Stripe makes beyond parameters' types
    param_types parameters checked against the stripe library's types (stripe.params)
    errors      the API's errors, shaped like Stripe's
    objects     the shapes of the Stripe objects
    state       the objects in memory and their changes (Store)
    events      emitting, signing and delivering events (EventLog, Delivery)
    api         the REST API the stripe library calls (Api, Response)
    pages       the test checkout pages (CheckoutPages)
    settings    what a stand-in was given (StandInSettings) and the default keys
    standin     StripeStandIn, all of the above, and what tests do in Stripe's place
    transport   the in-process stripe.HTTPClient, the HTTP server's handler, main

In tests, without a socket::

    standin = StripeStandIn(api_key="sk_test_x", webhook_secret="whsec_x", deliver=call_webhook)
    client = standin.client()            # a stripe.StripeClient wired to the stand-in
    session = client.v1.checkout.sessions.create({...})
    standin.pay(session.id)              # emits checkout.session.completed, delivers it

As a server: `python -m devstack.stripe_standin --port 12111 --webhook-url URL`.
"""

from devstack.stripe_standin.api import Response
from devstack.stripe_standin.errors import StandInError
from devstack.stripe_standin.events import Delivery
from devstack.stripe_standin.parameters import MAX_EXPIRY, MIN_EXPIRY, decode_form, format_amount
from devstack.stripe_standin.settings import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET
from devstack.stripe_standin.standin import StripeStandIn
from devstack.stripe_standin.state import IN_PROCESS_BASE_URL
from devstack.stripe_standin.transport import StandInHTTPClient, main

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_WEBHOOK_SECRET",
    "IN_PROCESS_BASE_URL",
    "MAX_EXPIRY",
    "MIN_EXPIRY",
    "Delivery",
    "Response",
    "StandInError",
    "StandInHTTPClient",
    "StripeStandIn",
    "decode_form",
    "format_amount",
    "main",
]
