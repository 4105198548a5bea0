import pytest

from accounts.roles import RECRUITERS
from accounts.services import user_grant_role
from tests.factories import UserFactory
from tests.jobs.factories import CompanyFactory, JobFactory


@pytest.fixture
def company(recruiter):
    return CompanyFactory(recruiters=[recruiter])


@pytest.fixture
def other_recruiter(db):
    """A recruiter of another company."""
    user = UserFactory()
    user_grant_role(user=user, role=RECRUITERS)
    CompanyFactory(recruiters=[user])
    return user


@pytest.fixture
def draft(company, recruiter):
    return JobFactory(company=company, created_by=recruiter)


@pytest.fixture
def pending(company, recruiter):
    return JobFactory(company=company, created_by=recruiter, status="pending")


@pytest.fixture
def live_job(company, recruiter):
    return JobFactory(company=company, created_by=recruiter, published=True)
