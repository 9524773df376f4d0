"""Re-encrypt stored citizen IDs with the newest key and recompute their hashes.

Run after putting a new key in front of ``PII_ENCRYPTION_KEY`` (``new,old``) and/or setting a new
``PII_HASH_KEY``; once it reports nothing unreadable, the old encryption key can be dropped. Safe to
run again: rows already under the first key with a current hash are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.crypto import generate_pii_key, pii_decrypt, pii_hash, pii_is_current, pii_rotate, split_keys
from core.models import AuditEvent
from talent.models import Candidate

_LISTED_IN_AUDIT = 200  # candidate ids kept in the audit summary, per list


@dataclass
class RotationReport:
    rotated: int = 0
    unchanged: int = 0
    unreadable: list[int] = field(default_factory=list)
    # (candidate whose hash was left as it is, candidate that already holds the recomputed hash)
    duplicates: list[tuple[int, int]] = field(default_factory=list)

    def as_changes(self, *, keys: int) -> dict[str, object]:
        return {
            "rotated": self.rotated,
            "unchanged": self.unchanged,
            "unreadable": len(self.unreadable),
            "unreadable_ids": self.unreadable[:_LISTED_IN_AUDIT],
            "duplicates": len(self.duplicates),
            "duplicate_ids": [list(pair) for pair in self.duplicates[:_LISTED_IN_AUDIT]],
            "encryption_keys": keys,
        }


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored citizen ID with the first PII_ENCRYPTION_KEY and recompute its hash with "
        "the current PII_HASH_KEY. Exits non-zero if a ciphertext cannot be read with any configured key."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--generate-key", action="store_true",
                            help="print a fresh Fernet key for PII_ENCRYPTION_KEY and exit")

    def handle(self, *args, dry_run: bool, batch_size: int, generate_key: bool,  # type: ignore[no-untyped-def]
               **options) -> None:
        if generate_key:
            self.stdout.write(generate_pii_key())
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = self.rotate(batch_size=batch_size, dry_run=dry_run)
        keys = max(len(split_keys(settings.PII_ENCRYPTION_KEY)), 1)

        prefix = "[dry run] " if dry_run else ""
        for candidate_id in report.unreadable:
            self.stdout.write(f"{prefix}Candidate #{candidate_id}: no configured key can read the stored citizen ID; "
                              "left as it is.")
        for candidate_id, holder_id in report.duplicates:
            self.stdout.write(f"{prefix}Candidate #{candidate_id}: same citizen ID as candidate #{holder_id}; "
                              "its hash was left as it is — merge or correct the two records, then run again.")
        verb = "would be rotated" if dry_run else "rotated"
        self.stdout.write(
            f"{prefix}Citizen IDs: {report.rotated} {verb}, {report.unchanged} unchanged, "
            f"{len(report.unreadable)} unreadable, {len(report.duplicates)} duplicate(s)."
        )
        if not dry_run:
            # One summary row. ``core.audit.audit`` wants a single object; this touches the whole table.
            AuditEvent.objects.create(actor=None, action="pii.rotate_keys", object_type="talent.candidate",
                                      object_id="*", changes=report.as_changes(keys=keys))
        problems = []
        if report.unreadable:
            problems.append(f"{len(report.unreadable)} unreadable citizen ID(s): do not drop an old key from "
                            "PII_ENCRYPTION_KEY until they are read or entered again")
        if report.duplicates:
            problems.append(f"{len(report.duplicates)} duplicate(s): merge or correct the records, then run again")
        if problems:
            raise CommandError("; ".join(problems) + ".")

    def rotate(self, *, batch_size: int, dry_run: bool) -> RotationReport:
        report = RotationReport()
        # In a dry run nothing is written, so hashes "claimed" by earlier batches are remembered here.
        claimed_in_run: dict[str, int] = {}
        last_pk = 0
        while True:
            with transaction.atomic():
                rows = list(
                    Candidate.objects.select_for_update()
                    .filter(pk__gt=last_pk)
                    .exclude(citizen_id_encrypted="", citizen_id_hash="")
                    .order_by("pk")
                    .only("pk", "citizen_id_hash", "citizen_id_encrypted")[:batch_size]
                )
                if not rows:
                    return report
                last_pk = rows[-1].pk
                changed = self._rotate_batch(rows, report, claimed_in_run if dry_run else None)
                if changed and not dry_run:
                    Candidate.objects.bulk_update(changed, ["citizen_id_encrypted", "citizen_id_hash"])

    def _rotate_batch(self, rows: list[Candidate], report: RotationReport,
                      claimed_in_run: dict[str, int] | None) -> list[Candidate]:
        plans: list[tuple[Candidate, str, str]] = []  # (row, new token, wanted hash)
        for row in rows:
            clear = pii_decrypt(row.citizen_id_encrypted)
            if clear is None:  # no key reads it (or a hash with no ciphertext): never drop it
                report.unreadable.append(row.pk)
                continue
            token = row.citizen_id_encrypted if pii_is_current(row.citizen_id_encrypted) else pii_rotate(
                row.citizen_id_encrypted)
            plans.append((row, token or row.citizen_id_encrypted, pii_hash(clear)))

        # The unique constraint on the hash: a recomputed hash must not be one another candidate
        # already holds (the same ID entered twice while the hash keys differed). Distinct IDs give
        # distinct hashes, so the only clashes are real duplicates: those keep their old hash and are
        # reported. Rows whose hash is already current hold it first.
        wanted = {h for _, _, h in plans}
        holders: dict[str, int] = dict(
            Candidate.objects.filter(citizen_id_hash__in=wanted)
            .exclude(pk__in=[row.pk for row in rows])
            .values_list("citizen_id_hash", "pk")
        )
        if claimed_in_run is not None:
            for digest, pk in claimed_in_run.items():
                if digest in wanted:
                    holders.setdefault(digest, pk)
        for row, _, digest in plans:
            if digest == row.citizen_id_hash:
                holders.setdefault(digest, row.pk)

        changed: list[Candidate] = []
        for row, token, digest in plans:
            new_hash = digest
            if digest != row.citizen_id_hash:
                holder = holders.setdefault(digest, row.pk)
                if holder != row.pk:
                    report.duplicates.append((row.pk, holder))
                    new_hash = row.citizen_id_hash
            if token == row.citizen_id_encrypted and new_hash == row.citizen_id_hash:
                report.unchanged += 1
                continue
            if claimed_in_run is not None and new_hash:
                claimed_in_run[new_hash] = row.pk
            row.citizen_id_encrypted, row.citizen_id_hash = token, new_hash
            changed.append(row)
            report.rotated += 1
        return changed
