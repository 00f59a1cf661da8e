import json

import pytest

from vangnet.chat.protocol import Refused, clean_body, parse


def refused(fn, *args):
    with pytest.raises(Refused) as info:
        fn(*args)
    return info.value.code


def test_a_line_is_trimmed_and_line_breaks_are_normalised():
    assert clean_body("  hoi\r\nhoe gaat het?\r ") == "hoi\nhoe gaat het?"


def test_emoji_and_joiners_are_fine():
    assert clean_body("👩‍👧 ok") == "👩‍👧 ok"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * 2001, "too_long"),
        ("bell\x07", "invalid_characters"),
        ("nul\x00", "invalid_characters"),
        ("escape\x1b[2J", "invalid_characters"),
        ("abc\u202edcba", "invalid_characters"),
        ("lone \ud800 surrogate", "invalid_characters"),
        (42, "bad_frame"),
        (None, "bad_frame"),
    ],
)
def test_bad_lines_are_refused_with_a_reason(body, code):
    assert refused(clean_body, body) == code


def test_the_limit_is_counted_in_characters_not_bytes():
    assert clean_body("é" * 2000) == "é" * 2000


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '"hello"',
        "{}",
        '{"type": "shout"}',
        '{"type": "hello", "last_seq": -1}',
        '{"type": "hello", "last_seq": true}',
        '{"type": "hello", "count": "3"}',
        '{"type": "hello", "last_seq": 1e400}',
        "[" * 100000,
    ],
)
def test_malformed_frames_are_refused(text):
    assert refused(parse, text, None) in {"bad_frame", "too_long"}


def test_binary_frames_are_refused():
    assert refused(parse, None, b"\x00\x01") == "bad_frame"


@pytest.mark.parametrize("cid", ["", "short", "a" * 61, "has space1", "ünïcode123", 12345678, None])
def test_a_send_needs_a_proper_client_id(cid):
    assert (
        refused(parse, json.dumps({"type": "send", "cid": cid, "body": "hoi"}), None) == "bad_cid"
    )


def test_a_refused_body_keeps_its_client_id_so_the_client_knows_which_line():
    with pytest.raises(Refused) as info:
        parse(json.dumps({"type": "send", "cid": "abcdefgh12", "body": "x" * 5000}), None)
    assert info.value.code == "too_long" and info.value.cid == "abcdefgh12"


def test_a_good_send_frame():
    frame = parse(json.dumps({"type": "send", "cid": "abcdefgh12", "body": " hoi "}), None)
    assert (frame.type, frame.cid, frame.body) == ("send", "abcdefgh12", "hoi")
