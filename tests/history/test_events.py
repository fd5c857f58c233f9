"""The event bus delivers to every subscriber, survives a failing one, and unsubscribes."""

from player.core.events import EventBus, EventName, EventPayload


def test_publish_reaches_subscribers_and_unsubscribe_stops_it() -> None:
    bus = EventBus()
    heard: list[tuple[EventName, EventPayload]] = []
    stop = bus.subscribe("history_changed", lambda n, p: heard.append((n, p)))
    bus.subscribe("library_changed", lambda n, p: heard.append((n, p)))
    bus.publish("history_changed", {"reason": "import"})
    assert heard == [("history_changed", {"reason": "import"})]
    stop()
    bus.publish("history_changed")
    assert len(heard) == 1


def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    bus = EventBus()
    heard: list[EventName] = []

    def broken(name: EventName, payload: EventPayload) -> None:
        raise RuntimeError("view bug")

    bus.subscribe("feedback_changed", broken)
    bus.subscribe("feedback_changed", lambda n, p: heard.append(n))
    bus.publish("feedback_changed", {"track_ids": [3]})
    assert heard == ["feedback_changed"]
