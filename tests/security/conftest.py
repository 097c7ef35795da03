"""Security tests' fixtures: the loopback listener every SSRF attempt is aimed at (tests/support/listener.py)."""

from __future__ import annotations

import pytest

from tests.support import listener as listeners

_LISTENER: listeners.Listener | None = None


@pytest.fixture(scope="session")
def listener() -> listeners.Listener:
    """The 127.0.0.1 listener every SSRF test aims at; it must never be reached."""
    global _LISTENER
    if _LISTENER is None:
        _LISTENER = listeners.start()
    return _LISTENER


@pytest.fixture
def quiet_listener(listener: listeners.Listener):
    """The listener, checked after the test: nothing reached it during the test."""
    before = len(listener.hits)
    yield listener
    assert listener.hits[before:] == [], f"the server made outbound requests: {listener.hits[before:]}"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Over the whole suite the listener receives nothing: a request that reached it fails the run."""
    if _LISTENER is not None and _LISTENER.hits:
        print(f"\nFAILED: the outbound listener was reached {len(_LISTENER.hits)} times: {_LISTENER.hits[:3]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
