"""Fixtures for the feed tests: a real HTTP server on 127.0.0.1 serving the fixture feeds."""

from __future__ import annotations

import pytest
from .feedkit import build_fixtures
from .feedserver import FeedServer


@pytest.fixture(scope="session")
def feed_server():
    """The running server, with every fixture feed of :func:`feedkit.build_fixtures`."""
    server = FeedServer().start()
    build_fixtures(server)
    yield server
    server.stop()
