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

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from app.config import Settings
from app.main import create_app
from tests.conftest import API_KEY
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


@pytest.fixture(scope="module")
def api_schema(seeded_url: str) -> schemathesis.BaseSchema:
    """The app's own /openapi.json, loaded from the ASGI app bound to the seeded database."""
    return schemathesis.openapi.from_asgi("/openapi.json", seeded_app(seeded_url))


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
