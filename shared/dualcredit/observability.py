"""Logger, Tracer and Metrics, made once and imported by every function.

Log lines carry ids (student id, SERS ID, offering id), never names, emails,
birth dates or addresses. The Tracer never puts a handler's or method's response,
or an error's payload, into X-Ray (Powertools captures both by default): the two
settings default to false here, before any `@tracer` decorator reads them.
"""

import os

from aws_lambda_powertools import Logger, Metrics, Tracer

for _setting in ("POWERTOOLS_TRACER_CAPTURE_RESPONSE", "POWERTOOLS_TRACER_CAPTURE_ERROR"):
    os.environ.setdefault(_setting, "false")

logger = Logger()
tracer = Tracer(auto_patch=False)
metrics = Metrics()
