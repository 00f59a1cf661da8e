"""The dedupe/link command line core, end to end on small generated files."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from vangnet.radar.linkage.cli import KEY_ENV, main
from vangnet.radar.linkage.synth import generate

KEY = bytes.fromhex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
HEADER = "id,first_name,last_name,birth_date,street,house_number,postcode,city,bsn\n"


def _pairs(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("radar")
    data = generate(600, seed=11)
    data.write_csv(folder / "in.csv")
    return folder, data


def _f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> float:
    hits = len(found & truth)
    return 2 * hits / (len(found) + len(truth))


@pytest.mark.parametrize("plaintext", [False, True])
def test_dedupe_end_to_end(dataset, plaintext, capsys):
    folder, data = dataset
    out = folder / f"pairs-{plaintext}.csv"
    argv = ["dedupe", str(folder / "in.csv"), "--out", str(out), "--quiet"]
    assert main([*argv, "--plaintext"] if plaintext else argv, key=KEY) == 0
    rows = _pairs(out)
    assert list(rows[0]) == ["id_l", "id_r", "score"]
    for row in rows:
        assert 0.5 <= float(row["score"]) <= 1.0
        assert len(row["score"].split(".")[1]) == 4
    found = {(min(r["id_l"], r["id_r"]), max(r["id_l"], r["id_r"])) for r in rows}
    assert _f1(found, data.true_pairs()) > 0.85
    assert "600 records read, 0 rows skipped" in capsys.readouterr().err


def test_dedupe_threshold_and_clusters(dataset):
    folder, _ = dataset
    low, high = folder / "low.csv", folder / "high.csv"
    clusters = folder / "clusters.csv"
    base = ["dedupe", str(folder / "in.csv"), "--quiet"]
    assert (
        main([*base, "--out", str(low), "--threshold", "0.2", "--clusters", str(clusters)], KEY)
        == 0
    )
    assert main([*base, "--out", str(high), "--threshold", "0.95"], KEY) == 0
    assert len(_pairs(high)) < len(_pairs(low))
    assert all(float(r["score"]) >= 0.95 for r in _pairs(high))
    assert len(_pairs(clusters)) == 600


def test_link_two_files(dataset, tmp_path):
    _, data = dataset
    by_region = sorted(data.records, key=lambda r: r.region)
    a = generate(0)
    a.records = [r for r in by_region if r.region < 13]
    b = generate(0)
    b.records = [r for r in by_region if r.region >= 13]
    a.write_csv(tmp_path / "a.csv")
    b.write_csv(tmp_path / "b.csv")
    truth = {(x, y) for x, y in data.true_pairs()}
    ids_a = {r.id for r in a.records}
    cross = {(x, y) if x in ids_a else (y, x) for x, y in truth if (x in ids_a) != (y in ids_a)}
    for extra in ([], ["--plaintext"]):
        out = tmp_path / "links.csv"
        argv = ["link", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--out", str(out)]
        assert main([*argv, "--quiet", *extra], key=KEY) == 0
        found = {(r["id_l"], r["id_r"]) for r in _pairs(out)}
        assert all(left in ids_a for left, _ in found)
        assert _f1(found, cross) > 0.8


BAD_FILE = (
    HEADER
    + "a1,Jan,Jansen,1980-01-02,Dorpsstraat,1,1234AB,Utrecht,\n"  # line 2
    + "a2,Jan,Jansen,1980-01-02,Dorpsstraat,1,1234AB\n"  # line 3: too few columns
    + "a3,Piet,Bakker,02-01-1980,Kerkweg,2,1234AB,Utrecht,\n"  # line 4: bad date
    + "a4,Jos\xe9,Bakker,1980-02-30,Kerkweg,2,1234AB,Utrecht,\n"  # line 5: latin-1 byte
    + "a1,Jan,Jansen,1980-01-02,Dorpsstraat,1,1234AB,Utrecht,\n"  # line 6: duplicate id
    + "a5,Jan,Jansen,1980-01-02,Dorpsstr.,1,1234 AB,Utrecht,\n"  # line 7
)


def _write_bad(path: Path) -> Path:
    text = BAD_FILE.replace("\xe9", "\x00")
    data = text.encode("utf-8").replace(b"\x00", b"\xe9")
    path.write_bytes(data)
    return path


def test_malformed_rows_are_reported_with_line_numbers_and_skipped(tmp_path, capsys):
    source = _write_bad(tmp_path / "bad.csv")
    out = tmp_path / "out.csv"
    assert main(["dedupe", str(source), "--out", str(out), "--quiet"], key=KEY) == 0
    err = capsys.readouterr().err
    assert "line 3: expected 9 columns, got 7" in err
    assert "line 4: bad birth_date '02-01-1980'" in err
    assert "line 5: contains bytes that are not valid UTF-8" in err
    assert "line 6: duplicate id 'a1' (first seen on line 2)" in err
    assert "2 records read, 4 rows skipped" in err
    assert [(r["id_l"], r["id_r"]) for r in _pairs(out)] == [("a1", "a5")]


def test_strict_stops_at_the_first_bad_row(tmp_path, capsys):
    source = _write_bad(tmp_path / "bad.csv")
    out = tmp_path / "out.csv"
    assert main(["dedupe", str(source), "--out", str(out), "--strict", "--quiet"], key=KEY) == 1
    err = capsys.readouterr().err
    assert "line 3" in err
    assert "line 4" not in err
    assert not out.exists()


def test_missing_key_is_refused_without_a_default(dataset, monkeypatch, capsys):
    folder, _ = dataset
    monkeypatch.delenv(KEY_ENV, raising=False)
    argv = ["dedupe", str(folder / "in.csv"), "--out", str(folder / "x.csv"), "--quiet"]
    assert main(argv) == 2
    assert KEY_ENV in capsys.readouterr().err
    monkeypatch.setenv(KEY_ENV, "not hex")
    assert main(argv) == 2
    monkeypatch.setenv(KEY_ENV, "abcd")
    assert main(argv) == 2
    assert "at least 16 bytes" in capsys.readouterr().err
    monkeypatch.setenv(KEY_ENV, KEY.hex())
    assert main(argv) == 0
    # Plaintext mode compares no encodings and needs no key.
    monkeypatch.delenv(KEY_ENV)
    assert main([*argv, "--plaintext"]) == 0


def test_missing_file_and_bad_header_exit_2(tmp_path, capsys):
    out = str(tmp_path / "out.csv")
    assert main(["dedupe", str(tmp_path / "nope.csv"), "--out", out], key=KEY) == 2
    assert "file not found" in capsys.readouterr().err
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("id,name\n1,Jan\n", encoding="utf-8")
    assert main(["dedupe", str(wrong), "--out", out], key=KEY) == 2
    assert "expected the header" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["dedupe", str(empty), "--out", out], key=KEY) == 2
    assert main(["frobnicate"], key=KEY) == 2
    assert main(["dedupe", str(wrong), "--out", out, "--threshold", "2"], key=KEY) == 2


def test_runs_as_a_module(dataset, tmp_path):
    folder, _ = dataset
    out = tmp_path / "pairs.csv"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "vangnet.radar.linkage.cli",
            "dedupe",
            str(folder / "in.csv"),
            "--out",
            str(out),
        ],
        env={KEY_ENV: KEY.hex(), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode == 0, result.stderr
    assert "encoding" in result.stderr  # the progress bar
    assert _pairs(out)


def test_the_vangnet_entry_point_reads_the_key_without_setting_django_up(dataset, tmp_path):
    folder, _ = dataset
    via_settings, direct = tmp_path / "settings.csv", tmp_path / "direct.csv"
    script = (
        "import sys, django.apps\n"
        "from vangnet.radar.command import main\n"
        "code = main(sys.argv[1:])\n"
        "assert not django.apps.apps.ready, 'django.setup() ran'\n"
        "sys.exit(code)\n"
    )
    argv = ["dedupe", str(folder / "in.csv"), "--quiet", "--out"]
    env = {KEY_ENV: KEY.hex(), "PATH": "/usr/bin:/bin"}
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", script, *argv, str(via_settings)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr
    assert main([*argv, str(direct)], key=KEY) == 0
    assert via_settings.read_bytes() == direct.read_bytes()
    assert len(_pairs(direct)) > 100
