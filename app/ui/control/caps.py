"""What the Control tab can offer for what the bridge shows: one object, built once per
change of board, from which every section decides what it shows.

A source that takes no commands (a log replay: ``Source.can_write`` is False,
app/source.py) offers nothing; a board offers what its protocol declares
(``Protocol.actions``, ``calibration_kinds``, ``has_emergency`` …) and the
settings its schema can write (the switches and the capacity are settings).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...services import writer
from ...source import Source

#: Capabilities.source: nothing connected / a recording (nothing can be sent) / a board
NONE, REPLAY, BOARD = "none", "replay", "board"


@dataclass(frozen=True)
class Capabilities:
    source: str = NONE
    #: the protocol's name, for the notes that say what a family cannot do
    family: str = ""
    protocol_id: str = ""
    #: a read-only family's reason (Protocol.read_only_reason): nothing on the tab applies
    read_only_reason: str | None = None
    #: the settings Packbench can write on this board (switches, capacity, device name)
    keys: frozenset[str] = frozenset()
    actions: tuple[str, ...] = ()
    calibration: tuple[str, ...] = ()
    board_presets: tuple[str, ...] = ()
    emergency: bool = False
    remaining_capacity: bool = False
    soc: bool = False
    clock: bool = False
    board_password: bool = False
    board_password_clearable: bool = False
    #: "local": Packbench checks the setup password the board reports; "board", "none"
    password_check: str = ""

    @property
    def board(self) -> bool:
        """A board that takes commands is connected."""
        return self.source == BOARD


def capabilities_of(source: Source | None) -> Capabilities:
    if source is None:
        return Capabilities()
    if not source.can_write:
        return Capabilities(source=REPLAY)
    proto = source.protocol
    actions = tuple(proto.actions())
    return Capabilities(
        source=BOARD,
        family=proto.name,
        protocol_id=proto.id,
        read_only_reason=proto.read_only_reason,
        keys=frozenset(s.key for s in writer.writable_schema(source)),
        actions=actions,
        calibration=tuple(proto.calibration_kinds()),
        board_presets=tuple(writer.board_preset_actions(source)) if actions else (),
        emergency=proto.has_emergency(),
        remaining_capacity=proto.has_remaining_capacity,
        soc=proto.has_soc,
        clock=proto.has_clock,
        board_password=proto.has_board_password,
        board_password_clearable=proto.has_board_password and proto.board_password_clearable,
        password_check=proto.password_check,
    )
