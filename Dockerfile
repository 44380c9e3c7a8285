# Sohoa: one image for the API, the workers and the CLI (`docker compose` picks the command).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # Tesseract must not start a thread per core: parallelism comes from worker processes.
    OMP_THREAD_LIMIT=1 \
    SOHOA_VAR_DIR=/var/lib/sohoa

# Tesseract 5 with Vietnamese and orientation/script detection, poppler for PDFs, the fonts the
# sample generator renders with, and glib for OpenCV.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        tesseract-ocr \
        tesseract-ocr-vie \
        tesseract-ocr-osd \
        poppler-utils \
        fonts-dejavu-core \
        fonts-dejavu-extra \
        fonts-liberation2 \
        fonts-noto-core \
        libglib2.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && tesseract --list-langs | grep -qx vie

WORKDIR /srv/sohoa

# Project metadata first: the dependency layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY ocr ./ocr
COPY units ./units
COPY pipeline ./pipeline
COPY storage ./storage
COPY workers ./workers
COPY api ./api
COPY scripts ./scripts
# Installs the package and its `sohoa` console script.
RUN pip install . \
    && sohoa --help > /dev/null

RUN useradd --create-home --uid 10001 sohoa \
    && mkdir -p "$SOHOA_VAR_DIR" \
    && chown sohoa:sohoa "$SOHOA_VAR_DIR"
USER sohoa

EXPOSE 8000
CMD ["sohoa", "--help"]
