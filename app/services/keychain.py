"""'Remember for this device': setup passwords in the OS keychain, never in files.

Uses the ``keyring`` package (macOS Keychain, Windows Credential Locker,
Secret Service/KWallet on Linux).  Where no keychain is available (a bare
Linux without a Secret Service, CI) every call says so instead of silently
falling back to a plain file.  ``PasswordMemory`` keeps the passwords of this run
per board, in memory, and in the keychain when the user asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .settings_files import device_key

if TYPE_CHECKING:
    from ..session import DeviceSession

SERVICE = "Packbench BMS setup password"


class KeychainUnavailable(RuntimeError):
    pass


def _backend():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError as exc:  # pragma: no cover - it is a dependency
        raise KeychainUnavailable("the keyring package is not installed") from exc
    backend = keyring.get_keyring()
    if (
        isinstance(backend, fail.Keyring)
        or type(backend).__name__ == "ChainerBackend"
        and not getattr(backend, "backends", True)
    ):
        raise KeychainUnavailable("no system keychain is available on this computer")
    return keyring


def available() -> bool:
    try:
        _backend()
        return True
    except KeychainUnavailable:
        return False


def remember(device: str, password: str) -> None:
    kr = _backend()
    try:
        kr.set_password(SERVICE, device, password)
    except Exception as exc:  # noqa: BLE001 - keyring backends raise their own errors
        raise KeychainUnavailable(f"the keychain refused to store the password: {exc}") from exc


def recall(device: str) -> str | None:
    try:
        kr = _backend()
        return kr.get_password(SERVICE, device)
    except KeychainUnavailable:
        return None
    except Exception:  # noqa: BLE001
        return None


def forget(device: str) -> None:
    try:
        kr = _backend()
        kr.delete_password(SERVICE, device)
    except Exception:  # noqa: BLE001 - nothing stored is fine
        pass


class PasswordMemory:
    """Setup passwords per device: in memory for this run, in the OS keychain when asked.

    Never written to QSettings or any file.  Shared by the Parameters and Control tabs
    (one instance per window part), cleared when the board changes.
    """

    def __init__(self) -> None:
        self._memory: dict[str, str] = {}

    @staticmethod
    def device(session: DeviceSession) -> str:
        """The key a board's password is kept under: its serial number, else its name/URL."""
        return device_key(session.device_info, session.url.redacted)

    def recall(self, device: str) -> tuple[str | None, bool]:
        """(password, True when it came from the keychain)."""
        try:
            stored = recall(device)
        except KeychainUnavailable:
            stored = None
        if stored:
            return stored, True
        return self._memory.get(device), False

    def accepted(self, device: str, password: str, remember_it: bool) -> str:
        """The board accepted ``password``: keep it in memory, and in the keychain when
        ``remember_it`` (else take it out of there).  Returns why the keychain did not
        take it (English, for the caller to put into words), or ""."""
        self._memory[device] = password
        try:
            if remember_it:
                remember(device, password)
            else:
                forget(device)
        except KeychainUnavailable as exc:
            return str(exc)
        return ""

    def clear(self) -> None:
        self._memory.clear()
