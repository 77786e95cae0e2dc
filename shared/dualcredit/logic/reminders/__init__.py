"""Deadline reminders and the "registration is open" notice, in three modules:

- `notices`: what a notice is (its queue message), who is due one, the SES templates;
- `sending`: the sender, which turns a batch of queued notices into at most one email
  per student and notice;
- `reports`: the staff preview (who a reminder would reach) and history (what went out).

Nothing is imported here, so the sender's cold start does not load the reports.
"""
