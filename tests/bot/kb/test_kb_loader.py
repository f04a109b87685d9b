"""Loading the real content into SQLite, reloading, atomicity, and the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine

import bot.kb.loader as loader
from bot.kb.__main__ import main
from bot.kb.content import load_content
from bot.kb.loader import load_kb
from bot.kb.models import Base
from bot.kb.queries import KnowledgeBase, KnowledgeBaseMissing


def test_load_real_content(content, url, tmp_path, dump, count):
    report = load_kb(content, url)

    assert (tmp_path / "db" / "kb.sqlite3").is_file()  # parent folder created
    assert report.procedures == count == len(list((content / "procedures").glob("*.yml")))
    rows = dump(url)
    assert len(rows["kb_procedures"]) == count
    assert report.aliases == len(rows["kb_aliases"]) >= count
    assert report.steps == len(rows["kb_steps"]) >= 4 * count
    assert str(report) == f"KB: {count} procedures loaded into {url}"


def test_procedures_round_trip_through_queries(content, loaded):
    kb = KnowledgeBase.from_url(loaded)
    for entry in load_content(content):
        assert kb.get(entry.procedure.slug) == entry.procedure
        assert kb.by_intent(entry.procedure.intent) == entry.procedure


def test_reload_is_idempotent(content, loaded, dump):
    before = dump(loaded)
    load_kb(content, loaded)
    assert dump(loaded) == before


def test_reload_replaces_old_content(content, loaded, count):
    (content / "procedures" / "buu-dien-ho-tro-dich-vu-cong.yml").unlink()
    assert load_kb(content, loaded).procedures == count - 1
    kb = KnowledgeBase.from_url(loaded)
    assert kb.get("buu-dien-ho-tro-dich-vu-cong") is None
    assert len(kb.titles()) == count - 1


def _downgrade(url: str) -> None:
    """Make kb_procedures look as an older version left it: no family and level columns."""
    engine = create_engine(url, future=True)
    kept = ", ".join(
        c.name for c in Base.metadata.tables["kb_procedures"].columns if c.name not in ("family", "level")
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(f"CREATE TABLE old_procedures AS SELECT {kept} FROM kb_procedures")
        connection.exec_driver_sql("DROP TABLE kb_procedures")
        connection.exec_driver_sql("ALTER TABLE old_procedures RENAME TO kb_procedures")
    engine.dispose()


def test_a_database_from_an_older_version_is_upgraded_by_loading(content, loaded):
    _downgrade(loaded)
    with pytest.raises(KnowledgeBaseMissing, match=r"older version.*kb_procedures.*make kb"):
        KnowledgeBase.from_url(loaded)

    load_kb(content, loaded)
    kb = KnowledgeBase.from_url(loaded)
    assert kb.variant("dang-ky-vneid", 2).slug == "dang-ky-vneid-muc-2"


def test_database_failure_mid_load_keeps_the_old_content(content, loaded, monkeypatch, dump):
    before = dump(loaded)
    real_row = loader._row
    calls = []

    def failing_row(entry):
        calls.append(entry)
        if len(calls) == 3:  # after the deletes and two inserts were queued
            raise RuntimeError("disk full")
        return real_row(entry)

    monkeypatch.setattr(loader, "_row", failing_row)
    with pytest.raises(RuntimeError, match="disk full"):
        load_kb(content, loaded)
    assert dump(loaded) == before


def test_cli_load_and_check(content, url, capsys, count):
    assert main(["check", "--content", str(content)]) == 0
    assert f"KB: {count} procedures" in capsys.readouterr().out
    assert not Path(url.removeprefix("sqlite:///")).exists()  # check touches no database

    assert main(["load", "--url", url, "--content", str(content)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == f"KB: {count} procedures loaded into {url}"
    assert out[1].startswith("Help points: ") and out[1].endswith(f" in {url}")  # bot.places


def test_cli_reports_each_error_on_stderr_and_exits_1(content, loaded, capsys, dump):
    before = dump(loaded)
    (content / "procedures" / "kich-hoat-vneid.yml").write_text("- not a mapping\n", encoding="utf-8")

    assert main(["load", "--url", loaded, "--content", str(content)]) == 1
    captured = capsys.readouterr()
    assert (
        "kich-hoat-vneid.yml: (file): expected a mapping of fields at the top level, got a list"
        in captured.err
    )
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert dump(loaded) == before
    assert main(["check", "--content", str(content)]) == 1


def test_cli_defaults_come_from_settings(content, url, monkeypatch, capsys):
    monkeypatch.setenv("KB_DATABASE_URL", url)
    monkeypatch.setenv("KB_CONTENT_DIR", str(content))
    assert main(["load"]) == 0
    assert url in capsys.readouterr().out


def test_url_password_is_masked_in_the_report():
    from bot.kb.models import safe_url

    assert safe_url("postgresql://kb:secret@db/kb") == "postgresql://kb:***@db/kb"
    assert safe_url("kb:secret@nowhere") == "<invalid database URL>"


@pytest.mark.parametrize("bad_url", ["not a url", "mysql://kb:pw@127.0.0.1:1/kb"])
def test_cli_reports_a_bad_url_without_a_traceback(content, bad_url, capsys):
    # An unparsable URL, and one whose driver (MySQLdb) is not installed.
    assert main(["load", "--url", bad_url, "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("KB: ") and "Traceback" not in err
    assert "pw@" not in err


def test_a_damaged_sqlite_file_is_set_aside_and_rebuilt(content, tmp_path):
    path = tmp_path / "kb.sqlite3"
    path.write_bytes(b"garbage, not SQLite " * 50)
    with pytest.raises(KnowledgeBaseMissing, match="file is not a database"):
        KnowledgeBase.from_url(f"sqlite:///{path}")
    report = load_kb(content, f"sqlite:///{path}")
    assert report.procedures > 0
    assert KnowledgeBase.from_url(f"sqlite:///{path}").all()
    (aside,) = tmp_path.glob("kb.sqlite3.damaged-*")
    assert aside.read_bytes().startswith(b"garbage")  # kept for whoever wants to look
