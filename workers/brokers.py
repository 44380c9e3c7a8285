"""Dramatiq brokers from ``SOHOA_BROKER_URL``, their health check and their queue depths.

No actors here (see :mod:`workers.actors`): this module only turns a URL into a broker.

* ``stub://``                 -> :class:`dramatiq.brokers.stub.StubBroker` (the embedded default)
* ``amqp://`` / ``amqps://``  -> :class:`RabbitmqBroker` with publisher confirms, so that a send
  returns only once RabbitMQ has taken the message (no message lost between ``send`` and a crash)
* ``redis://`` / ``rediss://`` -> :class:`RedisBroker`

Queue names in dramatiq: a queue ``q`` has a delay queue ``q.DQ`` (messages waiting for their
eta, e.g. retries in backoff) and a dead-letter queue ``q.XQ`` (messages given up on).
"""

from __future__ import annotations

import socket
from typing import Any

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name, q_name, xq_name

from schemas.errors import ConfigError, TransientError

PING_TIMEOUT_S = 3.0

STUB_SCHEMES = ("stub://",)
RABBITMQ_SCHEMES = ("amqp://", "amqps://")
REDIS_SCHEMES = ("redis://", "rediss://")


def make_broker(broker_url: str, *, middleware: list | None = None) -> dramatiq.Broker:
    """The dramatiq broker for ``broker_url`` (does not connect yet, nor set the global broker).

    ``middleware`` replaces dramatiq's default middleware list when given (as dramatiq does).
    """
    if broker_url.startswith(STUB_SCHEMES):
        return StubBroker(middleware=middleware)
    if broker_url.startswith(RABBITMQ_SCHEMES):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=broker_url, confirm_delivery=True, middleware=middleware)
    if broker_url.startswith(REDIS_SCHEMES):
        from dramatiq.brokers.redis import RedisBroker

        return RedisBroker(url=broker_url, middleware=middleware)
    raise ConfigError(f"SOHOA_BROKER_URL: unsupported broker {_redact(broker_url)!r} (stub://, amqp://… or redis://…)")


def broker_ping(broker_url: str, *, timeout: float = PING_TIMEOUT_S) -> None:
    """Return if the broker answers within ``timeout`` seconds; raise :class:`TransientError` otherwise.

    Opens (and closes) its own connection: for ``sohoa status`` and health checks.
    """
    if broker_url.startswith(STUB_SCHEMES):
        return  # in-process: always there
    if broker_url.startswith(RABBITMQ_SCHEMES):
        _ping_rabbitmq(broker_url, timeout)
    elif broker_url.startswith(REDIS_SCHEMES):
        _ping_redis(broker_url, timeout)
    else:
        raise ConfigError(f"SOHOA_BROKER_URL: unsupported broker {_redact(broker_url)!r}")


def _ping_rabbitmq(broker_url: str, timeout: float) -> None:
    import pika
    import pika.exceptions
    from pika.adapters.utils.connection_workflow import AMQPConnectorException  # e.g. handshake timeout

    parameters = pika.URLParameters(broker_url)
    parameters.connection_attempts = 1
    parameters.socket_timeout = timeout
    parameters.stack_timeout = timeout
    parameters.blocked_connection_timeout = timeout
    try:
        connection = pika.BlockingConnection(parameters)
    except (pika.exceptions.AMQPError, AMQPConnectorException, OSError) as exc:
        raise _unavailable(broker_url, exc) from exc
    connection.close()


def _ping_redis(broker_url: str, timeout: float) -> None:
    import redis

    client = redis.Redis.from_url(broker_url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except (redis.exceptions.RedisError, OSError) as exc:
        raise _unavailable(broker_url, exc) from exc
    finally:
        client.close()


def queue_depths(broker: dramatiq.Broker, queues: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Messages per queue: ``{queue: {"ready": n, "delayed": n, "dead": n, "consumers": n | None}}``.

    ``queues`` defaults to the queues declared on ``broker`` (declare them first, e.g. by declaring
    the actors or calling ``broker.declare_queue``). Nothing is created on the server: a queue that
    does not exist there yet counts as empty. ``ready`` is what waits for a worker; messages a
    worker has fetched and not yet acknowledged are in none of the counts. ``consumers`` is known on
    RabbitMQ only. Raises :class:`TransientError` if the broker cannot be reached.
    """
    # Some brokers list their delay queues among the declared ones: count each queue once.
    names = sorted({q_name(name) for name in (queues if queues is not None else broker.get_declared_queues())})
    if isinstance(broker, StubBroker):
        return {name: _stub_depth(broker, name) for name in names}
    kind = type(broker).__name__
    if kind == "RabbitmqBroker":
        return {name: _rabbitmq_depth(broker, name) for name in names}
    if kind == "RedisBroker":
        return _redis_depths(broker, names)
    raise TypeError(f"queue depths are not known for {kind}")


def _stub_depth(broker: StubBroker, name: str) -> dict[str, Any]:
    def size(queue_name: str) -> int:
        queue = broker.queues.get(queue_name)
        return queue.qsize() if queue is not None else 0

    return {
        "ready": size(name),
        "delayed": size(dq_name(name)),
        "dead": len(broker.dead_letters_by_queue.get(name, ())),
        "consumers": None,
    }


def _rabbitmq_depth(broker: dramatiq.Broker, name: str) -> dict[str, Any]:
    ready, consumers = _rabbitmq_passive_count(broker, name)
    delayed, _ = _rabbitmq_passive_count(broker, dq_name(name))
    dead, _ = _rabbitmq_passive_count(broker, xq_name(name))
    return {"ready": ready, "delayed": delayed, "dead": dead, "consumers": consumers}


def _rabbitmq_passive_count(broker: dramatiq.Broker, queue_name: str) -> tuple[int, int]:
    """(messages ready, consumers) of one queue by a passive declare, which never creates it."""
    import pika.exceptions

    for fresh_connection in (False, True):
        try:
            frame = broker.channel.queue_declare(queue=queue_name, passive=True)
        except pika.exceptions.ChannelClosedByBroker as exc:
            del broker.channel  # the broker closes the channel on a failed passive declare
            if exc.reply_code == 404:  # NOT_FOUND: not created yet, so nothing in it
                return 0, 0
            raise _unavailable("amqp", exc) from exc
        except (pika.exceptions.AMQPError, OSError) as exc:
            del broker.connection
            if fresh_connection:
                raise _unavailable("amqp", exc) from exc
            continue  # the kept connection may have died in an earlier outage: one try on a new one
        return frame.method.message_count, frame.method.consumer_count
    raise AssertionError("unreachable")


def _redis_depths(broker: dramatiq.Broker, names: list[str]) -> dict[str, dict[str, Any]]:
    """Lengths of dramatiq's Redis keys: ``ns:q`` and ``ns:q.DQ`` lists of ids, ``ns:q.XQ`` sorted set."""
    import redis

    namespace = broker.namespace
    pipe = broker.client.pipeline(transaction=False)
    for name in names:
        pipe.llen(f"{namespace}:{name}")
        pipe.llen(f"{namespace}:{dq_name(name)}")
        pipe.zcard(f"{namespace}:{xq_name(name)}")
    try:
        counts = pipe.execute()
    except (redis.exceptions.RedisError, OSError) as exc:
        raise _unavailable("redis", exc) from exc
    return {
        name: {"ready": ready, "delayed": delayed, "dead": dead, "consumers": None}
        for name, (ready, delayed, dead) in zip(names, _triples(counts))
    }


def _triples(values: list[int]) -> list[tuple[int, int, int]]:
    return [tuple(values[i : i + 3]) for i in range(0, len(values), 3)]  # type: ignore[misc]


def _unavailable(broker_url: str, exc: BaseException) -> TransientError:
    # pika's connection errors have an empty str(); their repr names the cause (refused, timeout…).
    detail = "timed out" if isinstance(exc, socket.timeout) else (str(exc) or repr(exc))
    return TransientError(f"broker {_redact(broker_url)} unreachable: {detail}", code="broker_unavailable")


def _redact(url: str) -> str:
    """``scheme://host…`` without the password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def main() -> int:
    """``python -m workers.brokers``: exit 0 if the configured ``SOHOA_BROKER_URL`` answers (a health check)."""
    from schemas.settings import load_settings

    broker_url = load_settings().broker_url
    try:
        broker_ping(broker_url)
    except TransientError as exc:
        print(exc.reason)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
