"""Schemathesis against the live schema, in-process through the WSGI app: every operation,
a bounded number of generated examples (valid and invalid), without credentials and with the
token of a verified member. Fails on any 5xx and on any response the schema does not allow."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from llmprep.wsgi import application
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 8


# Writes have rules JSON Schema cannot state: the category must exist, and a title or answer
# is measured after its whitespace is trimmed. A schema-valid body may therefore get a 400;
# for write operations only, `positive_data_acceptance` accepts that (every other check, and
# every check on reads, stays strict).
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-method-regex": "^(POST|PUT|PATCH)$",
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
                    }
                },
            }
        ]
    }
)

# Loaded when the tests are collected, from the running app's own schema endpoint.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


@pytest.fixture(autouse=True)
def _keep_the_test_database_connection():
    # Schemathesis calls the WSGI app directly, not through Django's test client, so the
    # request signals would close the connection that holds the test's transaction (on
    # PostgreSQL). Django's test client disconnects them in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _generous_rates(settings):
    # The run should exercise the endpoints rather than the throttles (tested on their own).
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {k: "100000/minute" for k in ("anon", "user", "post", "vote")},
    }


def _real_ids(case, bank) -> list[int]:
    """Ids of existing objects for the operation's `{id}`: generated ids almost never exist,
    so each generated case is also sent with these, to reach the happy paths (reading, voting
    on someone else's answer, editing one's own) and the refusals (one's own answer, someone
    else's answer, a pending question)."""
    if "id" not in (case.path_parameters or {}) or case.meta.generation.mode != "positive":
        return []  # a negative case's invalid part may be the id itself
    if case.path.startswith("/api/v1/answers/"):
        return [bank["by_other"].pk, bank["by_member"].pk, bank["hidden_a"].pk]
    return [bank["what_is_lora"].pk, bank["pending_q"].pk]


HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_to_the_schema_without_credentials(case, bank):
    case.call_and_validate()
    for real_id in _real_ids(case, bank):
        case.path_parameters["id"] = real_id
        case.call_and_validate()


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_to_the_schema_with_a_members_token(case, bank, member):
    headers = {"Authorization": client_for(member)._credentials["HTTP_AUTHORIZATION"]}
    case.call_and_validate(headers=headers)
    for real_id in _real_ids(case, bank):
        case.path_parameters["id"] = real_id
        case.call_and_validate(headers=headers)
