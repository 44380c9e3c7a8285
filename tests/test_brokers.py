"""Brokers from URLs, health checks and queue depths, on the machine's real RabbitMQ and Redis.

RabbitMQ (127.0.0.1:5672, guest/guest) and Redis (127.0.0.1:6379) are part of the machine: when
one is down these tests FAIL with a message saying so; they are not skipped. Each test uses its
own uniquely named queue and deletes it (and its delay and dead-letter queues) afterwards.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import dramatiq
import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name, xq_name
from dramatiq.middleware import Retries

from schemas.errors import ConfigError, TransientError
from workers.brokers import broker_ping, make_broker, queue_depths

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
REDIS_URL = "redis://127.0.0.1:6379/0"


def require_service(url: str) -> None:
    """Fail (not skip) with a clear message when a service of the machine is down."""
    try:
        broker_ping(url)
    except TransientError as exc:
        pytest.fail(f"this test needs the machine's broker at {url}, which must be running: {exc}", pytrace=False)


def delete_rabbitmq_queues(broker: RabbitmqBroker, name: str) -> None:
    channel = broker.channel
    for queue in (name, dq_name(name), xq_name(name)):
        channel.queue_delete(queue)


def delete_redis_queues(broker: RedisBroker, name: str) -> None:
    keys = list(broker.client.scan_iter(f"{broker.namespace}:{name}*"))
    keys += list(broker.client.scan_iter(f"{broker.namespace}:__acks__.{broker.broker_id}*"))
    if keys:
        broker.client.delete(*keys)
    broker.client.zrem(f"{broker.namespace}:__heartbeats__", broker.broker_id)


CLEANUP: dict[str, Callable] = {RABBITMQ_URL: delete_rabbitmq_queues, REDIS_URL: delete_redis_queues}


@pytest.fixture(params=[RABBITMQ_URL, REDIS_URL], ids=["rabbitmq", "redis"])
def real_broker(request) -> Iterator[tuple[dramatiq.Broker, str]]:
    """A broker on a real service, with a queue name nobody else uses; cleaned up afterwards."""
    require_service(request.param)
    # Only Retries: this test decides about dead letters, not the production middleware.
    broker = make_broker(request.param, middleware=[Retries(max_retries=0)])
    queue = f"sohoa-test-{uuid.uuid4().hex[:12]}"
    try:
        yield broker, queue
    finally:
        CLEANUP[request.param](broker, queue)
        broker.close()


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def test_make_broker_by_scheme() -> None:
    assert isinstance(make_broker("stub://"), StubBroker)
    rabbit = make_broker(RABBITMQ_URL)
    assert isinstance(rabbit, RabbitmqBroker)
    assert rabbit.confirm_delivery, "sends must be confirmed by RabbitMQ"
    assert isinstance(make_broker(REDIS_URL), RedisBroker)
    with pytest.raises(ConfigError):
        make_broker("kafka://x:9092")


def test_make_broker_uses_the_middleware_given() -> None:
    retries = Retries(max_retries=1)
    broker = make_broker("stub://", middleware=[retries])
    assert broker.middleware == [retries]


def test_depths_count_ready_delayed_and_dead_letters_then_a_worker_drains(
    real_broker: tuple[dramatiq.Broker, str],
) -> None:
    broker, queue = real_broker
    done: list[int] = []
    lock = threading.Lock()

    def record(n: int) -> None:
        if n < 0:
            raise ValueError("poison")  # no retries: straight to the dead-letter queue
        with lock:
            done.append(n)

    actor = dramatiq.actor(record, broker=broker, queue_name=queue, actor_name=f"record_{queue}")
    for n in range(3):
        actor.send(n)
    actor.send(-1)
    actor.send_with_options(args=(99,), delay=3_600_000)  # an hour away: stays delayed

    before = queue_depths(broker)
    assert before[queue] == {"ready": 4, "delayed": 1, "dead": 0, "consumers": before[queue]["consumers"]}

    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        wait_until(lambda: len(done) == 3 and queue_depths(broker)[queue]["dead"] == 1)
        during = queue_depths(broker, [queue])[queue]
        assert during["ready"] == 0 and during["dead"] == 1
        if isinstance(broker, RabbitmqBroker):
            assert during["consumers"] >= 1, "the worker's consumer is visible on RabbitMQ"
    finally:
        worker.stop()
    assert sorted(done) == [0, 1, 2]


def test_depths_of_queues_never_created_on_the_server_are_zero(real_broker: tuple[dramatiq.Broker, str]) -> None:
    broker, queue = real_broker
    broker.declare_queue(queue)  # declared on this broker only: RabbitMQ creates queues lazily
    depths = queue_depths(broker)
    assert depths[queue]["ready"] == depths[queue]["delayed"] == depths[queue]["dead"] == 0
    # The broker still works after the failed passive declare closed its channel.
    assert queue_depths(broker, [queue])[queue]["ready"] == 0


def test_stub_depths() -> None:
    broker = make_broker("stub://", middleware=[Retries(max_retries=0)])
    actor = dramatiq.actor(lambda: None, broker=broker, queue_name="sohoa.stub", actor_name="noop")
    actor.send()
    actor.send_with_options(delay=60_000)
    assert queue_depths(broker) == {"sohoa.stub": {"ready": 1, "delayed": 1, "dead": 0, "consumers": None}}


def test_ping_real_services() -> None:
    for url in (RABBITMQ_URL, REDIS_URL):
        require_service(url)
    broker_ping("stub://")


@pytest.mark.parametrize("scheme", ["amqp://guest:guest", "redis://"])
def test_ping_of_a_closed_port_is_transient_and_quick(scheme: str) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"{scheme}@127.0.0.1:{port}" if scheme.startswith("amqp") else f"redis://127.0.0.1:{port}/0"
    started = time.monotonic()
    with pytest.raises(TransientError, match="unreachable") as caught:
        broker_ping(url, timeout=1)
    assert caught.value.code == "broker_unavailable"
    assert "guest@" not in str(caught.value), "the password is not shown"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("scheme", ["amqp", "redis"])
def test_ping_of_a_server_that_never_answers_times_out(scheme: str) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)  # handshakes complete, nobody ever speaks
        url = f"{scheme}://127.0.0.1:{listener.getsockname()[1]}"
        started = time.monotonic()
        with pytest.raises(TransientError):
            broker_ping(url, timeout=0.5)
        assert time.monotonic() - started < 3


def test_ping_rejects_unknown_schemes() -> None:
    with pytest.raises(ConfigError):
        broker_ping("kafka://127.0.0.1:9092")
