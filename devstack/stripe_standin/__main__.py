"""`python -m devstack.stripe_standin --port 12111 --webhook-url URL`: serve the stand-in."""

from devstack.stripe_standin.transport import main

raise SystemExit(main())
