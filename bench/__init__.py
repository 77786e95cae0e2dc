"""`make bench`: cold starts and DynamoDB round trips of every Lambda handler.

For each handler (functions/*/app.py), as a ratio to a minimal Powertools REST
handler (bench/minimal_handler.py) measured in the same run, in fresh processes:

1. the cold import time;
2. the time from a fresh process to the first answered request, so that work
   moved from import to the first request still counts.

It also counts the requests (DynamoDB operations, SES sends, SSM reads, Stripe
calls) each API route and each kind of Stripe webhook event makes, and compares
the DynamoDB ones with the fewest the access pattern allows. The webhook's first
request is a signed checkout.session.completed delivery that settles a seeded
student's fee; the Stripe stand-in (devstack/stripe_standin/) is served on a
local port for anything the handlers ask of Stripe.

Section 4 (bench/reminders.py, on a stack of its own): the DynamoDB, SQS and SES
requests per 1,000 deadline reminders (the scheduled `remind` action, then the queue
drained ten at a time through the reminder sender), against the fewest the batch
limits allow (target: within 1.1x), and the wall time per 1,000 on the local stack.

Run: ``uv run python -m bench [--quick | -n N]``; results go to bench/results/.
"""
