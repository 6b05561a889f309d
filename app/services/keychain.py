"""'Remember for this device': setup passwords in the OS keychain, never in files.

Uses the ``keyring`` package (macOS Keychain, Windows Credential Locker,
Secret Service/KWallet on Linux).  Where no keychain is available (a bare
Linux without a Secret Service, CI) every call says so instead of silently
falling back to a plain file.
"""

from __future__ import annotations

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
