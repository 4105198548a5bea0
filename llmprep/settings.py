"""Settings for LLM Interview Prepare, read from the environment (django-environ).

The embedded default (no variables set) is a development site on SQLite with tasks run
in-process and mail printed to the console. Production sets DJANGO_DEBUG=false, which
switches on every hardening and refuses to start without DJANGO_SECRET_KEY.
"""

from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=false (production)."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# The site's name and absolute URL: one source of truth, from the environment. Every absolute
# link (mails, the Atom feed, JSON-LD) is built from SITE_URL; the sites framework's Site row,
# which allauth's mails read, is set from both after every migrate (llmprep/sites.py).
# `make run` passes SITE_URL for the port it serves on. Unset, SITE_NAME is the translated default.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
_SITE_NAME_SET = env.str("SITE_NAME", default="")
SITE_NAME = _SITE_NAME_SET or _("LLM Interview Prepare")

INSTALLED_APPS = [
    # First: its createsuperuser (which marks the e-mail verified) overrides django.contrib.auth's.
    "accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "django.contrib.syndication",
    "allauth",
    "allauth.account",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "outbox",
    "questions",
    "jobs",
    "digests",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the exceptions of views first: service refusals as pages.
    "llmprep.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "llmprep.urls"
WSGI_APPLICATION = "llmprep.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "llmprep.context_processors.site",
            ],
            # {% partialdef %} everywhere, as Django 6 has it built in.
            "builtins": ["template_partials.templatetags.partials"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: sign-up and log-in by email, verification required before log-in.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# None: allauth prefixes its subjects with "[<Site name>] ", i.e. SITE_NAME.
ACCOUNT_EMAIL_SUBJECT_PREFIX = None
# The sign-up form also asks how often to receive digest emails.
ACCOUNT_SIGNUP_FORM_CLASS = "digests.forms.DigestSignupForm"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Mail: console by default; EMAIL_URL=smtp://user:pass@host:port in production.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default=f"{_SITE_NAME_SET or 'LLM Interview Prepare'} <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: without REDIS_URL tasks run in-process (eager); with it, Redis is the broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    # Every day at 03:30 Asia/Shanghai: remove expired sessions.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every day at 00:10 Asia/Shanghai: close job postings past their expires_at.
    "expire-jobs": {
        "task": "jobs.tasks.expire_jobs",
        "schedule": crontab(hour=0, minute=10),
    },
    # Every day at 09:00 Asia/Shanghai: remind recruiters of postings expiring within a week.
    "job-expiry-reminders": {
        "task": "jobs.tasks.send_job_expiry_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Every minute: send queued mail that no task has sent (after a broker or SMTP outage).
    "flush-outbox": {
        "task": "outbox.tasks.flush_outbox",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Every hour on the hour: enqueue, in batches, the members whose digest is due at this hour.
    "plan-digests": {
        "task": "digests.tasks.plan_digests",
        "schedule": crontab(minute=0),
        "options": {"expires": 50 * 60},
    },
}

# Django REST framework (the API lives under /api/v1/: llmprep/api_urls.py, llmprep/api.py).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "llmprep.api_schema.ApiAutoSchema",
    # Personal tokens first, so that an anonymous caller is told 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",  # enforces CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.IsVerifiedOrReadOnly"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "llmprep.api.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["llmprep.api.AnonThrottle", "llmprep.api.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("DRF_THROTTLE_ANON", default="60/minute"),
        "user": env.str("DRF_THROTTLE_USER", default="300/minute"),
    },
    "EXCEPTION_HANDLER": "llmprep.api.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LLM Interview Prepare API",
    "DESCRIPTION": (
        "The question bank of LLM Interview Prepare. Anyone may read; writing needs a personal "
        "API token (`Authorization: Bearer <token>`, created at /settings/tokens/) or a session, "
        "and a verified e-mail address. Every error has the body "
        '`{"error": {"code": …, "message": …, "fields": {…}}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "QuestionStatusEnum": "questions.models.Question.Status",
        "AnswerStatusEnum": "questions.models.Answer.Status",
        "JobStatusEnum": "jobs.models.Job.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "llmprep.api_schema.strict_requests_and_integer_ids",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# A strict Content-Security-Policy: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the small inline icons of the admin's and Swagger UI's stylesheets; user
        # Markdown can never produce a data: image (llmprep/markdown.py refuses them).
        "img-src": [SELF, "https:", "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production hardening: all on when DJANGO_DEBUG=false.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    # Behind a TLS-terminating proxy (docker-compose, a load balancer) that sets X-Forwarded-Proto.
    if env.bool("DJANGO_BEHIND_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz must answer over plain HTTP for the orchestrator's probe.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Site behaviour.
# A new member's answers wait for review until this many have been approved.
QUESTIONS_TRUSTED_AFTER_APPROVED_ANSWERS = env.int("QUESTIONS_TRUSTED_AFTER", default=2)
# Days until a question a member marked comes back as "due for review", by how sure they are.
QUESTIONS_REVIEW_AFTER_DAYS = {"review": 1, "learning": 3, "mastered": 21}

# Rate limits on actions (llmprep/limits.py), the same for the web pages and the API: at most
# this many per member in the period (s, m, h, d). An action left out is not limited.
ACTION_RATE_LIMITS = {
    "question_submit": env.str("LIMIT_QUESTION_SUBMIT", default="10/h"),
    "answer_create": env.str("LIMIT_ANSWER_CREATE", default="30/h"),
    "answer_edit": env.str("LIMIT_ANSWER_EDIT", default="60/h"),
    "vote": env.str("LIMIT_VOTE", default="60/m"),
    "preview": env.str("LIMIT_PREVIEW", default="30/m"),
    "recruiter_apply": env.str("LIMIT_RECRUITER_APPLY", default="5/d"),
    "job_submit": env.str("LIMIT_JOB_SUBMIT", default="20/h"),
}

# Outgoing mail (outbox/): a claim older than this may be taken over by another worker, and a
# mail is given up after this many failed attempts.
OUTBOX_CLAIM_TIMEOUT = 120  # seconds
OUTBOX_MAX_ATTEMPTS = 8

# Job board. A posting runs JOBS_DEFAULT_DAYS after publication unless the recruiter asks for
# an earlier date, never more than JOBS_MAX_DAYS; recruiters are reminded JOBS_REMINDER_DAYS
# before it expires.
JOBS_DEFAULT_DAYS = 30
JOBS_MAX_DAYS = 90
JOBS_REMINDER_DAYS = 7

# Digest emails (digests/): see "Digest emails" in the README.
# Members per batch task; a batch builds its digests with a constant number of queries.
DIGEST_BATCH_SIZE = env.int("DIGEST_BATCH_SIZE", default=200)
# A delivery claimed longer ago than this (its worker was killed mid-send) may be claimed again;
# longer than CELERY_TASK_TIME_LIMIT so that a live batch is never overtaken.
DIGEST_CLAIM_TIMEOUT = 15 * 60  # seconds
# Attempts at one member's digest for one period before giving up on that period.
DIGEST_MAX_ATTEMPTS = 5
# Members who have not logged in for this many days get a last digest saying so, then none.
DIGEST_INACTIVE_AFTER_DAYS = env.int("DIGEST_INACTIVE_AFTER_DAYS", default=180)
# The oldest content a digest reaches back to, however long ago the member's last digest was.
DIGEST_MAX_LOOKBACK_DAYS = 31
# Items listed per section (the subject and headings still count them all).
DIGEST_ITEMS_PER_SECTION = 10
# The mailto: address in List-Unsubscribe (RFC 2369); defaults to the sender's address.
DIGEST_UNSUBSCRIBE_EMAIL = env.str(
    "DIGEST_UNSUBSCRIBE_EMAIL", default=parseaddr(DEFAULT_FROM_EMAIL)[1] or "noreply@localhost"
)
