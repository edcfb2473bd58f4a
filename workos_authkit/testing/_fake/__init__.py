"""The in-memory fake WorkOS AuthKit server, one module per API area.

``fake`` holds :class:`FakeWorkOS`, ``state`` the tables it keeps, ``router`` the ``@route``
decorator and the request pipeline; the area modules hold the routes.
"""

from __future__ import annotations

from .._wire import FakeResponse
from .fake import FakeWorkOS
from .records import SentEmail, Settings

__all__ = ["FakeResponse", "FakeWorkOS", "SentEmail", "Settings"]
