"""The whole system on one machine: moto (in-process server) for DynamoDB, SES, SSM
and Cognito, every function of the template (the API, the Stripe webhook) behind the
API Gateway stand-in, the Stripe stand-in, and demo data seeded through the API.
Used by ``python -m devstack`` and by the integration tests.

    with DualCreditStack(port=0, moto_port=0, stripe_port=0) as stack:
        urllib.request.urlopen(f"{stack.api_url}/schools")

Stripe: by default the local stand-in (devstack/stripe_standin/) serves the API
and the test checkout pages on its own port; the app finds it through
STRIPE_API_BASE and its key in moto's SSM, and it delivers signed events to the
gateway's POST /api/stripe/webhook over HTTP, like Stripe does. Its clock is the
app's (CLOCK_OVERRIDE). With `stripe_keys` (a Stripe test-mode key and webhook
secret) the app talks to Stripe's test mode instead.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / "shared"
WEB_ROOT = REPO / "web"

# The Lambda layer puts `dualcredit` on the path in AWS; `uv run` does not.
if str(SHARED) not in sys.path:
    sys.path.insert(0, str(SHARED))

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

from devstack import moto_fixes, template  # noqa: E402
from devstack.authorizer import CognitoAuthorizer  # noqa: E402
from devstack.emails import EmailLog  # noqa: E402
from devstack.gateway import Backend, Gateway  # noqa: E402
from devstack.lambdas import LambdaFunction  # noqa: E402
from devstack.stripe_standin import StripeStandIn  # noqa: E402

REGION = "us-west-2"
TABLE_NAME = "dual-credit-local"
STAGE = "local"
EMAIL_SENDER = "no-reply@pnwcollegecredit.org"
STAFF_EMAIL = "info@pnwcollegecredit.org"
POOL_NAME = "dual-credit-local-users"
CLIENT_NAME = "dual-credit-local-web"
STACK_NAME = "dual-credit-local"
#: Where the template's functions read the Stripe secrets (/dual-credit/${Stage}/stripe/...).
STRIPE_SECRET_KEY_PARAMETER = f"/dual-credit/{STAGE}/stripe/secret-key"  # noqa: S105 - a name
STRIPE_WEBHOOK_SECRET_PARAMETER = f"/dual-credit/{STAGE}/stripe/webhook-secret"  # noqa: S105 - a name
WEBHOOK_FUNCTION = "StripeWebhookFunction"

#: Variables the stack sets (and restores on stop); the handler reads them.
_MANAGED_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "TABLE_NAME",
    "STAGE",
    "EMAIL_SENDER",
    "APP_BASE_URL",
    "STAFF_EMAIL",
    "ALLOWED_ORIGIN",
    "POWERTOOLS_TRACE_DISABLED",
    "POWERTOOLS_METRICS_NAMESPACE",
    "POWERTOOLS_SERVICE_NAME",
    "USER_POOL_ID",
    "CLOCK_OVERRIDE",
    "NO_PROXY",
    "no_proxy",
    "STRIPE_SECRET_KEY_PARAMETER",
    "STRIPE_WEBHOOK_SECRET_PARAMETER",
    "STRIPE_API_BASE",
)


class StackError(RuntimeError):
    pass


class _MotoServer(ThreadedMotoServer):
    """ThreadedMotoServer whose start() fails instead of hanging when it cannot bind."""

    error: BaseException | None = None

    def _server_entry(self) -> None:
        try:
            super()._server_entry()
        except BaseException as error:  # noqa: BLE001 - reported by start()
            self.error = error
            self._server_ready_event.set()

    def start(self) -> None:
        super().start()
        if self.error is not None:
            reason = "address in use?" if isinstance(self.error, SystemExit) else str(self.error)
            raise StackError(
                f"moto could not listen on {self._ip_address}:{self._port} ({reason}); "
                "choose another port with --moto-port"
            )


def _reset_moto() -> None:
    """Every backend back to empty: each stack start begins with no data."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def _load_function(logical_id: str, region: str) -> LambdaFunction:
    """A function of the template, its handler file (CodeUri + Handler) freshly imported
    so it reads this stack's environment. Its folder is on sys.path while it imports,
    as it is in Lambda."""
    code = template.function_code(logical_id)
    settings = template.function_settings(logical_id)
    spec = importlib.util.spec_from_file_location(f"devstack_{logical_id}", code.path)
    if spec is None or spec.loader is None or not code.path.is_file():
        raise StackError(f"cannot load {code.path} ({logical_id})")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(code.code_dir))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(code.code_dir))
    handler = getattr(module, code.attribute, None)
    if not callable(handler):
        raise StackError(f"{code.path} has no {code.attribute}() ({logical_id})")
    log_group = (settings["log_group"] or f"/aws/lambda/${{AWS::StackName}}/{logical_id}").replace(
        "${AWS::StackName}", STACK_NAME
    )
    return LambdaFunction(
        logical_id=logical_id,
        handler=handler,
        function_name=f"{STACK_NAME}-{logical_id}",
        log_group_name=log_group,
        timeout_seconds=settings["timeout"],
        memory_limit_in_mb=settings["memory"],
        region=region,
    )


def routed_functions() -> list[str]:
    """The template's functions that have Api routes, in template order."""
    return list(dict.fromkeys(route.function for route in template.api_routes()))


def job_functions() -> list[str]:
    """The template's functions that schedules or queues invoke, in template order."""
    return list(
        dict.fromkeys(
            [s.function for s in template.schedules()]
            + [q.function for q in template.queue_sources()]
        )
    )


def webhook_path() -> str:
    """The Stripe webhook route, from the template (e.g. /stripe/webhook)."""
    for route in template.api_routes():
        if route.function == WEBHOOK_FUNCTION and route.method == "POST":
            return route.path
    raise StackError(f"infra/template.yaml has no POST route for {WEBHOOK_FUNCTION}")


@dataclass(frozen=True)
class StripeTestKeys:
    """A Stripe test-mode secret key and webhook signing secret: `make dev` then uses
    Stripe's test mode instead of the stand-in."""

    secret_key: str = field(repr=False)
    webhook_secret: str = field(repr=False)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> StripeTestKeys | None:
        """STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or None when neither is set.
        A live key is refused: the local stack must never move real money."""
        key = (environ.get("STRIPE_SECRET_KEY") or "").strip()
        secret = (environ.get("STRIPE_WEBHOOK_SECRET") or "").strip()
        if not key and not secret:
            return None
        if not key.startswith(("sk_test_", "rk_test_")):
            raise StackError(
                "STRIPE_SECRET_KEY must be a Stripe test-mode key (sk_test_...); "
                "unset it to use the local Stripe stand-in"
            )
        if not secret.startswith("whsec_"):
            raise StackError(
                "STRIPE_WEBHOOK_SECRET (whsec_..., printed by `stripe listen`) must be "
                "set with STRIPE_SECRET_KEY"
            )
        return cls(key, secret)

    @property
    def masked_key(self) -> str:
        return f"{self.secret_key[:8]}...{self.secret_key[-4:]}"


def _app_clock() -> float:
    """The app's now (CLOCK_OVERRIDE in the local stage), for the Stripe stand-in."""
    from dualcredit import clock

    return clock.now().timestamp()


def user_pool_arguments() -> dict[str, Any]:
    """CreateUserPool arguments from the template's UserPool resource."""
    props = template.resources()["UserPool"]["Properties"]
    arguments: dict[str, Any] = {"PoolName": POOL_NAME}
    for name in (
        "Policies",
        "Schema",
        "UsernameAttributes",
        "AutoVerifiedAttributes",
        "AccountRecoverySetting",
        "AdminCreateUserConfig",
        "MfaConfiguration",
    ):
        if name in props:
            arguments[name] = props[name]
    return arguments


def user_pool_client_arguments(user_pool_id: str) -> dict[str, Any]:
    """CreateUserPoolClient arguments from the template's UserPoolClient resource."""
    props = template.resources()["UserPoolClient"]["Properties"]
    arguments: dict[str, Any] = {"UserPoolId": user_pool_id, "ClientName": CLIENT_NAME}
    for name in (
        "GenerateSecret",
        "ExplicitAuthFlows",
        "PreventUserExistenceErrors",
        "EnableTokenRevocation",
        "ReadAttributes",
        "WriteAttributes",
        "RefreshTokenValidity",
        "AccessTokenValidity",
        "IdTokenValidity",
        "TokenValidityUnits",
    ):
        if name in props:
            arguments[name] = props[name]
    return arguments


def user_pool_groups() -> list[dict[str, Any]]:
    """CreateGroup arguments (without the pool id) for each UserPoolGroup resource."""
    groups = []
    for resource in template.resources().values():
        if resource["Type"] == "AWS::Cognito::UserPoolGroup":
            props = resource["Properties"]
            groups.append(
                {k: props[k] for k in ("GroupName", "Description", "Precedence") if k in props}
            )
    return groups


class DualCreditStack:
    """moto + the template's functions behind the gateway + the Stripe stand-in + demo
    data. Ports 0 pick free ports.

    start() sets the process environment the handlers read (and stop() restores it),
    so one stack runs per process at a time.
    """

    def __init__(
        self,
        *,
        port: int = 3000,
        moto_port: int = 5001,
        stripe_port: int = 5002,
        host: str = "127.0.0.1",
        seed: bool = True,
        quiet: bool = False,
        clock_override: str | None = None,
        web_root: Path | None = WEB_ROOT,
        stripe_keys: StripeTestKeys | None = None,
        jobs: bool = True,
        background_jobs: bool = True,
    ) -> None:
        self.host = host
        self.run_jobs = jobs
        #: False: the scheduler and pollers exist but only run when called (tests:
        #: `stack.scheduler.tick()`, `stack.pollers[0].poll()`).
        self.background_jobs = background_jobs
        self.scheduler: Any = None  # devstack.jobs.Scheduler while the jobs run
        self.pollers: list[Any] = []  # devstack.jobs.QueuePoller, one per SQS event source
        self.requested_port = port
        self.requested_moto_port = moto_port
        self.requested_stripe_port = stripe_port
        self.stripe_keys = stripe_keys
        self.stripe: StripeStandIn | None = None  # None in Stripe test mode
        self.should_seed = seed
        self.quiet = quiet
        self.clock_override = clock_override
        self.web_root = web_root
        self.region = REGION
        self.table_name = TABLE_NAME
        self.gateway: Gateway | None = None
        self.moto: _MotoServer | None = None
        self.user_pool_id = ""
        self.client_id = ""
        self.emails: EmailLog | None = None
        self.seeded: Any = None  # devstack.seed.SeedResult once seeded
        self._saved_env: dict[str, str | None] = {}

    # ------------------------------------------------------------------ URLs

    def _started_gateway(self) -> Gateway:
        if self.gateway is None:
            raise StackError("start() the stack first")
        return self.gateway

    @property
    def site_url(self) -> str:
        """The site as a browser opens it (the app's base URL and CORS origin)."""
        gateway = self._started_gateway()
        if self.host in ("127.0.0.1", "localhost"):
            return f"http://localhost:{gateway.port}"
        return gateway.url

    @property
    def base_url(self) -> str:
        """The gateway as the tests reach it (no name resolution needed)."""
        return self._started_gateway().url

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api"

    @property
    def emails_url(self) -> str:
        return f"{self.base_url}/_dev/emails"

    @property
    def moto_url(self) -> str:
        if self.moto is None:
            raise StackError("start() the stack first")
        host, port = self.moto.get_host_and_port()
        return f"http://{host}:{port}"

    @property
    def port(self) -> int:
        return self._started_gateway().port

    @property
    def webhook_url(self) -> str:
        """The Stripe webhook endpoint as this machine reaches it (the stand-in posts here)."""
        return f"{self.api_url}{webhook_path()}"

    @property
    def stripe_url(self) -> str | None:
        """The stand-in as a browser opens it (checkout pages); None in Stripe test mode."""
        return self.stripe.base_url if self.stripe is not None else None

    # ------------------------------------------------------------------ clients

    def client(self, service: str):
        """A boto3 client against this stack's moto, independent of the environment."""
        return boto3.session.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's
            region_name=self.region,
        ).client(
            service,
            endpoint_url=self.moto_url,
            config=Config(retries={"mode": "standard", "max_attempts": 2}),
        )

    def id_token(self, email: str, password: str) -> str:
        """Sign in with USER_PASSWORD_AUTH, as the web front end does; the ID token."""
        answer = self.client("cognito-idp").initiate_auth(
            ClientId=self.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
        return answer["AuthenticationResult"]["IdToken"]

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> DualCreditStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> DualCreditStack:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        moto_fixes.install()
        # Bind the gateway first: the app's base URL and CORS origin need its port.
        try:
            self.gateway = Gateway(
                self.host, self.requested_port, web_root=self.web_root, quiet=self.quiet
            )
        except OSError as error:
            raise StackError(
                f"the gateway could not listen on {self.host}:{self.requested_port} "
                f"({error.strerror}); choose another port with --port"
            ) from error
        if self.quiet:  # moto's server logs every request through werkzeug's logger
            logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.moto = _MotoServer(self.host, self.requested_moto_port, verbose=False)
        self.moto.start()
        _reset_moto()
        self._set_environment()

        self._create_table()
        self._verify_sender()
        self._create_user_pool()
        os.environ["USER_POOL_ID"] = self.user_pool_id
        self._start_stripe()
        self._refresh_app_state()

        queue_urls = self._create_queues()
        names = routed_functions() + (job_functions() if self.run_jobs else [])
        functions = {name: _load_function(name, self.region) for name in dict.fromkeys(names)}
        self.emails = EmailLog(self.region)
        self.gateway.attach(
            Backend(
                functions=functions,
                authorizer=CognitoAuthorizer(self.moto_url, self.user_pool_id, self.client_id),
                emails=self.emails,
                config=self.frontend_config(),
                allowed_origin=self.site_url,
                stage=STAGE,
            )
        )
        self.gateway.start()
        if self.should_seed:
            from devstack.seed import seed

            self.seeded = seed(self)
        if self.run_jobs:
            self._start_jobs(queue_urls)

    def _create_queues(self) -> dict[str, str]:
        """The template's SQS event sources' queues (and their dead-letter queues), and the
        functions' environment variables that name them (e.g. REMINDER_QUEUE_URL)."""
        sqs = self.client("sqs")
        urls: dict[str, str] = {}
        for source in template.queue_sources():
            props = dict(source.queue_properties)
            attributes = {"VisibilityTimeout": str(props.get("VisibilityTimeout", 30))}
            redrive = props.get("RedrivePolicy")
            if redrive:
                dlq = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
                urls[dlq] = sqs.create_queue(QueueName=f"{STACK_NAME}-{dlq}")["QueueUrl"]
                arn = sqs.get_queue_attributes(QueueUrl=urls[dlq], AttributeNames=["QueueArn"])
                attributes["RedrivePolicy"] = json.dumps(
                    {
                        "deadLetterTargetArn": arn["Attributes"]["QueueArn"],
                        "maxReceiveCount": str(redrive["maxReceiveCount"]),
                    }
                )
            urls[source.queue] = sqs.create_queue(
                QueueName=f"{STACK_NAME}-{source.queue}", Attributes=attributes
            )["QueueUrl"]
        for variable, logical_id in template.queue_variables().items():
            if logical_id in urls:
                self._saved_env.setdefault(variable, os.environ.get(variable))
                os.environ[variable] = urls[logical_id]
        self._refresh_app_state()
        return urls

    def _start_jobs(self, queue_urls: dict[str, str]) -> None:
        from devstack.jobs import QueuePoller, Scheduler
        from dualcredit import clock

        gateway = self._started_gateway()
        log = (lambda line: None) if self.quiet else (lambda line: print(line, flush=True))
        self.pollers = [
            QueuePoller(source, queue_urls[source.queue], self.client("sqs"), gateway.invoke, log)
            for source in template.queue_sources()
        ]
        self.scheduler = Scheduler(template.schedules(), gateway.invoke, clock.now, log)
        backend = gateway.backend
        if backend is not None:
            backend.scheduler, backend.pollers = self.scheduler, self.pollers
        if self.background_jobs:
            for poller in self.pollers:
                poller.start()
            self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        for poller in self.pollers:
            poller.stop()
        # The stand-in first: no delivery may start once the gateway is going away.
        if self.stripe is not None:
            self.stripe.stop()
        if self.gateway is not None:
            self.gateway.stop()
        if self.moto is not None and self.moto._server is not None:
            self.moto.stop()
            self.moto._server.server_close()
        self._restore_environment()
        self._refresh_app_state()

    # ------------------------------------------------------------------ pieces

    def frontend_config(self) -> dict[str, Any]:
        return {
            "apiUrl": f"{self.site_url}/api",
            "cognitoEndpoint": self.moto_url,
            "userPoolId": self.user_pool_id,
            "clientId": self.client_id,
            "region": self.region,
        }

    def _set_environment(self) -> None:
        values = {
            "AWS_ENDPOINT_URL": self.moto_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "TABLE_NAME": self.table_name,
            "STAGE": STAGE,
            "EMAIL_SENDER": EMAIL_SENDER,
            "APP_BASE_URL": self.site_url,
            "STAFF_EMAIL": STAFF_EMAIL,
            "ALLOWED_ORIGIN": self.site_url,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_NAMESPACE": "DualCredit",
            "POWERTOOLS_SERVICE_NAME": "dual-credit",
        }
        no_proxy = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
        local = ",".join(filter(None, [no_proxy, "127.0.0.1,localhost"]))
        values["NO_PROXY"] = values["no_proxy"] = local
        self._saved_env = {name: os.environ.get(name) for name in _MANAGED_ENV}
        for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "USER_POOL_ID"):
            os.environ.pop(name, None)
        os.environ.update(values)
        if self.clock_override:
            os.environ["CLOCK_OVERRIDE"] = self.clock_override
        self._refresh_app_state()

    def _restore_environment(self) -> None:
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env = {}

    @staticmethod
    def _refresh_app_state() -> None:
        """The app caches clients, settings and secrets per process; make it re-read them."""
        from aws_lambda_powertools.utilities import parameters

        from dualcredit.dal import aws
        from dualcredit.settings import get_settings

        aws.reset_clients()
        get_settings.cache_clear()
        parameters.clear_caches()  # the SSM provider: its client (endpoint) and cached values

    def _start_stripe(self) -> None:
        """The stand-in on its own port (or Stripe's test mode), and the app's Stripe
        settings: secrets in moto's SSM under the names the template uses."""
        if self.stripe_keys is not None:
            secret_key, webhook_secret = (
                self.stripe_keys.secret_key,
                self.stripe_keys.webhook_secret,
            )
            os.environ.pop("STRIPE_API_BASE", None)  # api.stripe.com
        else:
            standin = StripeStandIn(webhook_url=self.webhook_url, clock=_app_clock)
            try:
                server, _ = standin.serve(self.host, self.requested_stripe_port, quiet=self.quiet)
            except OSError as error:
                raise StackError(
                    f"the Stripe stand-in could not listen on {self.host}:"
                    f"{self.requested_stripe_port} ({error.strerror}); choose another "
                    "port with --stripe-port"
                ) from error
            self.stripe = standin
            served = standin.base_url  # http://127.0.0.1:PORT: what the app calls
            port = server.server_address[1]
            if self.host in ("127.0.0.1", "localhost"):  # checkout pages, as a browser opens them
                standin.public_base_url = f"http://localhost:{port}"
            os.environ["STRIPE_API_BASE"] = served
            secret_key, webhook_secret = standin.api_key, standin.webhook_secret
        ssm = self.client("ssm")
        for name, value in (
            (STRIPE_SECRET_KEY_PARAMETER, secret_key),
            (STRIPE_WEBHOOK_SECRET_PARAMETER, webhook_secret),
        ):
            ssm.put_parameter(Name=name, Value=value, Type="SecureString", Overwrite=True)
        os.environ["STRIPE_SECRET_KEY_PARAMETER"] = STRIPE_SECRET_KEY_PARAMETER
        os.environ["STRIPE_WEBHOOK_SECRET_PARAMETER"] = STRIPE_WEBHOOK_SECRET_PARAMETER

    def _create_table(self) -> None:
        template.create_table(self.client("dynamodb"), self.table_name)

    def _verify_sender(self) -> None:
        # SES v2 SendEmail (what the app uses) checks the v1 verified identities.
        self.client("ses").verify_email_identity(EmailAddress=EMAIL_SENDER)

    def _create_user_pool(self) -> None:
        cognito = self.client("cognito-idp")
        self.user_pool_id = cognito.create_user_pool(**user_pool_arguments())["UserPool"]["Id"]
        client = cognito.create_user_pool_client(**user_pool_client_arguments(self.user_pool_id))
        self.client_id = client["UserPoolClient"]["ClientId"]
        for group in user_pool_groups():
            cognito.create_group(UserPoolId=self.user_pool_id, **group)
