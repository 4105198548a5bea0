"""The Celery app. It configures itself from Django settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "llmprep.settings")

app = Celery("llmprep")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
