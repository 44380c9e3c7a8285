"""The one settings object, built from ``SOHOA_*`` environment variables and validated at start-up.

Stage code never reads the environment: the CLI, the workers and the API call
:func:`load_settings` once and pass the object (or the part of it a stage needs) down.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, Mapping

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.errors import ConfigError

ENV_PREFIX = "SOHOA_"


class Settings(BaseSettings):
    """All configuration of a Sohoa process. Defaults are the embedded (no services) shape."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    var_dir: Path = Field(Path("var"), description="Folder for the embedded database, objects and models")
    database_url: str = Field("", description="SQLAlchemy URL; default sqlite:///<var_dir>/sohoa.db")
    storage_url: str = Field("", description="file:///path or s3://key:secret@host:port/bucket; default <var_dir>/objects")
    broker_url: str = Field("stub://", description="stub:// (in-process), amqp://… (RabbitMQ) or redis://…")
    ocr_lang: str = Field("vie", description="Tesseract languages, e.g. vie or vie+eng")
    ocr_dpi: int = Field(300, ge=100, le=600, description="Resolution pages are normalised to")
    ocr_timeout: float = Field(120.0, gt=0, description="Seconds one Tesseract call may take")
    tesseract_cmd: str = Field("tesseract", description="Tesseract binary")
    ocr_engine: str = Field(
        "tesseract", description="OCR engine: tesseract, or module:factory of a plugin engine (tests use fakes)"
    )
    max_pixels: int = Field(150_000_000, ge=1_000_000, description="Refuse page images larger than this")
    max_pages_per_file: int = Field(
        2000, ge=1, description="Refuse scan files with more pages than this (split them first)"
    )
    zip_max_members: int = Field(10_000, ge=1, description="Refuse zip archives with more members than this")
    zip_max_ratio: int = Field(
        200, ge=2, description="Refuse zip members that expand more than this many times (a zip bomb)"
    )
    zip_max_bytes: int = Field(
        20 * 2**30, ge=2**20, description="Refuse zip archives whose members add up to more bytes than this"
    )
    review_threshold: float | None = Field(
        None, gt=0, le=1, description="Field confidence needed for auto-acceptance; default: from the calibration"
    )
    max_attempts: int = Field(3, ge=1, le=50, description="Deliveries of one message before it is failed")
    retry_min_backoff_ms: int = Field(1000, ge=0)
    retry_max_backoff_ms: int = Field(60_000, ge=0)
    worker_processes: int = Field(0, ge=0, description="Worker processes; 0 = one per core")
    worker_threads: int = Field(1, ge=1, le=64, description="Threads per worker process")
    sweep_interval: int = Field(
        300, ge=0, le=86_400,
        description="Seconds between the sweeps for stalled work that `sohoa worker` schedules; 0 = none",
    )
    stall_minutes: float = Field(
        10.0, gt=0, le=1440, description="A batch with no progress for this many minutes is reported stalled"
    )
    worker_metrics_port: int = Field(
        9191, ge=0, le=65535, description="Port of `sohoa worker`'s Prometheus endpoint (dramatiq's metrics); 0 = none"
    )
    log_format: Literal["json", "text"] = Field("json", description="json: one JSON object per line (ids, masked text)")
    stage_account_dir: Path | None = Field(
        None, description="Folder where each worker process (and `sohoa run`) writes its CPU account per stage "
                          "when it ends, one JSON file per process (read by `sohoa bench --end-to-end`)",
    )
    api_host: str = Field("127.0.0.1")
    api_port: int = Field(8000, ge=1, le=65535)
    secret_key: str = Field(
        "", description="Signs API tokens and page sessions; default (embedded only): generated into <var_dir>/secret_key"
    )
    token_ttl: int = Field(8 * 3600, ge=60, le=30 * 86_400, description="Seconds an API token or page session lasts")
    login_attempts: int = Field(
        5, ge=1, le=1000, description="Failed logins allowed per user name and client per minute"
    )
    auth_cache_s: float = Field(
        5.0, ge=0, le=60, description="Seconds a server process reuses a signed-in user without reading the "
        "database: a sign-out, revoke or disable done elsewhere takes effect within this")
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest request body the API accepts")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("storage_url")
    @classmethod
    def _check_storage_url(cls, value: str) -> str:
        if value and not value.startswith(("file://", "s3://", "/", ".")):
            raise ValueError("must be file:///path, a folder path, or s3://key:secret@host:port/bucket")
        return value

    @field_validator("ocr_engine")
    @classmethod
    def _check_ocr_engine(cls, value: str) -> str:
        if value != "tesseract" and ":" not in value:
            raise ValueError("must be tesseract or module:factory")
        return value

    @field_validator("broker_url")
    @classmethod
    def _check_broker_url(cls, value: str) -> str:
        if not value.startswith(("stub://", "amqp://", "amqps://", "redis://", "rediss://")):
            raise ValueError("must be stub://, amqp://… or redis://…")
        return value

    @model_validator(mode="after")
    def _check_backoff_order(self) -> "Settings":
        if self.retry_min_backoff_ms > self.retry_max_backoff_ms:
            raise ValueError(
                f"SOHOA_RETRY_MIN_BACKOFF_MS ({self.retry_min_backoff_ms}) is above "
                f"SOHOA_RETRY_MAX_BACKOFF_MS ({self.retry_max_backoff_ms})"
            )
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL, with the embedded SQLite file as the default."""
        return self.database_url or f"sqlite:///{(self.var_dir / 'sohoa.db').as_posix()}"

    @property
    def effective_storage_url(self) -> str:
        """The object-store URL, with the embedded local folder as the default."""
        return self.storage_url or f"file://{(self.var_dir / 'objects').resolve().as_posix()}"

    @property
    def effective_secret_key(self) -> str:
        """The signing secret: SOHOA_SECRET_KEY, or (embedded default only) a random one kept in
        ``<var_dir>/secret_key`` so that sessions survive a restart. Services need it set."""
        if self.secret_key:
            if len(self.secret_key) < 32:
                raise ConfigError("invalid settings: SOHOA_SECRET_KEY must be at least 32 characters")
            return self.secret_key
        if not self.embedded:
            raise ConfigError("invalid settings: SOHOA_SECRET_KEY is required with services "
                              "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')")
        import secrets

        path = self.var_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process made it first
                pass
            else:
                with os.fdopen(fd, "w") as handle:
                    handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()

    @property
    def embedded(self) -> bool:
        """True when running without services (in-process broker)."""
        return self.broker_url.startswith("stub://")


NOT_SETTINGS = frozenset({"setup_browser"})
"""``SOHOA_*`` variables read by the shell scripts in ``bin/``, not by the settings object."""


def load_settings(environ: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Build and validate the settings; raise :class:`ConfigError` naming the bad variable.

    An unknown ``SOHOA_*`` variable is an error too: a misspelt setting would otherwise be
    silently ignored and its default used.
    """
    env = dict(os.environ if environ is None else environ)
    values = {k[len(ENV_PREFIX):].lower(): v for k, v in env.items() if k.startswith(ENV_PREFIX)}
    _reject_unknown(set(values) - NOT_SETTINGS)
    values = {k: v for k, v in values.items() if k not in NOT_SETTINGS}
    values.update(overrides)
    try:
        # _env_file=None and passing values explicitly keeps the source of truth in one place.
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            if not err["loc"]:  # a check across settings: its message names the variables
                problems.append(err["msg"].removeprefix("Value error, "))
                continue
            name = ENV_PREFIX + "_".join(str(p) for p in err["loc"]).upper()
            problems.append(f"{name}: {err['msg']} (got {err.get('input')!r})")
        raise ConfigError("invalid settings: " + "; ".join(problems)) from None


def _reject_unknown(names: set[str]) -> None:
    known = set(Settings.model_fields)
    unknown = sorted(names - known)
    if not unknown:
        return
    import difflib

    problems = []
    for name in unknown:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {ENV_PREFIX}{close[0].upper()}?)" if close else ""
        problems.append(f"{ENV_PREFIX}{name.upper()}: not a Sohoa setting{hint}")
    raise ConfigError("invalid settings: " + "; ".join(problems))
