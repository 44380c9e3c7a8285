"""docker-compose.yml and the Dockerfile agree with the settings object and with each other.

No Docker engine here: the files are parsed and checked, not run. Variables are interpolated the
way Compose does with an empty environment (``${VAR:-default}`` -> default), i.e. a trial run
without an .env file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import TypeAdapter

from schemas.settings import ENV_PREFIX, Settings, load_settings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("postgres", "rabbitmq", "minio", "api", "worker")
APP_SERVICES = ("api", "worker")

_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """Compose's variable substitution: ``${V}``, ``${V:-default}``, ``${V-default}``, ``${V:?err}``, ``$$``."""

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.group("name", "op", "arg")
        present = name in env
        if op == ":-":
            return env[name] if present and env[name] else arg
        if op == "-":
            return env[name] if present else arg
        if op in (":?", "?"):
            if not present or (op == ":?" and not env[name]):
                raise AssertionError(f"${{{name}}} is required: {arg}")
        return env.get(name, "")

    return _VARIABLE.sub(substitute, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def environment(service: dict, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A service's environment (mapping or list form), interpolated."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    return {name: interpolate(str(value), env or {}) for name, value in raw.items()}


def sohoa_environment(service: dict) -> dict[str, str]:
    return {name: value for name, value in environment(service).items() if name.startswith(ENV_PREFIX)}


def duration_seconds(text: str) -> float:
    """A Compose duration (``5m``, ``1m30s``, ``300s``, ``1h``) in seconds."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|us|h|m|s)", text)
    assert parts and "".join(n + u for n, u in parts) == text, f"not a duration: {text!r}"
    return sum(float(number) * units[unit] for number, unit in parts)


def test_the_five_services_exist(compose: dict) -> None:
    assert set(SERVICES) <= set(compose["services"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_sohoa_variable_is_a_setting_and_validates(compose: dict, name: str) -> None:
    env = sohoa_environment(compose["services"][name])
    fields = {ENV_PREFIX + field.upper() for field in Settings.model_fields}
    unknown = set(env) - fields
    assert not unknown, f"{name}: {sorted(unknown)} are not settings (typo?), known: {sorted(fields)}"
    settings = load_settings(env)  # raises ConfigError naming the variable if a value is bad
    # Nothing falls back to the embedded default in production.
    assert not settings.embedded
    assert settings.database_url and settings.storage_url
    for variable, value in env.items():
        field = variable[len(ENV_PREFIX):].lower()
        expected = TypeAdapter(Settings.model_fields[field].annotation).validate_python(value)
        assert getattr(settings, field) == expected, f"{variable}={value!r} was not taken as given"


def test_api_and_worker_share_their_backends(compose: dict) -> None:
    api, worker = (sohoa_environment(compose["services"][name]) for name in APP_SERVICES)
    for variable in ("SOHOA_DATABASE_URL", "SOHOA_STORAGE_URL", "SOHOA_BROKER_URL", "SOHOA_OCR_TIMEOUT",
                     "SOHOA_OCR_LANG", "SOHOA_MAX_ATTEMPTS"):
        assert api.get(variable) == worker.get(variable), variable


def test_urls_point_at_the_compose_services_with_their_credentials(compose: dict) -> None:
    services = compose["services"]
    settings = load_settings(sohoa_environment(services["worker"]))

    database = urlsplit(settings.database_url)
    postgres = environment(services["postgres"])
    assert settings.database_url.startswith("postgresql+psycopg://")
    assert (database.hostname, database.port or 5432) == ("postgres", 5432)
    assert (database.username, database.password, database.path.lstrip("/")) == (
        postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"])

    broker = urlsplit(settings.broker_url)
    rabbitmq = environment(services["rabbitmq"])
    assert broker.scheme == "amqp" and (broker.hostname, broker.port or 5672) == ("rabbitmq", 5672)
    assert (broker.username, broker.password) == (rabbitmq["RABBITMQ_DEFAULT_USER"], rabbitmq["RABBITMQ_DEFAULT_PASS"])

    from storage.s3 import S3Config  # the store's own parser: the URL must be one it accepts

    storage = S3Config.from_url(settings.storage_url)
    minio = environment(services["minio"])
    assert storage.endpoint == "minio:9000" and storage.secure is False
    assert (storage.access_key, storage.secret_key) == (minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"])
    bucket_job = services["minio-init"]
    assert environment(bucket_job)["BUCKET"] == storage.bucket, "minio-init creates the bucket the store uses"


def test_secrets_can_be_overridden_from_the_environment(compose: dict) -> None:
    services = compose["services"]
    secrets = {"POSTGRES_PASSWORD": "pg-Secret1", "RABBITMQ_PASSWORD": "mq-Secret2",
               "MINIO_ROOT_USER": "ops", "MINIO_ROOT_PASSWORD": "s3-Secret3"}
    worker = environment(services["worker"], secrets)
    assert ":pg-Secret1@postgres" in worker["SOHOA_DATABASE_URL"]
    assert ":mq-Secret2@rabbitmq" in worker["SOHOA_BROKER_URL"]
    assert "//ops:s3-Secret3@minio" in worker["SOHOA_STORAGE_URL"]
    assert environment(services["postgres"], secrets)["POSTGRES_PASSWORD"] == "pg-Secret1"
    assert environment(services["minio"], secrets)["MINIO_ROOT_PASSWORD"] == "s3-Secret3"


def test_long_running_services_have_health_checks(compose: dict) -> None:
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue  # one-shot jobs (bucket, migrations): others wait for them to complete
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"
        assert not check.get("disable"), name


def test_app_services_wait_for_healthy_backends(compose: dict) -> None:
    services = compose["services"]
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        for backend in ("postgres", "rabbitmq", "minio"):
            assert depends[backend]["condition"] == "service_healthy", f"{name} -> {backend}"
        for job, spec in depends.items():
            if services[job].get("restart") == "no":
                assert spec["condition"] == "service_completed_successfully", f"{name} -> {job}"


def test_worker_stop_grace_period_outlasts_the_slowest_page(compose: dict) -> None:
    worker = compose["services"]["worker"]
    settings = load_settings(sohoa_environment(worker))
    grace = duration_seconds(worker["stop_grace_period"])
    # The page being read finishes: up to two Tesseract calls (OSD when the cheap orientation test
    # is unsure, then the OCR), each bounded by the OCR timeout, plus its other steps (decode, clean, persist).
    slowest_page = 2 * settings.ocr_timeout + 60
    assert grace >= slowest_page, f"stop_grace_period {grace}s vs slowest page {slowest_page}s"


def test_worker_is_scalable(compose: dict) -> None:
    worker = compose["services"]["worker"]
    for fixed in ("container_name", "ports", "hostname"):
        assert fixed not in worker, f"worker has {fixed}: `--scale worker=N` would clash"
    assert worker["command"][:2] == ["sohoa", "worker"]
    assert compose["services"]["api"]["command"][:2] == ["sohoa", "serve"]


def test_stateful_services_keep_data_in_named_volumes(compose: dict) -> None:
    declared = set(compose.get("volumes") or {})
    for name, target in (("postgres", "/var/lib/postgresql/data"), ("rabbitmq", "/var/lib/rabbitmq"),
                         ("minio", "/data")):
        mounts = [v.split(":")[:2] for v in compose["services"][name]["volumes"] if isinstance(v, str)]
        sources = [source for source, path in mounts if path == target]
        assert sources and sources[0] in declared, f"{name}: {target} is not on a named volume"


def test_rabbitmq_has_management_and_prometheus(compose: dict) -> None:
    rabbitmq = compose["services"]["rabbitmq"]
    assert "management" in rabbitmq["image"]
    mounts = {path.split(":")[1]: path.split(":")[0] for path in rabbitmq["volumes"]}
    plugins_file = ROOT / mounts["/etc/rabbitmq/enabled_plugins"]
    plugins = plugins_file.read_text(encoding="utf-8")
    assert re.fullmatch(r"\s*\[[\w,\s]+\]\.\s*", plugins), "enabled_plugins is an Erlang list ending with '.'"
    assert "rabbitmq_management" in plugins and "rabbitmq_prometheus" in plugins
    for source in mounts.values():
        if source.startswith("./"):
            assert (ROOT / source).is_file(), f"mounted file {source} is missing"


def test_dockerfile_installs_vietnamese_ocr_and_the_console_script() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.M)
    for package in ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-osd"):
        assert re.search(rf"\s{re.escape(package)}\s", dockerfile), package
    assert re.search(r"pip install \.(\s|$)", dockerfile), "the project itself is installed"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts.get("sohoa") == "scripts.cli:main", "the image's commands run the `sohoa` console script"
    # Every package the distribution ships is copied into the image.
    for package in ("schemas", "ocr", "pipeline", "storage", "workers", "api", "scripts"):
        assert re.search(rf"^COPY {package} ", dockerfile, re.M), f"{package}/ is not copied"


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".venv", "var", ".git", ".env"} <= ignored
