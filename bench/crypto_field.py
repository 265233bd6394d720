"""Encrypted field cost: Azad's wrapper against plain ``cryptography`` AES-GCM.

Both sides encrypt and then decrypt the same values with a fresh random nonce
and the same associated data length; the wrapper adds the key id, the token
format and the context binding. Goal: overhead under 1.5x.
"""

from __future__ import annotations

import os
import sys

from _setup import best_of_interleaved, django_setup, write_table


def main(argv: list[str] | None = None) -> int:
    django_setup()
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from azad.core import crypto

    crypto.set_keyring(crypto.generate_keyring("bench"))
    ring = crypto.get_keyring()
    plain = AESGCM(ring.field_keys["bench"])
    sizes = [int(a) for a in (argv or [])] or [1_000, 10_000, 100_000]
    first = ["Leyla", "Nərmin", "Aygün", "Səbinə", "Günel", "Rəna", "Ülviyyə", "Xədicə"]
    last = ["Həsənova", "Məmmədova", "Əliyeva", "Quliyeva", "Hüseynova", "Cəfərova"]
    rows: list[list[object]] = []
    for size in sizes:
        values = [f"{first[i % len(first)]} {last[i % len(last)]} {i}" for i in range(size)]
        contexts = [f"persons_person.first_name.{i:032x}" for i in range(size)]

        def wrapper(values: list[str] = values, contexts: list[str] = contexts) -> None:
            for value, context in zip(values, contexts, strict=True):
                crypto.decrypt(crypto.encrypt(value, context=context), context=context)

        def reference(values: list[str] = values, contexts: list[str] = contexts) -> None:
            for value, context in zip(values, contexts, strict=True):
                aad = f"bench|{context}".encode()
                nonce = os.urandom(12)
                stored = nonce + plain.encrypt(nonce, value.encode(), aad)  # what a column would hold
                plain.decrypt(stored[:12], stored[12:], aad).decode()

        ours, ref = best_of_interleaved(7, wrapper, reference)
        rows.append(
            [
                f"{size:,}",
                f"{ours * 1e6 / size:.2f}",
                f"{ref * 1e6 / size:.2f}",
                f"{ours / ref:.2f}x",
                "yes" if ours / ref < 1.5 else "NO",
            ]
        )
    write_table(
        "crypto_field",
        "Encrypted field: encrypt + decrypt per value",
        ["values", "Azad wrapper µs/value", "plain AESGCM µs/value", "overhead", "under 1.5x"],
        rows,
        "Best CPU time of 7 interleaved runs per rung. Reference: cryptography's AESGCM with the same key, nonce size and AAD, "
        "storing nonce + ciphertext together as bytes (what a binary column would hold). The wrapper adds "
        "the key id, the text token (base64) and the table.column.row context.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
