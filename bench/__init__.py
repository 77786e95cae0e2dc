"""`make bench`: cold starts and DynamoDB round trips of every Lambda handler.

For each handler (functions/*/app.py), as a ratio to a minimal Powertools REST
handler (bench/minimal_handler.py) measured in the same run, in fresh processes:

1. the cold import time;
2. the time from a fresh process to the first answered request, so that work
   moved from import to the first request still counts.

It also counts the AWS requests (DynamoDB operations, SES sends) each API route
makes and compares them with the fewest its access pattern allows.

Run: ``uv run python -m bench [--quick | -n N]``; results go to bench/results/.
"""
