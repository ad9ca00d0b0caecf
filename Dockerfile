# frontwire API image: Python 3.11, the exact versions of requirements.lock (hash-checked), then
# frontwire itself as a plain package (not editable; setup.py puts migrations/ inside it, where
# app/migrate.py finds them), and the gazetteer index built once at build time so no worker
# spends ~10 s building it on its first POST.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FRONTWIRE_CACHE_DIR=/var/cache/frontwire

WORKDIR /app

# Dependencies first, from the lock alone, so code changes do not reinstall them.
COPY requirements.lock ./
# (a current pip first: older ones refuse hash-checked extras such as lxml[html_clean])
RUN pip install --upgrade "pip>=24.1" && pip install --require-hashes -r requirements.lock

# The package without resolving anything more; pip check fails if the lock lacks a requirement.
COPY pyproject.toml setup.py MANIFEST.in README.md /tmp/frontwire/
COPY app /tmp/frontwire/app
COPY migrations /tmp/frontwire/migrations
RUN pip install --no-deps /tmp/frontwire && pip check && rm -rf /tmp/frontwire

COPY seeds ./seeds

RUN useradd --create-home --uid 1000 frontwire \
    && mkdir -p "$FRONTWIRE_CACHE_DIR" \
    && chown -R frontwire "$FRONTWIRE_CACHE_DIR"
USER frontwire

# Warm the disk cache (gazetteer index) into the image.
RUN python -c "from app.ingest.pipeline import warm_up; warm_up()"

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

# Migrate, optionally ingest the seed articles (INGEST_SEEDS=1; idempotent by content hash),
# then serve with WEB_CONCURRENCY uvicorn worker processes.
CMD ["sh", "-c", "frontwire db upgrade && if [ \"${INGEST_SEEDS:-0}\" = 1 ]; then frontwire ingest seeds || echo 'seed ingestion reported failures'; fi && exec frontwire serve --host 0.0.0.0 --port 8000 --workers \"${WEB_CONCURRENCY:-2}\""]
