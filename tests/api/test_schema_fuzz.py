"""Every operation of the API, fuzzed from its own OpenAPI schema (issue 18, "Done when"): schemathesis
draws 20 requests per operation — valid and invalid bodies, parameters and ids — sent in-process as an
administrator (who may call every operation), and no answer may be a server error. Throttles are raised
for the run so that they do not mask what the handlers do. Runs on SQLite and, in CI, on PostgreSQL."""

from __future__ import annotations

from functools import cache

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error

from talent.models import Role
from tests.factories import make_user

EXAMPLES = 20


@cache
def _operations() -> dict[str, object]:
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    return {op.label: op for op in (result.ok() for result in schema.get_all_operations())}


@pytest.fixture
def _keep_connection():  # type: ignore[no-untyped-def]
    """The WSGI handler closes the database connection after each response, which would end the test's
    transaction on PostgreSQL; Django's own test client unhooks the same signal for its requests."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(org_tree, monkeypatch, _keep_connection):  # type: ignore[no-untyped-def]
    for scope in list(SimpleRateThrottle.THROTTLE_RATES):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/min")
    user = make_user(Role.ADMIN, org_tree.city, username="fuzz_admin")
    return Token.objects.create(user=user).key


def test_the_schema_has_every_operation() -> None:
    assert len(_operations()) >= 112


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(_operations()))
def test_no_operation_answers_a_server_error(label, admin_token) -> None:  # type: ignore[no-untyped-def]
    operation = _operations()[label]

    @given(case=operation.as_strategy())  # type: ignore[attr-defined]
    @hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, checks=[not_a_server_error])

    run()
