"""Prometheus alerts and config, the Grafana dashboard, and their wiring in docker-compose.yml.

``promtool`` (Debian's ``prometheus`` package) checks the rules and runs their unit tests when it
is installed; the parser tests below hold without it: every alert is well formed and every metric
an alert or a panel names is one Sohoa exports.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"
METRIC = re.compile(r"\b((?:sohoa|dramatiq)_[a-z_]+)\b")
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")


def exported_metrics() -> set[str]:
    """Metric names as exposed (counters with ``_total``, histograms with their suffixes), read from
    workers/metrics.py and dramatiq's Prometheus middleware."""
    source = (ROOT / "workers" / "metrics.py").read_text(encoding="utf-8")
    names = set(re.findall(r'GaugeMetricFamily\(\s*"(sohoa_[a-z_]+)"', source))
    counters = re.findall(r'\("(pages|files|documents|failures)", "', source)
    assert counters, "the counter table of SohoaCollector moved"
    names |= {f"sohoa_{c}_processed_total" if c != "failures" else "sohoa_failures_total" for c in counters}
    names |= {f"sohoa_stage_seconds{s}" for s in HISTOGRAM_SUFFIXES}
    from dramatiq.middleware import prometheus

    dramatiq_source = Path(prometheus.__file__).read_text(encoding="utf-8")
    for name in re.findall(r'"(dramatiq_[a-z_]+)"', dramatiq_source):
        names |= {name, *(name + s for s in HISTOGRAM_SUFFIXES)}
    return names


def rules() -> list[dict]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def test_alerts_cover_what_ops_must_be_told():
    names = {rule["alert"] for rule in rules()}
    assert {"SohoaMessagesWithoutConsumer", "SohoaQueueGrowing", "SohoaNoLiveWorker", "SohoaFailureRateHigh",
            "SohoaBatchStalled", "SohoaReviewBacklogOld"} <= names


def test_every_alert_is_well_formed_and_names_exported_metrics():
    known = exported_metrics()
    for rule in rules():
        assert rule["labels"]["severity"] in ("critical", "warning", "info"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        used = set(METRIC.findall(rule["expr"]))
        assert used and used <= known, (rule["alert"], used - known)
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]


def test_dashboard_panels_query_exported_metrics():
    dashboard = json.loads((GRAFANA / "sohoa.json").read_text(encoding="utf-8"))
    known = exported_metrics()
    assert dashboard["uid"] and dashboard["panels"]
    titles = {p["title"] for p in dashboard["panels"]}
    assert {"Queue depth", "Live workers", "Throughput", "Failures by reason", "Stage duration p50 / p95",
            "Review backlog by unit and age", "Batch progress"} <= titles
    for panel in dashboard["panels"]:
        for target in panel["targets"]:
            used = set(METRIC.findall(target["expr"]))
            assert used and used <= known, (panel["title"], used - known)


def test_compose_runs_prometheus_and_grafana_on_these_files():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    for name in ("prometheus", "grafana"):
        assert name in services and services[name].get("healthcheck"), name
        for mount in services[name]["volumes"]:
            source = mount.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), mount
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    api_port = services["api"]["environment"]["SOHOA_API_PORT"]
    assert jobs["sohoa-api"]["static_configs"][0]["targets"] == [f"api:{api_port}"]
    worker_port = int(services["worker"]["environment"]["SOHOA_WORKER_METRICS_PORT"])
    assert jobs["sohoa-worker"]["dns_sd_configs"][0] == {"names": ["worker"], "type": "A", "port": worker_port}
    assert config["rule_files"] == ["alerts.yml"]


PROMTOOL = shutil.which("promtool")


@pytest.mark.skipif(PROMTOOL is None, reason="promtool (Debian package prometheus) is not installed")
def test_promtool_checks_the_rules_the_config_and_the_alert_unit_tests():
    for args in (["check", "rules", "alerts.yml"], ["check", "config", "prometheus.yml"],
                 ["test", "rules", "alerts_test.yml"]):
        run = subprocess.run([PROMTOOL, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stdout + run.stderr
