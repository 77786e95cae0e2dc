"""Logger, Tracer and Metrics, made once and imported by every function.

Log lines carry ids (student id, SERS ID, offering id), never names, emails,
birth dates or addresses.
"""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer(auto_patch=False)
metrics = Metrics()
