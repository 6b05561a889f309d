"""services/keychain.py: setup passwords go to the OS keychain or nowhere, never to a file
(issue 24: it was 22 % covered).

The keychain itself is replaced by an in-memory ``keyring`` backend (the package's own
plug-in interface), or, for PasswordMemory, by the ``keyring_fake`` fixture.
"""

from __future__ import annotations

from types import SimpleNamespace

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from app.model import DeviceInfo
from app.services import keychain


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self, refuse: Exception | None = None) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}
        self.refuse = refuse

    def set_password(self, service, username, password):
        if self.refuse:
            raise self.refuse
        self.store[(service, username)] = password

    def get_password(self, service, username):
        if self.refuse:
            raise self.refuse
        return self.store.get((service, username))

    def delete_password(self, service, username):
        if self.refuse:
            raise self.refuse
        del self.store[(service, username)]


@pytest.fixture
def use_keyring():
    """Install a keyring backend for one test, and put the previous one back."""
    previous = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(previous)


def test_remember_recall_forget_through_the_system_keychain(use_keyring):
    backend = MemoryKeyring()
    use_keyring(backend)
    assert keychain.available()
    assert keychain.recall("SN-1") is None
    keychain.remember("SN-1", "123456")
    assert backend.store == {("Packbench BMS setup password", "SN-1"): "123456"}
    assert keychain.recall("SN-1") == "123456"
    keychain.forget("SN-1")
    assert keychain.recall("SN-1") is None and backend.store == {}
    keychain.forget("SN-1")  # nothing stored: fine


def test_a_keychain_that_refuses_is_said_so(use_keyring):
    use_keyring(MemoryKeyring(refuse=RuntimeError("locked")))
    assert keychain.available()  # there is one; it refuses
    with pytest.raises(
        keychain.KeychainUnavailable, match=r"^the keychain refused to store the password: locked$"
    ):
        keychain.remember("SN-1", "123456")
    assert keychain.recall("SN-1") is None
    keychain.forget("SN-1")


def chain(*backends):
    """keyring's chain of backends (what it builds when several are installed), with these."""

    class ChainerBackend(chainer.ChainerBackend):  # the name keyring gives it
        pass

    ChainerBackend.backends = list(backends)
    return ChainerBackend()


@pytest.mark.parametrize("backend", [fail.Keyring, chain], ids=["fail", "empty chain"])
def test_no_keychain_on_this_computer_is_said_so_never_a_file(use_keyring, backend, monkeypatch, tmp_path):
    use_keyring(backend())
    monkeypatch.chdir(tmp_path)
    assert not keychain.available()
    with pytest.raises(
        keychain.KeychainUnavailable, match=r"^no system keychain is available on this computer$"
    ):
        keychain.remember("SN-1", "123456")
    assert keychain.recall("SN-1") is None
    keychain.forget("SN-1")
    assert list(tmp_path.iterdir()) == []  # no fallback file


def test_a_chain_with_backends_is_a_keychain(use_keyring):
    use_keyring(chain(MemoryKeyring()))
    assert keychain.available()


def test_password_memory_prefers_the_keychain_then_this_runs_memory(keyring_fake):
    memory = keychain.PasswordMemory()
    assert memory.recall("SN-1") == (None, False)
    assert memory.accepted("SN-1", "1111", remember_it=False) == ""
    assert memory.recall("SN-1") == ("1111", False) and keyring_fake == {}
    assert memory.accepted("SN-1", "2222", remember_it=True) == ""
    assert keyring_fake == {"SN-1": "2222"}
    assert memory.recall("SN-1") == ("2222", True)
    # not remembered any more: taken out of the keychain, kept for this run
    assert memory.accepted("SN-1", "3333", remember_it=False) == ""
    assert keyring_fake == {} and memory.recall("SN-1") == ("3333", False)
    memory.clear()
    assert memory.recall("SN-1") == (None, False)


def test_password_memory_says_why_the_keychain_did_not_take_it(keyring_fake, monkeypatch):
    def refuse(device, password):
        raise keychain.KeychainUnavailable("no system keychain is available on this computer")

    monkeypatch.setattr(keychain, "remember", refuse)
    memory = keychain.PasswordMemory()
    why = memory.accepted("SN-1", "1111", remember_it=True)
    assert why == "no system keychain is available on this computer"
    assert memory.recall("SN-1") == ("1111", False)  # still kept for this run

    def unavailable(device):
        raise keychain.KeychainUnavailable("gone")

    monkeypatch.setattr(keychain, "recall", unavailable)
    assert memory.recall("SN-1") == ("1111", False)


def test_password_memory_keys_a_board_by_its_serial_else_its_url():
    def session(info, url="sim://jk02_32s?cells=16"):
        return SimpleNamespace(device_info=info, url=SimpleNamespace(redacted=url))

    assert keychain.PasswordMemory.device(session(DeviceInfo(serial_number="JK 123/4"))) == "JK_123_4"
    assert keychain.PasswordMemory.device(session(DeviceInfo(device_name="JK-B2A24S"))) == "JK-B2A24S"
    assert keychain.PasswordMemory.device(session(None, "tcp://10.0.0.5:8899")) == "tcp_10.0.0.5_8899"
