"""S3, locally: the template's buckets that functions take events from (the grade-files
bucket), built in moto, and their events played as AWS plays them.

moto holds the bucket and, on every object created, builds the notification S3 sends
(`Records[].s3` with bucket.name, the URL-encoded object.key, size, eTag) for each
notification configuration whose event and key filter match. AWS hands that event to the
function; moto cannot run a Lambda without Docker, so each bucket's notifications go to a
local queue of its own instead, and `BucketEvents` invokes the function with each
message's body: the event itself, one invocation per object, as S3's asynchronous
invocation does (a failed one is not retried: the template's MaximumRetryAttempts 0).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from devstack import template
from devstack.jobs import Background
from devstack.names import ACCOUNT_ID, REGION, STACK_NAME

Invoke = Callable[[str, dict[str, Any], str], Any]
_BY_DEFAULT = "ServerSideEncryptionByDefault"  # CloudFormation's name of the API's Apply...


@dataclass(frozen=True)
class BucketSource:
    """An S3 event of a function: `bucket`'s objects created under `rules` run it."""

    function: str
    bucket: str  # the bucket's logical id
    events: list[str]
    rules: list[dict[str, str]]  # S3Key filter rules: [{"Name": "prefix", "Value": ...}]


def _resolve(value: Any) -> str:
    """A bucket's name as the template builds it (`!Sub` of the stack name and account)."""
    if isinstance(value, str):
        return value
    text = value.get("Fn::Sub") if isinstance(value, dict) else None
    if not isinstance(text, str):
        raise ValueError(f"cannot resolve {value!r} locally")
    names = {"AWS::StackName": STACK_NAME, "AWS::AccountId": ACCOUNT_ID, "AWS::Region": REGION}
    return re.sub(r"\$\{([^}]+)\}", lambda m: names[m.group(1)], text)


def bucket_sources() -> list[BucketSource]:
    """Every S3 event of every function of the template."""
    found = []
    for name, resource in template.resources().items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] != "S3":
                continue
            props = event["Properties"]
            events = props["Events"]
            rules = ((props.get("Filter") or {}).get("S3Key") or {}).get("Rules") or []
            found.append(
                BucketSource(
                    name,
                    props["Bucket"]["Ref"],
                    events if isinstance(events, list) else [events],
                    rules,
                )
            )
    return found


def bucket_name(logical_id: str) -> str:
    """The name the template gives the bucket (BucketName), resolved locally."""
    return _resolve(template.resources()[logical_id]["Properties"]["BucketName"])


def bucket_environment() -> dict[str, str]:
    """Functions' variables naming an event source's bucket (GRADE_FILES_BUCKET): each
    holds the same `!Sub` as the bucket's BucketName."""
    names = {
        json.dumps(template.resources()[s.bucket]["Properties"]["BucketName"]): s.bucket
        for s in bucket_sources()
    }
    found: dict[str, str] = {}
    for resource in template.resources().values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        variables = (resource["Properties"].get("Environment") or {}).get("Variables") or {}
        for variable, value in variables.items():
            bucket = names.get(json.dumps(value))
            if bucket is not None:
                found[variable] = bucket_name(bucket)
    return found


def create_buckets(s3: Any, sqs: Any, allowed_origin: str = "*") -> dict[str, str]:
    """Each event source's bucket as the template sets it up (encryption, public access
    blocked, CORS for the site's origin), its notifications to a local queue; the queue
    URLs by function (one queue per function and bucket)."""
    queues: dict[str, str] = {}
    made: set[str] = set()
    for source in bucket_sources():
        name = bucket_name(source.bucket)
        props = template.resources()[source.bucket]["Properties"]
        if name not in made:
            s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
            if "BucketEncryption" in props:
                s3.put_bucket_encryption(
                    Bucket=name,
                    ServerSideEncryptionConfiguration={
                        "Rules": [
                            {
                                "ApplyServerSideEncryptionByDefault": r[
                                    "ServerSideEncryptionByDefault"
                                ]
                            }
                            for r in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
                        ]
                    },
                )
            if "PublicAccessBlockConfiguration" in props:
                s3.put_public_access_block(
                    Bucket=name,
                    PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"],
                )
            rules = (props.get("CorsConfiguration") or {}).get("CorsRules") or []
            if rules:
                s3.put_bucket_cors(
                    Bucket=name,
                    CORSConfiguration={
                        "CORSRules": [
                            {
                                # CloudFormation's MaxAge is the API's MaxAgeSeconds.
                                **{
                                    {"MaxAge": "MaxAgeSeconds"}.get(k, k): v
                                    for k, v in rule.items()
                                    if k != "AllowedOrigins"
                                },
                                "AllowedOrigins": [allowed_origin],
                            }
                            for rule in rules
                        ]
                    },
                )
            made.add(name)
        url = sqs.create_queue(QueueName=f"{STACK_NAME}-{source.bucket}-{source.function}")[
            "QueueUrl"
        ]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        configuration = {
            "QueueArn": arn,
            "Events": source.events,
            "Filter": {
                "Key": {
                    "FilterRules": [
                        {"Name": rule["Name"], "Value": rule["Value"]} for rule in source.rules
                    ]
                }
            },
        }
        existing = s3.get_bucket_notification_configuration(Bucket=name).get(
            "QueueConfigurations", []
        )
        s3.put_bucket_notification_configuration(
            Bucket=name,
            NotificationConfiguration={"QueueConfigurations": [*existing, configuration]},
        )
        queues[source.function] = url
    return queues


def s3_events(sqs: Any, queue_url: str) -> list[dict[str, Any]]:
    """The S3 events waiting on a bucket's local queue (taken off it), oldest first;
    the test event S3 sends when notifications are set up is dropped."""
    events: list[dict[str, Any]] = []
    while True:
        got = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not got:
            return events
        for message in got:
            body = json.loads(message["Body"])
            if isinstance(body.get("Records"), list):
                events.append(body)
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])


@dataclass
class BucketEvents:
    """Invokes `function` with each S3 event of its bucket (in the background once
    started, or at each `deliver()`)."""

    function: str
    queue_url: str
    sqs: Any
    invoke: Invoke
    log: Callable[[str], None] = print
    invocations: int = 0

    def __post_init__(self) -> None:
        self._worker = Background(f"devstack-s3-events-{self.function}", self._step)

    def start(self) -> None:
        self._worker.start()

    def stop(self) -> None:
        self._worker.stop()

    def _step(self) -> float:
        try:
            return 0.0 if self.deliver() else 0.5
        except Exception as error:  # noqa: BLE001 - the stack stopping, or moto busy: try again
            if not self._worker.stopping:
                self.log(
                    f"devstack: S3 events for {self.function}: {type(error).__name__}: {error}"
                )
            return 2.0

    def deliver(self) -> int:
        """Hand each waiting event to the function; how many it handed over."""
        events = s3_events(self.sqs, self.queue_url)
        for event in events:
            try:
                result = self.invoke(self.function, event, uuid.uuid4().hex)
            except Exception as error:  # noqa: BLE001 - an asynchronous invocation's failure
                result = f"{type(error).__name__}: {error}"
            self.invocations += 1
            keys = [r["s3"]["object"]["key"] for r in event["Records"]]
            self.log(f"devstack: S3 event {', '.join(keys)} -> {self.function}: {result}")
        return len(events)
