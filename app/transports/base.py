from __future__ import annotations

from collections.abc import Callable


class TransportError(ConnectionError):
    """The link could not be opened or was lost; the message is for people."""


class Transport:
    """An async byte pipe.  Callbacks run on the event loop's thread."""

    description = ""

    async def open(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:  # pragma: no cover
        raise NotImplementedError

    async def write(self, data: bytes) -> None:  # pragma: no cover
        raise NotImplementedError

    async def close(self) -> None:  # pragma: no cover
        raise NotImplementedError

    @property
    def is_open(self) -> bool:  # pragma: no cover
        raise NotImplementedError
