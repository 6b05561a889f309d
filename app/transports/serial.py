"""Serial links through pyserial's ``serial_for_url`` in a worker thread.

One code path for ``/dev/tty…``, ``COM…``, ``socket://`` (raw TCP bridges) and
``rfc2217://``.  Reads block in a dedicated thread and are handed to the event
loop with ``call_soon_threadsafe``; nothing blocks the GUI thread
(shared/stack.md §2).
"""

from __future__ import annotations

import asyncio
import select
import socket
import threading
import time
from collections.abc import Callable

import serial

from ..timing import current as current_timing
from .base import Transport, TransportError


class SerialTransport(Transport):
    READ_TIMEOUT_S = 0.05

    def __init__(self, url: str, baudrate: int = 115200) -> None:
        self.url = url
        self.baudrate = baudrate
        self.description = url
        self._port: serial.SerialBase | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._write_lock = asyncio.Lock()
        #: the pause after closing a socket:// port, before a reconnection (pyserial's 0.3 s)
        self.socket_close_grace_s = current_timing().socket_close_grace_s

    @property
    def is_open(self) -> bool:
        return self._port is not None and self._port.is_open and not self._stop.is_set()

    async def open(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:
        loop = asyncio.get_running_loop()
        try:
            self._port = await asyncio.to_thread(
                serial.serial_for_url,
                self.url,
                baudrate=self.baudrate,
                timeout=self.READ_TIMEOUT_S,
                write_timeout=2,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise TransportError(_explain(self.url, exc)) from exc
        self._stop.clear()
        port = self._port
        sock = _is_socket(port)
        if sock:
            # pyserial's socket read(n) returns when n bytes or the timeout are
            # reached: a short timeout keeps latency low without a busy loop
            port.timeout = 0.02

        def reader() -> None:
            error: Exception | None = None
            try:
                while not self._stop.is_set():
                    data = _read_socket(port) if sock else port.read(max(1, port.in_waiting))
                    if data:
                        loop.call_soon_threadsafe(on_data, data)
            except Exception as exc:  # noqa: BLE001 - any failure means the link is gone
                error = exc
            if not self._stop.is_set():
                try:
                    loop.call_soon_threadsafe(on_lost, TransportError(_explain(self.url, error)))
                except RuntimeError:
                    pass  # loop already closed

        self._thread = threading.Thread(target=reader, name=f"serial-{self.url}", daemon=True)
        self._thread.start()

    async def write(self, data: bytes) -> None:
        port = self._port
        if port is None or self._stop.is_set():
            raise TransportError("not connected")
        async with self._write_lock:
            try:
                await asyncio.to_thread(port.write, data)
            except (serial.SerialException, OSError) as exc:
                raise TransportError(_explain(self.url, exc)) from exc
            except (TypeError, AttributeError, ValueError) as exc:
                # pyserial's socket:// handler when the link closed under the write
                # (its socket is already None, or its descriptor -1 in select): the
                # link is gone, say so
                raise TransportError(f"{self.url}: the link was closed") from exc

    async def close(self) -> None:
        self._stop.set()
        port, self._port = self._port, None
        thread, self._thread = self._thread, None
        if port is not None:
            await asyncio.to_thread(_quiet_close, port, self.socket_close_grace_s)
        if thread is not None:
            await asyncio.to_thread(thread.join, 2)


def _read_socket(port: serial.SerialBase) -> bytes:
    """What a ``socket://`` port has now (waiting up to its timeout).

    pyserial's ``read(n)`` on a socket URL discards the bytes it already
    received when the peer closes during the same call, so the last frame
    before a disconnect would be lost.  This reads from the socket of the
    pinned pyserial 3.5 directly and reports the close only after the data.
    """
    sock = getattr(port, "_socket", None)
    if sock is None:
        return port.read(4096)
    ready, _, _ = select.select([sock], [], [], port.timeout)
    if not ready:
        return b""
    data = sock.recv(4096)
    if not data:
        raise serial.SerialException("socket disconnected")
    return data


def _is_socket(port: object) -> bool:
    return type(port).__module__.endswith("protocol_socket")


def _quiet_close(port: serial.SerialBase, socket_grace_s: float = 0.3) -> None:
    try:
        if _is_socket(port) and port.is_open:
            _close_socket(port, socket_grace_s)
        else:
            port.close()
    except Exception:  # noqa: BLE001
        pass


def _close_socket(port: serial.SerialBase, grace_s: float) -> None:
    """What pyserial 3.5's socket:// ``close()`` does, with its pause "in case of quick
    reconnects, give the server some time" (0.3 s there) taken from app/timing.py."""
    sock = getattr(port, "_socket", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        except OSError:
            pass
        port._socket = None
    port.is_open = False
    time.sleep(grace_s)


def _explain(url: str, exc: BaseException | None) -> str:
    text = str(exc) if exc else "the link closed"
    low = text.lower()
    if "permission denied" in low:
        return (
            f"{url}: permission denied. On Linux add yourself to the 'dialout' group "
            "(sudo usermod -aG dialout $USER) and log in again."
        )
    # before "could not open port": pyserial words a refused socket:// connection that way too
    if "connection refused" in low or "could not open socket" in low:
        return f"{url}: nobody is listening there. Is the bridge on and the address right? ({text})"
    if "could not open port" in low or "no such file" in low:
        return f"{url}: no such port. Is the adapter plugged in? ({text})"
    if "disconnected" in low or "the link closed" in low:
        return f"{url}: the connection was closed by the other side"
    return f"{url}: {text}"
