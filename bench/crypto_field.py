"""Encrypted field cost: Azad's wrapper against plain ``cryptography`` AES-GCM.

Every side encrypts and then decrypts the same values with a fresh random
nonce and associated data of the same length. Two references:

* **plain AESGCM, text** — what a field built directly on the library must do
  to keep a value in a text column: nonce + ciphertext, base64 to text and back.
  This is the comparison the goal is about (overhead under 1.5x).
* **plain AESGCM, bytes** — the library alone with nonce + ciphertext as bytes,
  shown for transparency: the difference to the text reference is the cost of
  a text column's encoding.

The wrapper adds the key id and format marker, the table.column.row context,
and decryption errors that always raise.
"""

from __future__ import annotations

import os
import sys
from binascii import a2b_base64, b2a_base64

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

        def reference_text(values: list[str] = values, contexts: list[str] = contexts) -> None:
            for value, context in zip(values, contexts, strict=True):
                aad = f"bench|{context}".encode()
                nonce = os.urandom(12)
                stored = b2a_base64(nonce + plain.encrypt(nonce, value.encode(), aad), newline=False).decode()
                raw = a2b_base64(stored)
                plain.decrypt(raw[:12], raw[12:], aad).decode()

        def reference_bytes(values: list[str] = values, contexts: list[str] = contexts) -> None:
            for value, context in zip(values, contexts, strict=True):
                aad = f"bench|{context}".encode()
                nonce = os.urandom(12)
                stored = nonce + plain.encrypt(nonce, value.encode(), aad)
                plain.decrypt(stored[:12], stored[12:], aad).decode()

        ours, text, raw = best_of_interleaved(7, wrapper, reference_text, reference_bytes)
        rows.append(
            [
                f"{size:,}",
                f"{ours * 1e6 / size:.2f}",
                f"{text * 1e6 / size:.2f}",
                f"{raw * 1e6 / size:.2f}",
                f"{ours / text:.2f}x",
                "yes" if ours / text < 1.5 else "NO",
                f"{ours / raw:.2f}x",
            ]
        )
    write_table(
        "crypto_field",
        "Encrypted field: encrypt + decrypt per value",
        [
            "values",
            "Azad µs/value",
            "plain AESGCM, text µs/value",
            "plain AESGCM, bytes µs/value",
            "overhead vs text",
            "under 1.5x",
            "overhead vs bytes",
        ],
        rows,
        "Best CPU time of 7 interleaved runs per rung (CPU time, so other work on the machine counts less). "
        "Values are Azerbaijani names of about 20 characters; contexts as the field builds them.",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
