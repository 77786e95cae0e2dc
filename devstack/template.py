"""Reading infra/template.yaml, so local tables, user pools and routes are built from
the same definitions that are deployed (tests and infrastructure cannot disagree)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "infra" / "template.yaml"


class CfnLoader(yaml.SafeLoader):
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
