"""Reading infra/template.yaml, so local tables, user pools and routes are built from
the same definitions that are deployed (tests and infrastructure cannot disagree)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "infra" / "template.yaml"


class CfnLoader(yaml.SafeLoader):  # type: ignore[misc] # PyYAML ships no type hints
    """SafeLoader that reads CloudFormation short tags into their long form:
    ``!Ref X`` -> ``{"Ref": "X"}``, ``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``."""


def _cfn_tag(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if tag_suffix == "Ref":
        return {"Ref": value}
    if tag_suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    if tag_suffix == "Condition":
        return {"Condition": value}
    return {f"Fn::{tag_suffix}": value}


CfnLoader.add_multi_constructor("!", _cfn_tag)


@cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=CfnLoader)  # noqa: S506 - SafeLoader


def resources(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    return load_template(path)["Resources"]


def table_definition(logical_id: str = "Table") -> dict[str, Any]:
    """CreateTable arguments for the template's table (keys, indexes, billing)."""
    props = resources()[logical_id]["Properties"]
    return {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "GlobalSecondaryIndexes": props.get("GlobalSecondaryIndexes", []),
        "BillingMode": props["BillingMode"],
    }


def create_table(dynamodb_client: Any, table_name: str) -> None:
    """Create the template's table (and its TTL setting) under `table_name`."""
    dynamodb_client.create_table(TableName=table_name, **table_definition())
    ttl = resources()["Table"]["Properties"].get("TimeToLiveSpecification")
    if ttl:
        dynamodb_client.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway form: /schools/{school_id}
    function: str
    public: bool


def api_routes() -> list[Route]:
    """Every Api event of every function, and whether it skips the authorizer."""
    routes = []
    for name, resource in resources().items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] != "Api":
                continue
            props = event["Properties"]
            public = (props.get("Auth") or {}).get("Authorizer") == "NONE"
            routes.append(Route(props["Method"].upper(), props["Path"], name, public))
    return routes


def public_operations() -> set[tuple[str, str]]:
    """(method, path) of the routes API Gateway serves without the authorizer."""
    return {(route.method, route.path) for route in api_routes() if route.public}


@dataclass(frozen=True)
class FunctionCode:
    """Where a function's handler is: its file and the attribute to call."""

    function: str  # the template's logical id, e.g. ApiFunction
    code_dir: Path  # CodeUri, resolved against the template's folder
    module: str  # Handler's module part, e.g. "app"
    attribute: str  # Handler's function part, e.g. "lambda_handler"

    @property
    def path(self) -> Path:
        return self.code_dir.joinpath(*self.module.split(".")).with_suffix(".py")


def function_code(function: str, path: Path = TEMPLATE_PATH) -> FunctionCode:
    """A function's handler file from its CodeUri and Handler (or the Globals' ones)."""
    template = load_template(path)
    globals_ = (template.get("Globals") or {}).get("Function") or {}
    props = template["Resources"][function]["Properties"]
    code_uri = props.get("CodeUri", globals_.get("CodeUri"))
    handler = props.get("Handler", globals_.get("Handler"))
    if not isinstance(code_uri, str) or not isinstance(handler, str) or "." not in handler:
        raise ValueError(f"{function}: needs a local CodeUri and a module.function Handler")
    module, attribute = handler.rsplit(".", 1)
    return FunctionCode(function, (path.parent / code_uri).resolve(), module, attribute)


def function_settings(function: str, path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """Timeout, MemorySize and the log group name of a function (Globals as defaults)."""
    template = load_template(path)
    globals_ = (template.get("Globals") or {}).get("Function") or {}
    props = template["Resources"][function]["Properties"]
    settings: dict[str, Any] = {
        "timeout": int(props.get("Timeout", globals_.get("Timeout", 3))),
        "memory": int(props.get("MemorySize", globals_.get("MemorySize", 128))),
        "log_group": None,
    }
    log_group = (props.get("LoggingConfig") or {}).get("LogGroup")
    if isinstance(log_group, dict) and "Ref" in log_group:
        name = ((template["Resources"].get(log_group["Ref"]) or {}).get("Properties") or {}).get(
            "LogGroupName"
        )
        if isinstance(name, dict):
            name = name.get("Fn::Sub")
        if isinstance(name, str):
            settings["log_group"] = name
    return settings


@dataclass(frozen=True)
class Schedule:
    """A ScheduleV2 event: EventBridge Scheduler invoking `function` with `input`."""

    name: str  # the event's name in the template, e.g. RemindDaily
    function: str
    expression: str  # cron(0 9 * 5,6 ? *)
    timezone: str
    input: dict[str, Any]
    description: str = ""


def schedules() -> list[Schedule]:
    """Every ScheduleV2 event of every function."""
    import json

    found = []
    for name, resource in resources().items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event_name, event in (resource["Properties"].get("Events") or {}).items():
            if event["Type"] != "ScheduleV2":
                continue
            props = event["Properties"]
            found.append(
                Schedule(
                    event_name,
                    name,
                    props["ScheduleExpression"],
                    props.get("ScheduleExpressionTimezone", "UTC"),
                    json.loads(props.get("Input") or "{}"),
                    props.get("Description", ""),
                )
            )
    return found


@dataclass(frozen=True)
class QueueSource:
    """An SQS event source: Lambda's poller handing `queue`'s messages to `function`."""

    function: str
    queue: str  # the queue's logical id
    batch_size: int
    queue_properties: dict[str, Any]


def queue_sources() -> list[QueueSource]:
    """Every SQS event of every function, with its queue's properties."""
    found = []
    all_resources = resources()
    for name, resource in all_resources.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] != "SQS":
                continue
            props = event["Properties"]
            queue = props["Queue"]["Fn::GetAtt"][0]
            found.append(
                QueueSource(
                    name,
                    queue,
                    int(props.get("BatchSize", 10)),
                    all_resources[queue].get("Properties") or {},
                )
            )
    return found


def queue_variables() -> dict[str, str]:
    """Functions' environment variables set to a `!Ref` of an SQS queue: {variable: queue}."""
    found: dict[str, str] = {}
    all_resources = resources()
    for resource in all_resources.values():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        variables = ((resource["Properties"].get("Environment") or {}).get("Variables")) or {}
        for variable, value in variables.items():
            target = value.get("Ref") if isinstance(value, dict) else None
            if target and (all_resources.get(target) or {}).get("Type") == "AWS::SQS::Queue":
                found[variable] = target
    return found
