"""Serve a simulator over TCP, the way a network serial bridge serves a board.

``packbench simulate --listen 127.0.0.1:0`` runs ``serve`` on asyncio; tests and
benchmarks use ``ServerThread``, which runs the same server on a loop of its
own in a background thread (so it works beside the Qt loop).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from ..timing import current as current_timing


class SimulatorServer:
    """One board, shared by every client connected to it (output goes to all)."""

    def __init__(self, sim: Any, tick_s: float | None = None) -> None:
        self.sim = sim
        #: the simulator clock's tick (default: app/timing.py, 0.05 s)
        self.tick_s = current_timing().sim_tick_s if tick_s is None else tick_s
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.base_events.Server | None = None
        self._ticker: asyncio.Task | None = None
        self.port: int | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        self._server = await asyncio.start_server(self._client, host, port)
        sock = self._server.sockets[0]
        addr = sock.getsockname()
        self.port = addr[1]
        self._ticker = asyncio.create_task(self._tick())
        return addr[0], addr[1]

    async def stop(self) -> None:
        if self._ticker:
            self._ticker.cancel()
            try:
                await self._ticker
            except asyncio.CancelledError:
                pass
        for w in list(self._writers):
            w.close()
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    def drop_clients(self) -> None:
        """Cut every connection (a pulled cable, a bridge reboot)."""
        for w in list(self._writers):
            w.close()
        self._writers.clear()

    def _broadcast(self, chunks: list[bytes]) -> None:
        data = b"".join(chunks)
        if not data:
            return
        for w in list(self._writers):
            if w.is_closing():
                self._writers.discard(w)
                continue
            w.write(data)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                data = await reader.read(4096)
                if not data:
                    break
                chunks = self.sim.receive(data)
                delay = getattr(self.sim, "reply_delay_s", 0.0)
                if delay:  # a slow board (?write_delay=S): the answer comes later
                    self.sim.reply_delay_s = 0.0
                    asyncio.get_running_loop().call_later(delay, self._broadcast, chunks)
                else:
                    self._broadcast(chunks)
                if self.sim.drop_link:  # a fault: cut every connection now
                    self.sim.drop_link = False
                    self.drop_clients()
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(self.tick_s)
            now = loop.time()
            self._broadcast(self.sim.step(now - last))
            last = now


class ServerThread:
    """A ``SimulatorServer`` on its own event loop in a daemon thread."""

    def __init__(self, sim: Any, host: str = "127.0.0.1", port: int = 0, tick_s: float | None = None) -> None:
        self.sim = sim
        self.server = SimulatorServer(sim, tick_s)
        self._host, self._port = host, port
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sim-server", daemon=True)
        self.address: tuple[str, int] | None = None

    @property
    def url(self) -> str:
        assert self.address
        return f"socket://{self.address[0]}:{self.address[1]}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self.address = self._loop.run_until_complete(self.server.start(self._host, self._port))
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.server.stop())
        self._loop.close()

    def start(self) -> ServerThread:
        self._thread.start()
        if not self._ready.wait(5):
            raise RuntimeError("simulator server did not start")
        return self

    def call(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` on the server's loop (e.g. ``server.drop_clients``)."""
        self._loop.call_soon_threadsafe(fn)

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
