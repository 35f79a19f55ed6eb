"""Schemathesis against the WSGI app, on SQLite: every operation of /api/v1/openapi.json with
generated inputs (valid and invalid), valid tokens for the writes. Asserts no 5xx, status codes,
content types and bodies conforming to the document. Bounded: 25 examples per operation,
derandomised (reproducible), no deadline; about 30-60 s in all."""
from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from common.db import make_engine
from common.migrate import models_metadata
from tests.api_helpers import DRAFT_X, build_api_world

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_world_app(tmp_path_factory):
    from sqlmodel import Session

    from app import create_app

    folder = tmp_path_factory.mktemp("api-schemathesis")
    url = f"sqlite:///{folder / 'api.sqlite'}"
    engine = make_engine(url)
    models_metadata().create_all(engine)
    engine.dispose()
    application = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url,
                              "UPLOAD_DIR": str(folder / "uploads"),
                              "DOCUMENT_CACHE_DIR": str(folder / "document-cache")})
    with Session(application.extensions["procure.engine"], expire_on_commit=False) as session:
        world = build_api_world(session, application.config)
        firm_enterprise = world.enterprises["a"].id
    yield application, world, firm_enterprise
    application.extensions["procure.engine"].dispose()


def _operations(application):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    return [result.ok() for result in schema.get_all_operations()]


def _call(case, world, firm_enterprise):
    method, path = case.method.upper(), case.path
    headers = {}
    if method == "PATCH" and path == "/enterprises/{enterprise_id}":
        headers = world.auth("firm_a")
        case.path_parameters = {"enterprise_id": firm_enterprise}  # the firm's own profile: writes happen
    elif method in ("POST", "PATCH") and path.startswith("/tenders"):
        headers = world.auth("buyer_x")
        if method == "PATCH":
            case.path_parameters = {"ref": DRAFT_X}  # the buyer's own draft
    return case.call_and_validate(headers=headers, checks=CHECKS)


def _label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(api_world_app, mode):
    application, world, firm_enterprise = api_world_app
    operations = _operations(application)
    assert {_label(op) for op in operations} >= {
        "GET /enterprises", "GET /enterprises/search", "GET /enterprises/{enterprise_id}",
        "PATCH /enterprises/{enterprise_id}", "GET /tenders", "POST /tenders", "GET /tenders/{ref}",
        "PATCH /tenders/{ref}", "GET /tenders/{ref}/results", "GET /tenders/{ref}/ocds"}
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        seen = statuses.setdefault(_label(operation), set())

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
        def run(case):
            seen.add(_call(case, world, firm_enterprise).status_code)

        run()
    if mode == GenerationMode.POSITIVE:
        # The writes were really exercised with valid tokens, not only refused.
        assert 200 in statuses["PATCH /enterprises/{enterprise_id}"], statuses
        assert 201 in statuses["POST /tenders"], statuses
        assert 200 in statuses["PATCH /tenders/{ref}"], statuses
    else:
        assert statuses["PATCH /enterprises/{enterprise_id}"] & {400, 422}, statuses
