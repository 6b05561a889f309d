"""What every simulated board has, whatever its wire protocol.

A family's simulator derives from ``BoardSimulator``: it owns a ``Pack``
(pack.py) and speaks its own protocol in front of it through
``receive(bytes)`` and ``step(dt)``, which return the byte chunks the board
sends back.  The base holds what the transports and the tests look at on
every board, once: the faults, the random source, ``drop_link``,
``reply_delay_s``, the narration, the cutting of replies into chunks, and
the pack as a meter and a calibration see it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .narration import Narrate, say
from .pack import Cell, Pack


@dataclass
class Faults:
    """Misbehaviour on demand, for tests: the things real boards do."""

    junk: bool = True  # sprinkle AT\r\n between chunks
    chunk_sizes: tuple[int, ...] = (20,)  # notification sizes to cut output into
    silent: bool = False  # stop answering and streaming (a board that went away)
    ack_without_store: bool = False
    drop_writes: bool = False  # refuse every write: no ack, nothing stored
    #: store at most this value for a key (a board that silently clamps)
    clamp: dict[str, float] = field(default_factory=dict)
    #: refuse writes while the setup password is not the factory one
    require_password: bool = False
    #: drop the link when this many writes have been accepted (0: never)
    drop_link_after_writes: int = 0
    #: seconds the board takes to answer a write (?write_delay=S): a slow board, so a
    #: test can interrupt a client while it waits for the answer
    write_delay_s: float = 0.0


class BoardSimulator:
    """A board with a pack behind it; subclasses speak the wire protocol."""

    def __init__(self, pack: Pack, faults: Faults) -> None:
        self.pack = pack
        self.rng: random.Random = pack.rng
        self.faults = faults
        #: set when a fault asks the transport to cut the link (transports reset it)
        self.drop_link = False
        #: told one line per change the board makes to itself (``packbench simulate``)
        self.narrate: Narrate | None = None
        self.narrate_prefix = "board"
        #: how long the reply just produced waits before it goes out (transports read
        #: and reset it): ``Faults.write_delay_s`` after a write
        self.reply_delay_s = 0.0

    # --- the transports' side ----------------------------------------------------------------
    def receive(self, data: bytes) -> list[bytes]:  # pragma: no cover - interface
        raise NotImplementedError

    def step(self, dt: float) -> list[bytes]:  # pragma: no cover - interface
        raise NotImplementedError

    def _cut(self, data: bytes) -> list[bytes]:
        """``data`` in the chunks the link delivers (BLE notifications, serial reads)."""
        sizes = self.faults.chunk_sizes
        chunks, pos = [], 0
        while pos < len(data):
            n = self.rng.choice(sizes)
            chunks.append(data[pos : pos + n])
            pos += n
        return chunks

    def _say(self, text: str) -> None:
        say(self.narrate, text, self.narrate_prefix)

    # --- write faults --------------------------------------------------------------------------
    def _clamped(self, key: str, value: Any) -> Any:
        """What a board that silently clamps stores for ``key`` (``clamp_<key>=``)."""
        limit = self.faults.clamp.get(key)
        return limit if limit is not None and value > limit else value

    def _link_drops(self, accepted: int) -> bool:
        """True (once) when ``drop_link_after_writes`` is reached: the link dies now."""
        limit = self.faults.drop_link_after_writes
        if limit and accepted >= limit:
            self.faults.drop_link_after_writes = 0
            self.drop_link = True
            return True
        return False

    # --- the pack, as a meter, a calibration and the tests see it -------------------------------
    @property
    def board(self) -> Pack:
        """The pack behind the wire (the name the simulator factory and older tests use)."""
        return self.pack

    @property
    def chemistry(self) -> str:
        return self.pack.chemistry

    @property
    def cells(self) -> list[Cell]:
        return self.pack.cells

    @property
    def current_a(self) -> float:
        return self.pack.current_a

    @property
    def voltage_gain(self) -> float:
        return self.pack.voltage_gain

    @voltage_gain.setter
    def voltage_gain(self, value: float) -> None:
        self.pack.voltage_gain = value

    @property
    def current_gain(self) -> float:
        return self.pack.current_gain

    @current_gain.setter
    def current_gain(self, value: float) -> None:
        self.pack.current_gain = value

    @property
    def constant_current_a(self) -> float | None:
        return self.pack.constant_current_a

    @constant_current_a.setter
    def constant_current_a(self, value: float | None) -> None:
        self.pack.constant_current_a = value

    def cell_voltages(self) -> list[float]:
        return self.pack.cell_voltages()

    def true_pack_voltage(self) -> float:
        """What a meter on the pack terminals would read (for tests)."""
        return self.pack.true_pack_voltage()


__all__ = ["BoardSimulator", "Faults"]
