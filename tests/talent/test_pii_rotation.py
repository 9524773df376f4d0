"""Several encryption keys at once (newest first) and ``manage.py rotate_pii_keys``."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command

from core.crypto import pii_decrypt, pii_encrypt, pii_hash, pii_is_current, pii_rotate
from core.models import AuditEvent
from talent import services
from talent.models import Candidate
from tests.factories import make_candidate

ROOT = Path(__file__).resolve().parents[2]
KEY_A, KEY_B, KEY_C = (Fernet.generate_key().decode() for _ in range(3))
IDS = ["079205000001", "001205000002", "092205000003", "048205000004", "031205000005"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_pii_keys", *args, stdout=out)
    return out.getvalue()


def stored() -> list[tuple[int, str, str]]:
    return list(Candidate.objects.order_by("pk").values_list("pk", "citizen_id_hash", "citizen_id_encrypted"))


@pytest.fixture
def with_ids(settings, org_tree):  # type: ignore[no-untyped-def]
    """Five candidates with a citizen ID, encrypted with key A, and one without."""
    settings.PII_ENCRYPTION_KEY = KEY_A
    settings.PII_HASH_KEY = "hash-key-1"
    people = [make_candidate(org_tree.school_a, full_name=f"Nguyễn Văn {name}", citizen_id=cid)
              for name, cid in zip(["An", "Bình", "Cường", "Dũng", "Em"], IDS, strict=True)]
    make_candidate(org_tree.school_a, full_name="Lê Văn Không")
    return people


class TestSeveralKeys:
    def test_the_first_key_encrypts_and_every_key_decrypts(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = KEY_A
        old = pii_encrypt("079205001234")
        settings.PII_ENCRYPTION_KEY = f"{KEY_B}, {KEY_A}"
        assert pii_decrypt(old) == "079205001234"
        assert not pii_is_current(old)
        new = pii_encrypt("079205001234")
        assert pii_is_current(new)
        assert Fernet(KEY_B.encode()).decrypt(new.encode()) == b"079205001234"
        rotated = pii_rotate(old)
        settings.PII_ENCRYPTION_KEY = KEY_B
        assert pii_decrypt(rotated) == "079205001234"
        assert pii_decrypt(old) is None
        assert pii_rotate(old) is None

    def test_a_malformed_key_is_a_configuration_error_that_does_not_show_the_key(self, settings) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = f"{KEY_A},not-a-fernet-key"
        with pytest.raises(ImproperlyConfigured) as err:
            pii_encrypt("079205001234")
        assert "key #2" in str(err.value) and "not-a-fernet-key" not in str(err.value)

    def test_settings_refuse_a_malformed_key_at_start_up(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in {"PII_ENCRYPTION_KEY", "DJANGO_SETTINGS_MODULE"}}
        env["PII_ENCRYPTION_KEY"] = f"{KEY_B},secret-but-wrong"
        result = subprocess.run(
            [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
             "from django.conf import settings; print(settings.PII_ENCRYPTION_KEY)"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )
        assert result.returncode != 0
        assert "PII_ENCRYPTION_KEY: key #2" in result.stderr and "secret-but-wrong" not in result.stderr


@pytest.mark.django_db
class TestRotateCommand:
    def test_re_encrypts_with_the_new_key_so_the_old_one_can_be_dropped(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        output = run("--batch-size", "2")
        assert "5 rotated, 0 unchanged, 0 unreadable, 0 duplicate(s)" in output
        settings.PII_ENCRYPTION_KEY = KEY_B
        assert [pii_decrypt(c.citizen_id_encrypted) for c in Candidate.objects.exclude(citizen_id_encrypted="")
                .order_by("pk")] == IDS
        assert [c.citizen_id_masked for c in Candidate.objects.order_by("pk")] == [
            "079******001", "001******002", "092******003", "048******004", "031******005", ""]
        assert Candidate.objects.filter(citizen_id_hash="", citizen_id_encrypted="").count() == 1

    def test_running_again_changes_nothing(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        run()
        before = stored()
        assert "0 rotated, 5 unchanged, 0 unreadable" in run("--batch-size", "3")
        assert stored() == before

    def test_rotating_the_hash_key_keeps_duplicate_detection(self, settings, org_tree, with_ids) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        settings.PII_HASH_KEY = "hash-key-2"
        assert "5 rotated" in run("--batch-size", "2")
        assert {h for _, h, _ in stored() if h} == {pii_hash(cid) for cid in IDS}
        assert with_ids[0].citizen_id_hash not in {h for _, h, _ in stored()}
        settings.PII_ENCRYPTION_KEY = KEY_B
        with pytest.raises(ValidationError) as err:
            services.candidate_register(actor=None, full_name="Nguyễn Văn Trùng", gender="male",
                                        date_of_birth=with_ids[0].date_of_birth, organization=org_tree.school_b,
                                        citizen_id=IDS[0])
        assert err.value.message_dict["citizen_id"] == ["Số CCCD này đã có trong hệ thống."]
        assert Candidate.objects.count() == 6

    def test_only_the_hash_key_changed(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        tokens = [t for _, _, t in stored()]
        settings.PII_HASH_KEY = "hash-key-2"
        assert "5 rotated, 0 unchanged" in run()
        assert [t for _, _, t in stored()] == tokens  # already under the first key: not re-encrypted
        assert {h for _, h, _ in stored() if h} == {pii_hash(cid) for cid in IDS}

    def test_an_unreadable_token_is_reported_kept_and_fails_the_command(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        lost = with_ids[2]
        foreign = Fernet(KEY_C.encode()).encrypt(b"092205000003").decode()
        Candidate.objects.filter(pk=lost.pk).update(citizen_id_encrypted=foreign)
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        out = io.StringIO()
        with pytest.raises(CommandError) as err:
            call_command("rotate_pii_keys", "--batch-size", "2", stdout=out)
        assert err.value.returncode == 1  # the exit status of `manage.py rotate_pii_keys`
        assert "1 unreadable" in str(err.value)
        assert f"Candidate #{lost.pk}: no configured key can read" in out.getvalue()
        assert "4 rotated, 0 unchanged, 1 unreadable" in out.getvalue()
        kept = Candidate.objects.get(pk=lost.pk)
        assert (kept.citizen_id_encrypted, kept.citizen_id_hash) == (foreign, lost.citizen_id_hash)
        event = AuditEvent.objects.get(action="pii.rotate_keys")
        assert event.changes["unreadable_ids"] == [lost.pk] and event.changes["rotated"] == 4

    def test_dry_run_changes_nothing(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        before = stored()
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        settings.PII_HASH_KEY = "hash-key-2"
        output = run("--dry-run", "--batch-size", "2")
        assert "[dry run] Citizen IDs: 5 would be rotated, 0 unchanged, 0 unreadable" in output
        assert stored() == before
        assert not AuditEvent.objects.filter(action="pii.rotate_keys").exists()

    def test_writes_one_audit_summary_without_personal_data(self, settings, with_ids) -> None:  # type: ignore[no-untyped-def]
        settings.PII_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
        run("--batch-size", "2")
        event = AuditEvent.objects.get(action="pii.rotate_keys")
        assert (event.object_type, event.object_id, event.actor) == ("talent.candidate", "*", None)
        assert event.changes == {"rotated": 5, "unchanged": 0, "unreadable": 0, "unreadable_ids": [],
                                 "duplicates": 0, "duplicate_ids": [], "encryption_keys": 2}
        text = str(event.changes)
        assert not any(cid in text for cid in IDS) and KEY_A not in text and KEY_B not in text

    @pytest.mark.parametrize("batch_size", ["1", "500"])
    def test_a_duplicate_let_in_before_the_hashes_were_recomputed_is_reported_not_lost(  # type: ignore[no-untyped-def]
        self, settings, org_tree, with_ids, batch_size,
    ) -> None:
        # The hash key changed but the command has not run yet: the same ID gets in a second time.
        settings.PII_HASH_KEY = "hash-key-2"
        twin = make_candidate(org_tree.school_b, full_name="Nguyễn Văn Sinh Đôi", citizen_id=IDS[1])
        out = io.StringIO()
        with pytest.raises(CommandError, match="1 duplicate"):
            call_command("rotate_pii_keys", "--batch-size", batch_size, stdout=out)
        assert f"Candidate #{with_ids[1].pk}: same citizen ID as candidate #{twin.pk}" in out.getvalue()
        assert Candidate.objects.count() == 7
        original = Candidate.objects.get(pk=with_ids[1].pk)
        assert original.citizen_id_hash == with_ids[1].citizen_id_hash  # left as it was
        assert pii_decrypt(original.citizen_id_encrypted) == IDS[1]
        assert Candidate.objects.get(pk=twin.pk).citizen_id_hash == pii_hash(IDS[1])
        assert Candidate.objects.filter(citizen_id_hash__in=[pii_hash(c) for c in IDS]).count() == 5

    def test_generate_key_prints_a_fresh_fernet_key(self) -> None:
        first, second = run("--generate-key").strip(), run("--generate-key").strip()
        assert first != second
        Fernet(first.encode())  # a valid key
        assert not AuditEvent.objects.exists()
