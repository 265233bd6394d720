"""Encrypted, verified backups of the whole database, portable between SQLite and PostgreSQL.

A backup holds every row of every Azad table (sessions excepted) as the
database stores it: encrypted fields stay ciphertext, the audit chain stays
intact. The rows are written as type-tagged JSON lines, compressed, and
sealed in chunks with AES-GCM under a backup key derived (HKDF) from the
current field key. The manifest at the end lists each table's row count and
SHA-256 digest; writing a backup re-reads it and checks them, and restoring
checks them again against the restored database.

File layout::

    AZADBAK1\\n
    <header JSON>\\n                 (format, key id, salt, created, vendor, migrations)
    repeated: <4-byte length><12-byte nonce><ciphertext>   (AAD: salt + chunk index + last flag)

Restoring needs the same key ring (key file or environment keys) and a
migrated, empty database at the same migration state.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import os
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from azad.core import crypto
from azad.core.fields import EncryptedTextField

MAGIC = b"AZADBAK1\n"
FORMAT = 1
CHUNK_BYTES = 1 << 20
EXCLUDED_TABLES = {"django_session"}
# A database "holds data" once it has accounts or audit events; a freshly
# migrated one has neither (migrations only seed reference rows such as content
# types, the chain head or indicator catalogues, which a restore replaces).
PEOPLE_TABLES = ("accounts_user", "audit_auditevent")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup cannot be written, read or restored; the message says why."""


@dataclass
class Manifest:
    """What a backup holds: per-table row counts and digests."""

    tables: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"tables": self.tables}


def _models() -> list[type[models.Model]]:
    """Every concrete table Azad's database holds, in a stable order."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in EXCLUDED_TABLES:
            continue
        found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def _encode(value: Any) -> Any:
    """A JSON-safe, vendor-neutral form of a Python value read through the ORM."""
    if isinstance(value, str):
        return str(value)  # ciphertext of encrypted fields stays ciphertext
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"$dec": format(value.normalize(), "f")}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict | list):
        return {"$json": value}
    raise BackupError(f"Cannot back up a value of type {type(value).__name__}.")


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((tag, raw),) = value.items()
    decoders: dict[str, Callable[[Any], Any]] = {
        "$dt": dt.datetime.fromisoformat,
        "$d": dt.date.fromisoformat,
        "$t": dt.time.fromisoformat,
        "$td": lambda s: dt.timedelta(seconds=s),
        "$dec": decimal.Decimal,
        "$uuid": uuid.UUID,
        "$b64": base64.b64decode,
        "$json": lambda v: v,
    }
    return decoders[tag](raw)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _read_rows(model: type[models.Model], using: str) -> Iterator[list[Any]]:
    """Every row of ``model``'s table as encoded values, in primary-key order."""
    names = [f.attname for f in _columns(model)]
    queryset = model._base_manager.using(using).order_by("pk").values_list(*names)
    for row in queryset.iterator(chunk_size=2000):
        yield [_encode(v) for v in row]


def _digest_rows(rows: Iterator[list[Any]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
        count += 1
    return count, digest.hexdigest()


def database_manifest(using: str = "default", *, exclude_after_seq: int | None = None) -> Manifest:
    """Row counts and digests of the live database (what a backup of it would record)."""
    manifest = Manifest()
    for model in _models():
        rows = _read_rows(model, using)
        if exclude_after_seq is not None and model._meta.db_table == "audit_auditevent":
            seq_index = [f.attname for f in _columns(model)].index("seq")
            rows = (r for r in rows if r[seq_index] <= exclude_after_seq)
        count, digest = _digest_rows(rows)
        manifest.tables[model._meta.db_table] = {"rows": count, "sha256": digest}
    return manifest


def _migration_state(using: str) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _backup_key(kid: str, salt: bytes) -> AESGCM:
    ring = crypto.get_keyring()
    if kid not in ring.field_keys:
        raise BackupError(
            _("This backup was made with key %(kid)s, which is not in the key ring.") % {"kid": kid}
        )
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"azad-backup-v1")
    return AESGCM(hkdf.derive(ring.field_keys[kid]))


class _SealedWriter:
    """Compresses and seals a stream of lines into length-prefixed AES-GCM chunks."""

    def __init__(self, out: IO[bytes], cipher: AESGCM, salt: bytes) -> None:
        self.out, self.cipher, self.salt = out, cipher, salt
        self.compressor = zlib.compressobj(6)
        self.buffer = bytearray()
        self.index = 0

    def write(self, data: bytes) -> None:
        self.buffer += self.compressor.compress(data)
        while len(self.buffer) >= CHUNK_BYTES:
            self._emit(bytes(self.buffer[:CHUNK_BYTES]), last=False)
            del self.buffer[:CHUNK_BYTES]

    def close(self) -> None:
        self.buffer += self.compressor.flush()
        self._emit(bytes(self.buffer), last=True)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = os.urandom(12)
        aad = self.salt + struct.pack(">Q?", self.index, last)
        sealed = self.cipher.encrypt(nonce, plain, aad)
        self.out.write(struct.pack(">I", len(sealed)) + nonce + sealed)
        self.index += 1


def _open_chunks(handle: IO[bytes], cipher: AESGCM, salt: bytes) -> Iterator[bytes]:
    """Decrypted, decompressed bytes of a backup's body; raises on any tampering."""
    decompressor = zlib.decompressobj()
    index = 0
    while True:
        head = handle.read(4)
        if not head:
            raise BackupError(_("The backup is truncated."))
        (length,) = struct.unpack(">I", head)
        nonce = handle.read(12)
        sealed = handle.read(length)
        if len(nonce) != 12 or len(sealed) != length:
            raise BackupError(_("The backup is truncated."))
        plain = None
        for last in (False, True):
            try:
                plain = cipher.decrypt(nonce, sealed, salt + struct.pack(">Q?", index, last))
            except InvalidTag:
                continue
            break
        if plain is None:
            raise BackupError(_("The backup does not open with this key, or it was altered."))
        yield decompressor.decompress(plain)
        index += 1
        if last:
            if handle.read(1):
                raise BackupError(_("The backup has data after its end."))
            yield decompressor.flush()
            return


def _read_header(handle: IO[bytes]) -> dict[str, Any]:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BackupError(_("This is not an Azad backup file."))
    header = json.loads(handle.readline())
    if header.get("format") != FORMAT:
        raise BackupError(_("This backup's format is not supported."))
    return dict(header)


def _lines(chunks: Iterator[bytes]) -> Iterator[dict[str, Any]]:
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            if line:
                yield json.loads(line)
    if pending:
        yield json.loads(pending)


def write_backup(path: Path, *, using: str = "default", progress: Progress | None = None) -> Manifest:
    """Write an encrypted backup of the database to ``path``, then verify it by reading it back."""
    ring = crypto.get_keyring()
    salt = os.urandom(16)
    header = {
        "format": FORMAT,
        "kid": ring.current,
        "salt": base64.b64encode(salt).decode("ascii"),
        "created": timezone.now().isoformat(),
        "vendor": connections[using].vendor,
        "migrations": _migration_state(using),
    }
    manifest = Manifest()
    tmp = path.with_name(path.name + ".partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    # One snapshot: a read transaction sees the database as of its start.
    outermost = not connections[using].in_atomic_block
    with os.fdopen(fd, "wb") as out, transaction.atomic(using=using):
        if connections[using].vendor == "postgresql" and outermost:
            with connections[using].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        out.write(MAGIC + json.dumps(header).encode() + b"\n")
        writer = _SealedWriter(out, _backup_key(ring.current, salt), salt)
        for model in _models():
            table = model._meta.db_table
            columns = [f.column for f in _columns(model)]
            writer.write(json.dumps({"table": table, "columns": columns}).encode() + b"\n")
            digest = hashlib.sha256()
            count = 0
            for row in _read_rows(model, using):
                line = json.dumps(row, sort_keys=True, ensure_ascii=False)
                digest.update(line.encode() + b"\n")
                writer.write(json.dumps({"row": row}, ensure_ascii=False).encode() + b"\n")
                count += 1
            manifest.tables[table] = {"rows": count, "sha256": digest.hexdigest()}
            if progress:
                progress(f"{table}: {count}")
        writer.write(json.dumps({"manifest": manifest.to_json()}).encode() + b"\n")
        writer.close()
        out.flush()
        os.fsync(out.fileno())
    verified = verify_backup(tmp)
    if verified.tables != manifest.tables:
        tmp.unlink()
        raise BackupError(_("The backup did not read back as written; nothing was kept."))
    os.replace(tmp, path)
    return manifest


def _iter_backup(path: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    with path.open("rb") as handle:
        header = _read_header(handle)
        salt = base64.b64decode(header["salt"])
        cipher = _backup_key(header["kid"], salt)
        for item in _lines(_open_chunks(handle, cipher, salt)):
            yield header, item


def verify_backup(path: Path) -> Manifest:
    """Read a whole backup, checking every chunk and each table's count and digest."""
    recorded: Manifest | None = None
    computed = Manifest()
    table: str | None = None
    digest = hashlib.sha256()
    count = 0

    def close_table() -> None:
        if table is not None:
            computed.tables[table] = {"rows": count, "sha256": digest.hexdigest()}

    try:
        for _header, item in _iter_backup(path):
            if "table" in item:
                close_table()
                table, digest, count = item["table"], hashlib.sha256(), 0
            elif "row" in item:
                digest.update(json.dumps(item["row"], sort_keys=True, ensure_ascii=False).encode() + b"\n")
                count += 1
            elif "manifest" in item:
                close_table()
                table = None
                recorded = Manifest(tables=item["manifest"]["tables"])
    except (ValueError, KeyError, zlib.error) as error:
        raise BackupError(_("The backup is damaged.")) from error
    if recorded is None:
        raise BackupError(_("The backup has no manifest; it is incomplete."))
    if recorded.tables != computed.tables:
        raise BackupError(_("The backup's contents do not match its manifest."))
    return recorded


def _tables_holding_data(using: str) -> list[str]:
    """The tables that show the database is in use (see PEOPLE_TABLES)."""
    return [
        model._meta.db_table
        for model in _models()
        if model._meta.db_table in PEOPLE_TABLES and model._base_manager.using(using).exists()
    ]


def restore_backup(path: Path, *, using: str = "default", progress: Progress | None = None) -> Manifest:
    """Restore ``path`` into a migrated, empty database and check it against the manifest.

    Everything happens in one transaction: a failure leaves the database as it was.
    """
    manifest = verify_backup(path)
    connection = connections[using]
    by_table = {m._meta.db_table: m for m in _models()}
    with path.open("rb") as handle:
        header = _read_header(handle)
    if [list(x) for x in header["migrations"]] != _migration_state(using):
        raise BackupError(
            _("The database is not at the backup's migration state; run the same Azad version's migrations.")
        )
    busy = _tables_holding_data(using)
    if busy:
        raise BackupError(
            _("Restore needs an empty database; these tables hold data: %(tables)s")
            % {"tables": ", ".join(busy)}
        )
    with transaction.atomic(using=using):
        # Replace what migrations seeded; the audit table is empty (checked above).
        with connection.cursor() as cursor:
            for table in manifest.tables:
                if table in by_table and table != "audit_auditevent":
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        model: type[models.Model] | None = None
        batch: list[list[Any]] = []
        fields: list[models.Field[Any, Any]] = []

        def flush() -> None:
            if model is None or not batch:
                return
            meta = model._meta
            columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            batch.clear()

        for _header, item in _iter_backup(path):
            if "table" in item:
                flush()
                model = by_table.get(item["table"])
                if model is None:
                    raise BackupError(
                        _("The backup holds a table this version does not know: %(t)s") % {"t": item["table"]}
                    )
                fields = _columns(model)
                if [f.column for f in fields] != item["columns"]:
                    raise BackupError(
                        _("The columns of %(t)s differ from the backup's.") % {"t": item["table"]}
                    )
                if progress:
                    progress(item["table"])
            elif "row" in item and model is not None:
                values = []
                for fld, raw in zip(fields, item["row"], strict=True):
                    value = _decode(raw)
                    if isinstance(fld, EncryptedTextField):
                        values.append(value)
                    else:
                        values.append(fld.get_db_prep_save(value, connection))
                batch.append(values)
                if len(batch) >= 1000:
                    flush()
        flush()
        sequences = connection.ops.sequence_reset_sql(no_style(), list(by_table.values()))
        with connection.cursor() as cursor:
            for sql in sequences:
                cursor.execute(sql)
        restored = database_manifest(using)
        if restored.tables != manifest.tables:
            differing = sorted(t for t in manifest.tables if manifest.tables[t] != restored.tables.get(t))
            raise BackupError(
                _("The restored data does not match the backup (%(tables)s); nothing was restored.")
                % {"tables": ", ".join(differing)}
            )
    return manifest
