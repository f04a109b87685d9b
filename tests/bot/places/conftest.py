"""Fixtures for the help-point tests: today's map from the packages, CSV files to break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Callable, Dict, List

import pytest

from bot.places.importer import COLUMNS
from bot.places.loader import load_units, make_engine
from bot.places.units import Units, build_units

# Points with known positions (central Hồ Chí Minh City and Quảng Trị) for exact checks.
ROWS: List[Dict[str, str]] = [
    {
        "code": "T-SG",
        "kind": "buu_dien",
        "name": "Bưu điện Thử Sài Gòn",
        "address": "Số 2 Công xã Paris",
        "commune": "Phường Sài Gòn",
        "province": "Thành phố Hồ Chí Minh",
        "latitude": "10.78000",
        "longitude": "106.70000",
        "hours": "T2-T6 07:00-11:30,13:30-17:00; T7 07:00-11:30; CN 08:00-11:00",
        "phone": "028 3822 1677",
        "services": "vneid;dich_vu_cong",
        "source_url": "https://www.vnpost.vn",
        "last_reviewed": "2026-11-01",
        "note": "",
    },
    {
        "code": "T-BT",
        "kind": "mot_cua",
        "name": "Một cửa Thử Bến Thành",
        "address": "Số 92 Nguyễn Trãi",
        "commune": "Bến Thành",
        "province": "79",
        "latitude": "10.77100",
        "longitude": "106.69300",
        "hours": "T2-T6 07:30-11:30,13:00-17:00",
        "phone": "",
        "services": "",
        "source_url": "https://tphcm.gov.vn",
        "last_reviewed": "2026-11-01",
        "note": "",
    },
    {
        "code": "T-CL",
        "kind": "buu_dien",
        "name": "Bưu điện Thử Cam Lộ",
        "address": "Đường 2 Tháng 4",
        "commune": "Xã Cam Lộ",
        "province": "Tỉnh Quảng Trị",
        "latitude": "16.80800",
        "longitude": "107.00100",
        "hours": "T2-T7 07:00-11:30,13:30-17:00",
        "phone": "",
        "services": "vneid",
        "source_url": "https://quangtri.gov.vn",
        "last_reviewed": "2026-11-01",
        "note": "",
    },
]


def write_csv(path: Path, rows: List[Dict[str, str]], columns=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def units() -> Units:
    return build_units()


@pytest.fixture
def rows() -> List[Dict[str, str]]:
    return [dict(r) for r in ROWS]


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (dicts of the CSV columns) to a fresh file and return its path."""
    counter = iter(range(1000))

    def make(rows: List[Dict[str, str]], columns=COLUMNS) -> Path:
        return write_csv(tmp_path / f"points-{next(counter)}.csv", rows, columns)

    return make


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """An empty database."""
    return f"sqlite:///{tmp_path / 'db' / 'kb.sqlite3'}"


@pytest.fixture(scope="session")
def _map_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map") / "kb.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        load_units(engine)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def mapped_db_url(_map_database: Path, tmp_path: Path) -> str:
    """A database that already holds today's map (stored once per run, then copied)."""
    path = tmp_path / "mapped" / "kb.sqlite3"
    path.parent.mkdir()
    shutil.copyfile(_map_database, path)
    return f"sqlite:///{path}"
