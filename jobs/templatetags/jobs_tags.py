from django import template
from django.utils.translation import gettext as _

from jobs.jsonld import as_script, job_posting
from jobs.models import Job

register = template.Library()


@register.simple_tag
def job_jsonld(job: Job):
    return as_script(job_posting(job))


def _amount(value: int, period: str) -> str:
    # Monthly and yearly figures read as "25K"; daily and hourly ones stay exact.
    if period in (Job.SalaryPeriod.MONTH, Job.SalaryPeriod.YEAR) and value % 1000 == 0:
        return f"{value // 1000}K"
    return f"{value:,}"


@register.simple_tag
def job_salary(job: Job) -> str:
    """ "25K-40K CNY per month · 16 months/year" ("25K-40K CNY 每月 · 16薪" in Chinese)."""
    if not job.has_salary:
        return ""
    low, high = job.salary_min, job.salary_max
    if low is not None and high is not None:
        amount = f"{_amount(low, job.salary_period)}-{_amount(high, job.salary_period)}"
    elif low is not None:
        amount = _("from %(amount)s") % {"amount": _amount(low, job.salary_period)}
    else:
        amount = _("up to %(amount)s") % {"amount": _amount(high, job.salary_period)}
    text = f"{amount} {job.salary_currency} {job.get_salary_period_display()}"
    if job.salary_months and job.salary_period == Job.SalaryPeriod.MONTH:
        text += " · " + _("%(months)d months/year") % {"months": job.salary_months}
    return text
