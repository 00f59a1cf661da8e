import pytest

from vangnet.intake.models import Contact, Message
from vangnet.intake.receipts import LOCK_AFTER
from vangnet.intake.tests.conftest import code_from
from vangnet.lib import codes


@pytest.fixture
def reported(visitor, form_data):
    return code_from(visitor.post("/report/new", form_data()))


def test_the_reporter_comes_back_reads_the_reply_and_answers(visitor, reported, case_worker):
    from conftest import login_client

    contact = Contact.objects.get()
    staff = login_client(case_worker)
    staff.post(f"/staff/contacts/{contact.public_id}", {"reply-body": "Dank je. Wij gaan kijken."})
    response = visitor.post("/return", {"code": reported.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"] == "/return/thread"
    assert reported not in response["Location"]
    thread = visitor.get("/return/thread").content.decode()
    assert "Dank je. Wij gaan kijken." in thread
    assert "We kijken ernaar" in thread or "kijkt ernaar" in thread
    visitor.post("/return/thread", {"body": "Het gebeurde gisteren weer."})
    assert (
        Message.objects.filter(direction="from_reporter").get().body
        == "Het gebeurde gisteren weer."
    )


def test_a_wrong_code_and_an_unknown_code_get_the_same_answer(visitor, reported):
    real = codes.parse(reported)
    wrong_secret = codes.from_parts(real.locator, codes.generate().secret).display
    unknown = codes.generate().display
    a = visitor.post("/return", {"code": wrong_secret})
    b = visitor.post("/return", {"code": unknown})
    assert a.status_code == b.status_code == 400
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(a.content.decode()) == strip(b.content.decode())


def test_a_typo_is_caught_before_any_lookup(visitor, reported):
    typo = ("X" if reported[0] != "X" else "Y") + reported[1:]
    response = visitor.post("/return", {"code": typo})
    assert response.status_code == 400
    assert "typfout" in response.content.decode()


def test_too_many_wrong_tries_lock_the_locator_even_for_the_right_code(
    visitor, reported, monkeypatch
):
    monkeypatch.setattr("vangnet.intake.receipts.SLOW_SECONDS", 0)
    real = codes.parse(reported)
    for _ in range(LOCK_AFTER):
        visitor.post(
            "/return", {"code": codes.from_parts(real.locator, codes.generate().secret).display}
        )
    locked = visitor.post("/return", {"code": reported})
    assert locked.status_code == 429
    assert "vergrendeld" in locked.content.decode() or "geblokkeerd" in locked.content.decode()


def test_the_thread_needs_a_code_session(visitor, db):
    assert visitor.get("/return/thread")["Location"] == "/return"


def test_leaving_forgets_the_session(visitor, reported):
    visitor.post("/return", {"code": reported})
    visitor.post("/return/leave")
    assert visitor.get("/return/thread").status_code == 302


def test_a_code_pasted_with_no_break_spaces_and_en_dashes_works(visitor, reported):
    pasted = reported.replace("-", "\u2013", 2).replace("-", "\u00a0", 1)
    assert visitor.post("/return", {"code": f" {pasted}\n"}).status_code == 302


def test_a_locator_clash_draws_a_new_locator(visitor, form_data, monkeypatch):
    from vangnet.intake.models import Receipt
    from vangnet.lib import codes as codes_module

    visitor.post("/report/new", form_data())
    taken = Receipt.objects.get().locator
    real_generate = codes_module.generate
    calls = {"n": 0}

    def clashing_generate():
        calls["n"] += 1
        code = real_generate()
        return codes_module.from_parts(taken, code.secret) if calls["n"] == 1 else code

    monkeypatch.setattr(codes_module, "generate", clashing_generate)
    second = visitor.post("/report/new", form_data())
    assert second.status_code == 200
    assert Receipt.objects.count() == 2 and calls["n"] >= 2
