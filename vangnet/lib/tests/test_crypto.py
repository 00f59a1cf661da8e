import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from vangnet.intake.models import Contact, Message
from vangnet.lib import crypto
from vangnet.lib.crypto import CryptoError, Keyring, KeyringError

PLAINTEXT = "Mijn oom komt 's nachts op mijn kamer"


def _key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def contact(meldpunt):
    now = timezone.now()
    return Contact.objects.create(
        organisation=meldpunt,
        channel="web_form",
        requested_kind="advice",
        reporter_type="victim",
        narrative=PLAINTEXT,
        persons=[{"name": "Oom Kees"}],
        received_at=now,
        last_activity_at=now,
    )


def test_round_trip_and_the_column_holds_only_a_token(contact):
    raw = _raw("intake_contact", "narrative", contact.pk)
    assert raw.startswith("vg1.demo1.")
    assert PLAINTEXT not in raw and "Oom Kees" not in _raw("intake_contact", "persons", contact.pk)
    assert Contact.objects.get(pk=contact.pk).narrative == PLAINTEXT


def test_a_token_copied_to_another_column_does_not_decrypt():
    token = crypto.encrypt_str("geheim", "intake.Contact.narrative")
    with pytest.raises(CryptoError):
        crypto.decrypt_str(token, "intake.Message.body")


def test_a_tampered_token_is_refused():
    token = crypto.encrypt_str("geheim", "p")
    head, body = token.rsplit(".", 1)
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(CryptoError):
        crypto.decrypt_str(f"{head}.{flipped}", "p")


def test_each_value_gets_its_own_data_key_and_nonce():
    assert crypto.encrypt_str("x", "p") != crypto.encrypt_str("x", "p")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "holds no keys"),
        ("k1", "must look like"),
        ("k1:not-base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "32 bytes"),
        (
            f"k1:{base64.b64encode(b'a' * 32).decode()},k1:{base64.b64encode(b'b' * 32).decode()}",
            "twice",
        ),
    ],
)
def test_a_bad_keyring_names_the_problem(spec, message):
    with pytest.raises(KeyringError, match=message):
        Keyring.parse(spec)


def test_key_rotation_re_encrypts_everything_without_loss(contact, settings):
    Message.objects.create(
        contact=contact, direction="from_reporter", body="bericht één", created_at=timezone.now()
    )
    old = settings.VANGNET_KEYRING
    settings.VANGNET_KEYRING = f"k2:{_key()},{old}"
    call_command("keys_rotate")
    assert _raw("intake_contact", "narrative", contact.pk).startswith("vg1.k2.")
    message = Message.objects.get()
    assert _raw("intake_message", "body", message.pk).startswith("vg1.k2.")
    # The old key can leave the ring: everything still decrypts.
    settings.VANGNET_KEYRING = settings.VANGNET_KEYRING.split(",")[0]
    fresh = Contact.objects.get(pk=contact.pk)
    assert fresh.narrative == PLAINTEXT and fresh.persons == [{"name": "Oom Kees"}]
    assert Message.objects.get().body == "bericht één"


def test_without_the_old_key_unrotated_data_cannot_be_read(contact, settings):
    settings.VANGNET_KEYRING = f"k9:{_key()}"
    with pytest.raises(CryptoError):
        Contact.objects.get(pk=contact.pk)
