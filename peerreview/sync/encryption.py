"""Passphrase encryption of bundle files with age (the pyrage binding), not home-made cryptography.

Bundles carry pupils' pseudonyms and staff names: personal data under UK GDPR. Encrypted with a
passphrase agreed with the coordinator, a bundle on a lost USB stick or in a forwarded email is
unreadable. An encrypted bundle is a standard age file (scrypt passphrase recipient) holding the
zip.
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


class PassphraseNeeded(BundleError):
    """The bundle is encrypted and no passphrase was given (the app asks for one, then retries)."""


class WrongPassphrase(BundleError):
    """The passphrase given does not open the bundle (the app asks again, the file still
    chosen)."""
