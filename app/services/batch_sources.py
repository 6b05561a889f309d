"""Where a batch run's packs come from, and the loop over them (issue 19), the same for
``packbench batch`` and the window's Jobs panel.

Three sources: the device URLs given (one pack each); the Bluetooth boards a scan finds
advertising a family Packbench knows, strongest signal first; one link (a serial port)
whose pack the operator swaps between packs, asked before each next pack.  A pack already
done in the job is refused by ``Run.run_pack`` (the registry knows), whatever its source.
Between packs the loop waits while the run is paused, and ends once a pack was
interrupted (Ctrl-C, SIGTERM, Stop).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from .batch import Run


def is_serial_port(url: str) -> bool:
    """A serial port (not socket://): one link, the operator swaps packs on it."""
    from ..model.url import parse_device_url

    try:
        parsed = parse_device_url(url)
    except (ValueError, KeyError):
        return False
    return parsed.scheme == "serial" and "://" not in parsed.target  # a port, not socket://


async def scan_urls(timeout_s: float) -> list[str]:
    """The Bluetooth boards advertising a known family, strongest signal first
    (TransportError in words when Bluetooth cannot be used)."""
    from .discovery import scan_bluetooth

    return [f.url for f in await scan_bluetooth(timeout_s) if f.family]


async def each_pack(
    runner: Run,
    urls: list[str],
    *,
    swap: bool = False,
    next_pack: Callable[[], Awaitable[bool]] | None = None,
) -> AsyncIterator[str]:
    """The URL of each pack in turn.  ``swap``: the one URL again after each pack once
    ``next_pack()`` says the operator connected the next one (False: the run ends).
    Before each pack after the first, waits while the run is paused; ends after a pack
    that was interrupted."""
    for i, url in enumerate(urls if not swap else iter(lambda: urls[0], None)):
        if i:
            if runner.interrupted:
                return
            await runner.until_resumed()
            if swap and (next_pack is None or not await next_pack()):
                return
        yield url
