"""Open-circuit voltage curves for the simulators (approximate, for realism only)."""

from __future__ import annotations

import bisect

# (state of charge 0..1, cell open-circuit voltage in V)
OCV: dict[str, list[tuple[float, float]]] = {
    "lifepo4": [
        (0.0, 2.60),
        (0.05, 3.00),
        (0.10, 3.18),
        (0.20, 3.24),
        (0.40, 3.27),
        (0.60, 3.29),
        (0.80, 3.31),
        (0.90, 3.33),
        (0.97, 3.40),
        (1.0, 3.55),
    ],
    "li-ion": [
        (0.0, 3.00),
        (0.05, 3.30),
        (0.10, 3.45),
        (0.30, 3.62),
        (0.50, 3.72),
        (0.70, 3.88),
        (0.90, 4.05),
        (1.0, 4.18),
    ],
    "lto": [(0.0, 1.80), (0.05, 2.05), (0.20, 2.20), (0.50, 2.30), (0.80, 2.42), (0.95, 2.55), (1.0, 2.70)],
}
CHEMISTRIES = tuple(OCV)


def normalise(name: str) -> str:
    key = name.strip().lower().replace("_", "-")
    aliases = {"lfp": "lifepo4", "liion": "li-ion", "nmc": "li-ion", "ternary": "li-ion"}
    key = aliases.get(key, key)
    if key not in OCV:
        raise ValueError(f"unknown chemistry {name!r}; choose one of {', '.join(CHEMISTRIES)}")
    return key


def ocv(chemistry: str, soc: float) -> float:
    table = OCV[chemistry]
    soc = min(max(soc, 0.0), 1.0)
    xs = [p[0] for p in table]
    i = bisect.bisect_right(xs, soc)
    if i <= 0:
        return table[0][1]
    if i >= len(table):
        return table[-1][1]
    (x0, y0), (x1, y1) = table[i - 1], table[i]
    return y0 + (y1 - y0) * (soc - x0) / (x1 - x0)
