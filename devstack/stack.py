"""The whole system on one machine: moto (in-process server) for DynamoDB, SES, SSM
and Cognito, every function of the template (the API, the Stripe webhook) behind the
API Gateway stand-in, the Stripe stand-in, and demo data seeded through the API.
Used by ``python -m devstack`` and by the integration tests.

    with DualCreditStack(port=0, moto_port=0, stripe_port=0) as stack:
        urllib.request.urlopen(f"{stack.api_url}/schools")

This module starts and stops the servers and wires them together. The resources built
from the template are devstack/resources.py; the environment the handlers read,
devstack/environment.py; the functions loaded, devstack/lambdas.py; the demo data,
devstack/seed.py; the scheduler and queue pollers, devstack/jobs.py.

Stripe (devstack/stripe_setup.py): by default the local stand-in
(devstack/stripe_standin/) serves the API and the test checkout pages on its own port;
the app finds it through STRIPE_API_BASE and its key in moto's SSM, and it delivers
signed events to the gateway's POST /api/stripe/webhook over HTTP, like Stripe does.
Its clock is the app's (CLOCK_OVERRIDE). With `stripe_keys` (a Stripe test-mode key
and webhook secret) the app talks to Stripe's test mode instead.
"""

from __future__ import annotations

import logging
import os
import sys
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

from devstack import moto_fixes, resources, s3events, signin, stripe_setup, template  # noqa: E402
from devstack.authorizer import CognitoAuthorizer  # noqa: E402
from devstack.devpages import site_headers  # noqa: E402
from devstack.emails import EmailLog  # noqa: E402
from devstack.environment import ProcessEnvironment, app_environment, refresh_app_state  # noqa: E402
from devstack.errors import StackError  # noqa: E402
from devstack.gateway import Backend, Gateway  # noqa: E402
from devstack.lambdas import job_functions, load_function, routed_functions  # noqa: E402
from devstack.names import REGION, STAGE, TABLE_NAME  # noqa: E402
from devstack.stripe_setup import StripeTestKeys  # noqa: E402
from devstack.stripe_standin import StripeStandIn  # noqa: E402


class _MotoServer(ThreadedMotoServer):
    """ThreadedMotoServer whose start() fails instead of hanging when it cannot bind."""

    error: BaseException | None = None

    def _server_entry(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        from devstack.s3post import PostPolicyCheck

        try:
            # As ThreadedMotoServer's, with S3's checks of presigned POSTs in front.
            app = PostPolicyCheck(DomainDispatcherApplication(create_backend_app))
            self._server = make_server(
                self._ip_address, self._port, app, True, request_handler=MotoRequestHandler
            )
            self._server_ready_event.set()
            self._server.serve_forever()
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
        #: devstack.s3events.BucketEvents, one per S3 event source (the grade-files bucket).
        self.bucket_events: list[Any] = []
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
        self.user_pool_id = ""  # the students' pool
        self.client_id = ""
        self.invited_user_pool_id = ""  # staff and school users (TOTP required)
        self.invited_client_id = ""
        #: The TOTP secret of each account enrolled through enrol_totp() (the demo ones).
        self.totp_secrets: dict[str, str] = {}
        self.emails: EmailLog | None = None
        self.seeded: Any = None  # devstack.seed.SeedResult once seeded
        self.environment = ProcessEnvironment()
        self.bucket_queues: dict[str, str] = {}  # function -> its bucket's local event queue

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
        return f"{self.api_url}{stripe_setup.webhook_path()}"

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
        """Sign in with USER_PASSWORD_AUTH, as the web front end does (the students'
        pool, then the invited one; an invited account answers the TOTP challenge with
        a code from the secret enrol_totp() set up); the ID token."""
        return signin.id_token(self, email, password)

    def enrol_totp(self, email: str, password: str) -> str:
        """An invited account's first sign-in that sets up its authenticator (MFA_SETUP:
        AssociateSoftwareToken, VerifySoftwareToken with a first code); its secret."""
        secret = signin.enrol_totp(self, email, password)
        self.totp_secrets[email.lower()] = secret
        return secret

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
        self.environment.apply(
            app_environment(
                moto_url=self.moto_url,
                region=self.region,
                table_name=self.table_name,
                site_url=self.site_url,
            ),
            self.clock_override,
        )

        self.gateway.site_headers = site_headers(
            api_origin=self.site_url, cognito_origin=self.moto_url
        )
        resources.create_table(self.client("dynamodb"), self.table_name)
        resources.verify_sender(self.client("ses"))
        cognito = self.client("cognito-idp")
        self.user_pool_id, self.client_id = resources.create_user_pool(cognito)
        self.invited_user_pool_id, self.invited_client_id = resources.create_user_pool(
            cognito, resources.INVITED_POOL
        )
        os.environ["USER_POOL_ID"] = self.user_pool_id
        os.environ["INVITED_USER_POOL_ID"] = self.invited_user_pool_id
        self._start_stripe()
        refresh_app_state()

        queue_urls = resources.create_queues(self.client("sqs"))
        self.environment.add(resources.queue_environment(queue_urls))
        self.bucket_queues = s3events.create_buckets(
            self.client("s3"), self.client("sqs"), self.site_url
        )
        self.environment.add(s3events.bucket_environment())
        refresh_app_state()
        names = routed_functions() + (job_functions() if self.run_jobs else [])
        functions = {name: load_function(name, self.region) for name in dict.fromkeys(names)}
        self.emails = EmailLog(self.region)
        self.gateway.attach(
            Backend(
                functions=functions,
                authorizer=CognitoAuthorizer(
                    self.moto_url,
                    [
                        (self.user_pool_id, self.client_id),
                        (self.invited_user_pool_id, self.invited_client_id),
                    ],
                ),
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
        self.bucket_events = [
            s3events.BucketEvents(function, url, self.client("sqs"), gateway.invoke, log)
            for function, url in self.bucket_queues.items()
        ]
        backend = gateway.backend
        if backend is not None:
            backend.scheduler, backend.pollers = self.scheduler, self.pollers
        if self.background_jobs:
            for poller in self.pollers:
                poller.start()
            for events in self.bucket_events:
                events.start()
            self.scheduler.start()

    def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        for poller in self.pollers:
            poller.stop()
        for events in self.bucket_events:
            events.stop()
        # The stand-in first: no delivery may start once the gateway is going away.
        if self.stripe is not None:
            self.stripe.stop()
        if self.gateway is not None:
            self.gateway.stop()
        if self.moto is not None and self.moto._server is not None:
            self.moto.stop()
            self.moto._server.server_close()
        self.environment.restore()
        refresh_app_state()

    # ------------------------------------------------------------------ pieces

    def frontend_config(self) -> dict[str, Any]:
        return {
            "apiUrl": f"{self.site_url}/api",
            "cognitoEndpoint": self.moto_url,
            "userPoolId": self.user_pool_id,
            "clientId": self.client_id,
            "invitedUserPoolId": self.invited_user_pool_id,
            "invitedClientId": self.invited_client_id,
            "region": self.region,
        }

    def _start_stripe(self) -> None:
        """The stand-in on its own port (or Stripe's test mode), and the app's Stripe
        settings: secrets in moto's SSM under the names the template uses."""
        if self.stripe_keys is not None:
            secret_key = self.stripe_keys.secret_key
            webhook_secret = self.stripe_keys.webhook_secret
            os.environ.pop("STRIPE_API_BASE", None)  # api.stripe.com
        else:
            self.stripe, served = stripe_setup.serve_standin(
                self.host,
                self.requested_stripe_port,
                webhook_url=self.webhook_url,
                quiet=self.quiet,
            )
            os.environ["STRIPE_API_BASE"] = served
            secret_key, webhook_secret = self.stripe.api_key, self.stripe.webhook_secret
        os.environ.update(
            stripe_setup.store_secrets(self.client("ssm"), secret_key, webhook_secret)
        )
