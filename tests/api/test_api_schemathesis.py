"""Schemathesis against the live schema, in-process through the WSGI app: every operation,
a bounded number of generated examples (valid and invalid), without credentials and with the
tokens of a verified member and of a recruiter. Fails on any 5xx and on any response the
schema does not allow."""

import itertools

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from accounts.services import api_token_create
from llmprep.wsgi import application

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 4


# Writes have rules JSON Schema cannot state: the category must exist, and a title or answer
# is measured after its whitespace is trimmed. A schema-valid body may therefore get a 400;
# for write operations only, `positive_data_acceptance` accepts that (every other check, and
# every check on reads, stays strict).
WRITES_MAY_REFUSE_VALID_BODIES = {
    "include-method-regex": "^(POST|PUT|PATCH)$",
    "checks": {
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
        }
    },
}
# Without a recruiter's credentials every job write stops at 401/403 before its body is read,
# so there the hundreds of boundary-value bodies of the coverage phase would test nothing new:
# those operations get only the fuzzing phase's examples (the run stays well under a minute).
JOB_WRITES_FUZZED_ONLY = {
    "include-path-regex": "^/api/v1/jobs/",
    "include-method-regex": "^(POST|PUT|PATCH)$",
    "phases": {"coverage": {"enabled": False}},
}

# Loaded when the tests are collected, from the running app's own schema endpoint.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    application,
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {"operations": [WRITES_MAY_REFUSE_VALID_BODIES]}
    ),
)
schema_without_job_rights = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json",
    application,
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {"operations": [WRITES_MAY_REFUSE_VALID_BODIES, JOB_WRITES_FUZZED_ONLY]}
    ),
)


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


@pytest.fixture
def jobs(bank, recruiter, other_recruiter):
    from tests.jobs.factories import CompanyFactory, JobFactory

    company = CompanyFactory(name="深度求索", recruiters=[recruiter])
    theirs = other_recruiter.companies.get()
    return {
        "live": JobFactory(company=company, created_by=recruiter, published=True),
        "draft": JobFactory(company=company, created_by=recruiter),
        "theirs": JobFactory(company=theirs, created_by=other_recruiter),
    }


def _bearer(user) -> str:
    return "Bearer " + api_token_create(user=user, name="schemathesis")[1]


_rotation = itertools.count()

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _with_a_real_id(case, bank, jobs) -> bool:
    """Generated ids almost never exist, so a valid case is sent a second time with the id of
    an existing object, taking turns among a few chosen to reach the happy paths (reading,
    voting on someone else's answer, editing one's own answer or posting) and the refusals
    (one's own answer, someone else's answer or posting, a pending question, a hidden answer).
    Returns whether it set one."""
    if "id" not in (case.path_parameters or {}) or case.meta.generation.mode != "positive":
        return False  # a negative case's invalid part may be the id itself
    if case.path.startswith("/api/v1/answers/"):
        ids = [bank["by_other"].pk, bank["by_member"].pk, bank["hidden_a"].pk]
    elif case.path.startswith("/api/v1/jobs/"):
        ids = [jobs["live"].pk, jobs["draft"].pk, jobs["theirs"].pk]
    else:
        ids = [bank["what_is_lora"].pk, bank["pending_q"].pk]
    case.path_parameters["id"] = ids[next(_rotation) % len(ids)]
    return True


def _check(case, bank, jobs, headers=None):
    case.call_and_validate(headers=headers)
    if _with_a_real_id(case, bank, jobs):
        case.call_and_validate(headers=headers)


@schema_without_job_rights.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_to_the_schema_without_credentials(case, bank, jobs):
    _check(case, bank, jobs)


@schema_without_job_rights.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_to_the_schema_with_a_members_token(case, bank, jobs, member):
    _check(case, bank, jobs, {"Authorization": _bearer(member)})


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_conforms_to_the_schema_with_a_recruiters_token(
    case, bank, jobs, recruiter
):
    _check(case, bank, jobs, {"Authorization": _bearer(recruiter)})
