"""The same protocol over the Redis channel layer (what several worker processes share).

Runs when REDIS_URL is set (CI sets it); each test uses its own key prefix so parallel runs and
other engineers' data do not meet. The multi-process path (two uvicorn workers) is exercised by
the browser test on Redis and by benchmarks/chat_load.py.
"""

import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from django.test import Client

from conftest import login_client
from vangnet.chat.tests.conftest import Socket, new_cid, start_chat

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set"),
]


@pytest.fixture(autouse=True)
def _redis_layer(settings):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"vgtest-{uuid.uuid4().hex[:8]}",
                "expiry": 30,
            },
        }
    }


def test_lines_typing_and_state_cross_the_redis_layer(meldpunt_staff):
    visitor_client = Client()
    conversation = start_chat(visitor_client, age_group="16_17")
    staff_client = login_client(meldpunt_staff["counsellor"])

    async def scenario():
        console = Socket(staff_client, "/ws/chat/console")
        assert (await console.open())[0]
        visitor = Socket(visitor_client, "/ws/chat/visitor")
        await visitor.open()
        welcome, _ = await visitor.hello()
        assert welcome["state"] == "queued"
        from asgiref.sync import sync_to_async

        accepted = await sync_to_async(staff_client.post)(
            f"/staff/chat/{conversation.public_id}/accept"
        )
        assert accepted.status_code == 302
        assert (await visitor.until("state"))["state"] == "active"
        assert await console.until("queue")
        staff = Socket(staff_client, f"/ws/chat/staff/{conversation.public_id}")
        await staff.open()
        await staff.hello()
        cid = new_cid()
        await visitor.send({"type": "send", "cid": cid, "body": "via redis"})
        ack = await visitor.until("ack")
        assert (await staff.until("msg", {"from": "visitor"}))["seq"] == ack["seq"]
        await staff.send({"type": "typing"})
        assert (await visitor.until("typing"))["from"] == "counsellor"
        await visitor.close()
        # The visitor is away; the counsellor writes; the visitor comes back and catches up.
        await staff.send({"type": "send", "cid": new_cid(), "body": "ik wacht"})
        missed = (await staff.until("ack"))["seq"]
        back = Socket(visitor_client, "/ws/chat/visitor")
        await back.open()
        _welcome, history = await back.hello(last_seq=ack["seq"], count=2)  # joined + own line
        assert [m["seq"] for m in history["msgs"]] == [missed]
        await back.close()
        await staff.close()
        await console.close()

    async_to_sync(scenario)()
