"""This laptop's identity: a device id, a human name and an Ed25519 key pair for signing bundles.

cryptography is imported where it is used, so opening a database does not pay for it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass


@dataclass(frozen=True)
class Device:
    """The device a database belongs to. The private key never leaves the database file."""

    id: str
    name: str
    author: str
    public_key: str  # base64 of the raw 32-byte key


def new_key_pair() -> tuple[bytes, str]:
    """A fresh Ed25519 key pair: raw private bytes, base64 public key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return private, base64.b64encode(public).decode("ascii")


def sign(private_key: bytes, data: bytes) -> bytes:
    """Sign ``data`` with a raw Ed25519 private key."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(private_key).sign(data)


def verify(public_key_b64: str, signature: bytes, data: bytes) -> bool:
    """True when ``signature`` is ``data`` signed by the key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = base64.b64decode(public_key_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
