FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

RUN useradd --create-home --uid 1000 app

COPY pyproject.toml README.md ./
COPY llmprep llmprep
COPY accounts accounts
COPY questions questions
COPY jobs jobs
COPY digests digests
COPY search search
RUN pip install .

COPY . .
# Collect static files at build time; this key is only for the build step, never at run time.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-build-step-only \
    python manage.py collectstatic --noinput

USER app
EXPOSE 8000
CMD ["gunicorn", "llmprep.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
