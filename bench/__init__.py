"""`make bench`: cold starts and AWS round trips of every Lambda handler, on what ships.

1. The artifact: the layer and every function are built by the template's own steps
   (infra/build/Makefile, the targets `sam build` runs) for this machine's architecture,
   an x86-64 twin of the arm64 layer (bench/artifact.py). Every module carries its
   unchecked-hash bytecode; the bench refuses to measure a build that does not.
2. Fresh processes (bench/child.py) import each handler from it as Lambda runs it
   (`python -I -B`, the function's folder and the layer's python/ on the path, no
   site-packages, nothing written) and answer one representative event. The figures
   are ratios to three references measured in the same run (bench/references/): the
   minimal Powertools handler and the peer (a cookbook-style CRUD handler) as SAM ships
   them (no bytecode), and the floor (a botocore client and one GetItem), precompiled.
   Targets: every function's first answer at most 0.5x the peer; the API and grade
   import at most 1.3x the floor, the webhook 1.8x. Where one is missed, `-X importtime`
   on the built artifact says which module costs what.
3. SnapStart: the API's and the webhook's first answer after their before-snapshot and
   after-restore hooks, as a restored environment gives it.
4. The requests (DynamoDB operations, SES sends, SSM reads, Stripe calls) each API route
   and each kind of Stripe webhook event makes, against the fewest the access pattern
   allows; and (bench/reminders.py, on a stack of its own) the requests per 1,000
   deadline reminders against the fewest the batch limits allow.

Run: ``uv run python -m bench [--quick | -n N]``; results go to bench/results/.
"""
