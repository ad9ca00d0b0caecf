"""Property-based tests of the whole OpenAPI schema with schemathesis.

Hand-written API tests only try the inputs we thought of; schemathesis generates requests from
the schema itself (valid and, separately, invalid ones), so it finds the 500s and the responses
that contradict the documented models. It calls the ASGI app in process (no socket) bound to the
module's seeded database. Runs are derandomized so a CI failure reproduces exactly.

Why a plain parametrized loop rather than ``schemathesis.pytest.from_fixture(...).parametrize()``:
in schemathesis 4.32 that lazy loader writes ``request.node._nodeid``, which pytest 9 no longer
has (AttributeError before any case runs). ``APIOperation.as_strategy`` + ``@given`` is the
documented building block and one test id per operation and mode reads better in CI anyway.

Reads run first and writes last (pytest keeps parametrize order): a generated
``DELETE /v1/articles/1`` must not empty the database before the list endpoints are exercised.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY, PostgresServer, copy_sqlite, dispose
from tests.live_server import seeded_app

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.status_code_conformance,
]
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
WRITE_ORDER = {"GET": 0, "PUT": 1, "PATCH": 1, "DELETE": 2, "POST": 3}
EXAMPLES = {  # (method, mode) -> max_examples; unlisted pairs use the default
    ("POST", "positive"): 4,  # every valid POST runs the spaCy pipeline on generated text
    ("DELETE", "positive"): 10,
}
DEFAULT_EXAMPLES = {"positive": 25, "negative": 15}
# No Phase.explain: its line tracing slowed a failing run several-fold and adds nothing the
# shrunk example and schemathesis' curl line do not say.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
MODES = {"positive": schemathesis.GenerationMode.POSITIVE,
         "negative": schemathesis.GenerationMode.NEGATIVE}


def _cases() -> list[tuple[str, str]]:
    """(label, mode) for every operation, reads first, writes last.

    The schema does not depend on the database, so an unbound app gives it at collection time.
    An operation with neither parameters nor body has no invalid input: no negative run
    (Hypothesis would raise Unsatisfiable).
    """
    app = create_app(Settings(database_url="sqlite://", api_key=API_KEY, warm_up=False))
    cases = []
    for path, item in app.openapi()["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            takes_input = bool(operation.get("parameters") or operation.get("requestBody"))
            cases += [(f"{method.upper()} {path}", mode) for mode in MODES
                      if mode == "positive" or takes_input]
    return sorted(cases, key=lambda case: WRITE_ORDER.get(case[0].split()[0], 1))


CASES = _cases()
OPERATIONS = sorted({label for label, _ in CASES})


# The write key for the ApiKey security scheme: schemathesis sends it where the schema asks
# for it, and its ignored_auth check then tries the writes without it and with a wrong one.
AUTH = SchemathesisConfig.from_dict({"auth": {"openapi": {"ApiKey": {"api_key": API_KEY}}}})


@pytest.fixture(scope="module")
def api_schema(seeded_url: str) -> schemathesis.BaseSchema:
    """The app's own /openapi.json, loaded from the ASGI app bound to the seeded database."""
    return schemathesis.openapi.from_asgi("/openapi.json", seeded_app(seeded_url), config=AUTH)


def test_every_operation_is_exercised(api_schema: schemathesis.BaseSchema) -> None:
    """The parametrization below was built from the same schema: nothing silently left out."""
    served = {f"{op.ok().method.upper()} {op.ok().path}" for op in api_schema.get_all_operations()}
    assert served == set(OPERATIONS)
    assert len(OPERATIONS) >= 5


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[" ".join(case) for case in CASES])
def test_operation_conforms(label: str, mode: str, api_schema: schemathesis.BaseSchema) -> None:
    """No 5xx, documented status codes only, bodies valid against the documented schemas."""
    operation = api_schema.find_operation_by_label(label)
    assert operation is not None, f"{label} is not in the served schema"
    examples = EXAMPLES.get((label.split()[0], mode), DEFAULT_EXAMPLES[mode])
    # The real key: generated keys would only ever exercise the documented 401 branch.
    strategy = operation.as_strategy(MODES[mode], headers={"X-API-Key": API_KEY})

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=PHASES,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
    @given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


STATEFUL = settings(max_examples=20, stateful_step_count=8, deadline=None, derandomize=True,
                    database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))


@pytest.fixture
def fresh_seeded(backend: str, request: pytest.FixtureRequest,
                 tmp_path: Path) -> Callable[[], tuple[str, Callable[[], None]]]:
    """Makes a new copy of the seeded database: (url, drop it)."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_seeded_template")

        def sqlite_copy() -> tuple[str, Callable[[], None]]:
            url = copy_sqlite(template, tmp_path / f"{uuid.uuid4().hex}.db")
            return url, lambda: dispose(url)
        return sqlite_copy
    server: PostgresServer = request.getfixturevalue("postgres_server")

    def postgres_copy() -> tuple[str, Callable[[], None]]:
        url = server.seeded()
        return url, lambda: server.drop(url)
    return postgres_copy


def test_stateful_workflows_conform(
        api_schema: schemathesis.BaseSchema,
        fresh_seeded: Callable[[], tuple[str, Callable[[], None]]]) -> None:
    """Chains of calls along the OpenAPI links (POST an article, then GET it, list its events
    and figures, open an event, DELETE it, GET it again) under every default check, the
    stateful ones included (a deleted article must answer 404, a created one be readable).

    Each scenario starts from its own copy of the seeded database, so a scenario's answers
    never depend on what an earlier one wrote or deleted (Hypothesis replays scenarios and
    requires the same draws to meet the same answers).

    Every default check but positive_data_acceptance, which expects every schema-valid
    request to succeed: this API also refuses, by design and documented as 4xx, what a
    schema cannot state (a `near` latitude over 90, `limit` over 500 on a JSON page,
    `date_from` after `date_to`, a binary text/plain body).
    """
    workflow = api_schema.as_state_machine()

    class OwnDatabase(workflow):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            super().setup()
            self.url, self.drop = fresh_seeded()
            self.app = seeded_app(self.url)

        def teardown(self) -> None:
            dispose(self.url, self.app.state.engine)
            self.drop()
            super().teardown()

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"app": self.app}

        def validate_response(self, response: schemathesis.Response, case: schemathesis.Case,
                              additional_checks: list | None = None, **kwargs: object) -> None:
            case.validate_response(response, additional_checks=additional_checks,
                                   excluded_checks=[schemathesis.checks.positive_data_acceptance],
                                   transport_kwargs=kwargs or None,
                                   recorder=getattr(self, "recorder", None))

    OwnDatabase.run(settings=STATEFUL)
