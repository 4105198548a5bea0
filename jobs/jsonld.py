"""schema.org JobPosting for a live posting, in the shape search engines' job parsers expect
(https://developers.google.com/search/docs/appearance/structured-data/job-posting)."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from jobs.models import Job

EMPLOYMENT_TYPES = {
    Job.EmploymentType.FULL_TIME: "FULL_TIME",
    Job.EmploymentType.PART_TIME: "PART_TIME",
    Job.EmploymentType.CONTRACT: "CONTRACTOR",
    Job.EmploymentType.INTERNSHIP: "INTERN",
}
SALARY_UNITS = {
    Job.SalaryPeriod.MONTH: "MONTH",
    Job.SalaryPeriod.YEAR: "YEAR",
    Job.SalaryPeriod.DAY: "DAY",
    Job.SalaryPeriod.HOUR: "HOUR",
}

# The characters that could end the <script> element or open a comment inside it, as JSON
# escapes (the same set django.utils.html.json_script uses).
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def job_posting(job: Job) -> dict:
    organization = {"@type": "Organization", "name": job.company.name}
    if job.company.website:
        organization["sameAs"] = job.company.website
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description_html,
        "datePosted": job.published_at.isoformat(),
        "validThrough": job.expires_at.isoformat(),
        "employmentType": EMPLOYMENT_TYPES[job.employment_type],
        "hiringOrganization": organization,
        "identifier": {"@type": "PropertyValue", "name": job.company.name, "value": str(job.pk)},
        "url": f"{settings.SITE_URL}{job.get_absolute_url()}",
    }
    place = {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": job.location,
            "addressCountry": job.country,
        },
    }
    if job.remote_policy == Job.RemotePolicy.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": job.country}
    else:
        data["jobLocation"] = place
    if job.has_salary:
        value = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS[job.salary_period]}
        if job.salary_min is not None:
            value["minValue"] = job.salary_min
        if job.salary_max is not None:
            value["maxValue"] = job.salary_max
        if job.salary_min is None or job.salary_max is None:
            value["value"] = job.salary_min if job.salary_max is None else job.salary_max
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": job.salary_currency,
            "value": value,
        }
    return data


def as_script(data: dict) -> SafeString:
    """`data` inside <script type="application/ld+json">, escaped so that no value (a title
    containing "</script>", say) can end the element."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
