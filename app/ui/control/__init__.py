"""The Control tab: switches, calibration, the board's own presets and resets, capacity,
and the "before sealing" checks — each action guarded and verified.

Everything that writes goes through app/services/control.py and writer.py: the
password gate (nothing is sent on a wrong password), a backup where settings may
change, the command, and a read-back.  Each action is confirmed first, inline, in
words that say what happens to the pack and to a controller behind it; its outcome
stays on screen in green (verified), red (refused, failed) or amber (stored but
unconfirmed).  What the board family cannot do is hidden and said in one line, never
pretended; what it does not report is said in grey, never passed.

One module per section, on the shared base (base.py: ask → confirm → run → show);
page.py only places them.  Dialogs are opened with ``open()``, never ``exec()``
(shared/stack.md P2).

    page.py             the tab: columns (one below 1150 px), scrolling, the shared state
    base.py, caps.py    the section base; what the board can do, in one object
    sealing.py          before sealing the pack
    switches.py         charging, discharging, balancing, heating; the outputs
    capacity.py         nominal and remaining capacity (+ state_of_charge.py: SOC, clock)
    identity.py         device name and the board's password
    emergency.py        emergency mode (JK02_32S)
    calibration.py      against a meter (+ wizard.py, wizard_steps.py; zero.py: current zero)
    presets.py          the board's own chemistry presets
    actions.py          restart, shut down, factory reset
"""

from .page import ControlPage

__all__ = ["ControlPage"]
