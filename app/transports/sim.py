"""The built-in simulator as a transport: ``sim://jk02_32s?cells=16``.

Runs the simulator's clock on the event loop (one timer task) and hands its
fragmented output to the session exactly as a serial or BLE link would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from ..model.url import DeviceUrl
from ..timing import current as current_timing
from .base import Transport, TransportError


class SimTransport(Transport):
    def __init__(self, url: DeviceUrl) -> None:
        from ..simulator import create_simulator

        self.description = url.redacted
        try:
            self.sim = create_simulator(url.target, **url.options)
        except ValueError as exc:
            raise TransportError(str(exc)) from exc
        self._task: asyncio.Task | None = None
        self._on_data: Callable[[bytes], None] | None = None
        self._on_lost: Callable[[Exception | None], None] | None = None
        #: the simulator clock's tick (app/timing.py: 0.05 s)
        self.tick_s = current_timing().sim_tick_s

    @property
    def is_open(self) -> bool:
        return self._task is not None and not self._task.done()

    async def open(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:
        self._on_data = on_data
        self._on_lost = on_lost
        self._task = asyncio.create_task(self._run(), name="sim-clock")

    def _deliver(self, chunks: list[bytes]) -> None:
        if self._on_data is None:
            return
        for chunk in chunks:
            self._on_data(chunk)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.tick_s)
            now = loop.time()
            self._deliver(self.sim.step(now - last))
            last = now

    async def write(self, data: bytes) -> None:
        if not self.is_open:
            raise TransportError("not connected")
        chunks = self.sim.receive(data)
        if self.sim.drop_link:  # a fault: the link dies mid-conversation
            self.sim.drop_link = False
            on_lost = self._on_lost
            await self.close()
            if on_lost is not None:
                asyncio.get_running_loop().call_soon(on_lost, TransportError("the simulated link dropped"))
            return
        # answer on the next loop iteration, as a real link would (later: a slow board)
        delay = getattr(self.sim, "reply_delay_s", 0.0)
        if delay:
            self.sim.reply_delay_s = 0.0
            asyncio.get_running_loop().call_later(delay, self._deliver, chunks)
        else:
            asyncio.get_running_loop().call_soon(self._deliver, chunks)

    async def close(self) -> None:
        task, self._task = self._task, None
        self._on_data = None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
