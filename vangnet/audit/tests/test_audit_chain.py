import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from vangnet.audit.log import Actor, record
from vangnet.audit.models import AuditEvent
from vangnet.audit.verify import verify_all


def _events(n, org_id=1):
    return [
        record(
            actor=Actor(type="staff", id="7", role="case_worker", organisation_id=org_id),
            action="read",
            activity="vg-004-case-work",
            object_type="cases.Case",
            object_id=str(i),
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_events_form_an_intact_chain():
    events = _events(5)
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    report = verify_all()
    assert report.problem is None
    assert report.events == 5


@pytest.mark.django_db
def test_verify_command_names_the_first_changed_row():
    events = _events(4)
    target = events[2]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
        else:
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_change"
            )
        cursor.execute("UPDATE audit_auditevent SET object_id = '999' WHERE id = %s", [target.pk])
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify")
    assert f"id={target.pk}" in str(excinfo.value)
    assert "content changed" in str(excinfo.value)


@pytest.mark.django_db
def test_verify_detects_a_removed_row():
    events = _events(4)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_change"
            )
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    report = verify_all()
    assert report.problem is not None
    assert report.problem.event_id == events[2].pk
    assert "sequence gap" in report.problem.reason


@pytest.mark.django_db
def test_the_database_refuses_to_update_audit_rows():
    (event,) = _events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_the_model_layer_refuses_update_and_delete():
    (event,) = _events(1)
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        event.save()


@pytest.mark.django_db
def test_verify_command_passes_on_an_intact_log(capsys):
    _events(3)
    call_command("audit_verify")
    assert "intact: 3 events" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)  # each event its own transaction
def test_public_events_carry_no_actor_identity_and_spread_over_shards():
    for _ in range(40):
        record(actor=Actor.public(), action="contact_created", activity="vg-001-intake")
    chains = set(AuditEvent.objects.values_list("chain", flat=True))
    assert len(chains) > 1 and all(c.startswith("public:") for c in chains)
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {""}
    assert verify_all().problem is None


@pytest.mark.django_db(transaction=True)
def test_organisation_events_spread_over_shards_and_a_transaction_keeps_its_shard():
    """One chain per organisation made all its counsellors queue behind one lock (held until
    commit): 1,000 chat sockets coming back after a crash wrote their read events one by one."""
    staff = Actor(type="staff", id="7", role="counsellor", organisation_id=3)
    other = Actor(type="staff", id="8", role="counsellor", organisation_id=4)
    for _ in range(12):
        with transaction.atomic():
            first = record(actor=staff, action="read", activity="vg-004-case-work")
            second = record(actor=staff, action="write", activity="vg-004-case-work")
            third = record(actor=other, action="read", activity="vg-004-case-work")
        assert first.chain == second.chain and first.chain.startswith("org:3:")
        assert third.chain.startswith("org:4:")
    chains = set(AuditEvent.objects.filter(organisation_id=3).values_list("chain", flat=True))
    assert len(chains) > 1
    assert verify_all().problem is None


def test_unknown_processing_activity_is_refused(db):
    with pytest.raises(ValueError, match="Unknown processing activity"):
        record(actor=Actor.system(), action="x", activity="vg-999")


@pytest.mark.django_db(transaction=True)
def test_public_events_of_one_transaction_share_a_shard():
    """Two shards taken in opposite orders by two transactions could deadlock on their locks."""
    for _ in range(10):
        with transaction.atomic():
            first = record(actor=Actor.public(), action="a", activity="vg-001-intake")
            second = record(actor=Actor.public(), action="b", activity="vg-001-intake")
        assert first.chain == second.chain
    assert len(set(AuditEvent.objects.values_list("chain", flat=True))) > 1


@pytest.mark.django_db(transaction=True)
def test_many_concurrent_public_writers_all_succeed_on_postgresql():
    """50 anonymous submissions at once over 8 shards once exhausted the optimistic retries."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database is per thread; this runs on PostgreSQL")
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for _ in range(15):
                with transaction.atomic():
                    record(actor=Actor.public(), action="contact_created", activity="vg-001-intake")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == 24 * 15
    assert verify_all().problem is None
