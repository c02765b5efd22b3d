"""Encryption of bundle files with age (the pyrage binding), not home-made cryptography.

Bundles carry pupils' pseudonyms and staff names: personal data under UK GDPR. By default a bundle
is encrypted to the age X25519 keys of the laptops it is for (each enrolled laptop has one, in the
partnership's trust list); a passphrase agreed with the coordinator is the alternative. Either way
a bundle on a lost USB stick or in a forwarded email is unreadable. An encrypted bundle is a
standard age file holding the zip; it is encrypted and decrypted in memory, so the zip inside
never touches the disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from peerreview.errors import BundleError

MAGIC = b"age-encryption.org/v1\n"
MIN_PASSPHRASE = 8


def is_encrypted(path: Path) -> bool:
    """True when the file is an age-encrypted bundle."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BundleError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters (a short sentence is "
            "easy to say and hard to guess). Nothing was written."
        )


def encrypt(data: bytes, passphrase: str) -> bytes:
    """The bytes, encrypted to the passphrase."""
    from pyrage import passphrase as age

    check_passphrase(passphrase)
    return bytes(age.encrypt(data, passphrase))


def encrypt_to(recipients: list[str], data: bytes) -> bytes:
    """The bytes, encrypted to these age X25519 public keys ("age1...")."""
    import pyrage
    from pyrage import x25519

    return bytes(pyrage.encrypt(data, [x25519.Recipient.from_str(r) for r in recipients]))


def _stanzas(data: bytes) -> set[str]:
    """The kinds of recipient an age file's header names ("X25519", "scrypt")."""
    header = data[:65536].split(b"\n---", 1)[0]
    return {
        line[3:].split(b" ", 1)[0].decode("ascii", "replace")
        for line in header.split(b"\n")
        if line.startswith(b"-> ")
    }


def decrypt_bytes(name: str, data: bytes, identity: str | None, passphrase: str | None) -> bytes:
    """Decrypt a bundle in memory: with this laptop's age key, or with the passphrase.

    Raises:
        PassphraseNeeded: it is encrypted to a passphrase and none was given.
        BundleError: it is not for this laptop, the passphrase is wrong, or it is damaged.
    """
    import pyrage
    from pyrage import DecryptError, x25519

    kinds = _stanzas(data)
    if "scrypt" in kinds:
        if not passphrase:
            raise PassphraseNeeded(
                f"{name} is encrypted. Enter the passphrase it was sent with,"
                " then import it again. Nothing was changed."
            )
        try:
            return bytes(pyrage.passphrase.decrypt(data, passphrase))
        except DecryptError:
            raise WrongPassphrase(
                f"The passphrase for {name} is not right, or the file is damaged. Check the "
                "passphrase with whoever sent it and try again. Nothing was changed."
            ) from None
    if identity is None:
        raise BundleError(
            f"{name} is encrypted to the laptops of a partnership, and this laptop has not "
            "joined one. Join with your coordinator's invitation first. Nothing was changed."
        )
    try:
        return bytes(pyrage.decrypt(data, [x25519.Identity.from_str(identity)]))
    except DecryptError:
        raise NotForMe(
            f"{name} is encrypted for other laptops, not this one (or it is damaged). Ask for it "
            "to be sent to this laptop. Nothing was changed."
        ) from None


def decrypt_file(path: Path, passphrase: str | None, target: Path) -> None:
    """Decrypt an encrypted bundle into ``target``.

    Raises:
        PassphraseNeeded: no passphrase was given.
        BundleError: the passphrase is wrong or the file is damaged.
    """
    if not passphrase:
        raise PassphraseNeeded(
            f"{path.name} is encrypted. Enter the passphrase it was sent with,"
            " then import it again. Nothing was changed."
        )
    from pyrage import DecryptError
    from pyrage import passphrase as age

    try:
        plain = age.decrypt(path.read_bytes(), passphrase)
    except DecryptError:
        raise WrongPassphrase(
            f"The passphrase for {path.name} is not right, or the file is damaged. Check the "
            "passphrase with whoever sent it and try again. Nothing was changed."
        ) from None
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(plain)


class NotForMe(BundleError):
    """The bundle is encrypted to other laptops' keys."""


class PassphraseNeeded(BundleError):
    """The bundle is encrypted and no passphrase was given (the app asks for one, then retries)."""


class WrongPassphrase(BundleError):
    """The passphrase given does not open the bundle (the app asks again, the file still
    chosen)."""
