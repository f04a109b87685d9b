"""Today's administrative units and their former names, built from maintained packages.

- ``vietnam-provinces`` (2025.10.1): the 34 provinces and cities and their 3,321 communes,
  wards and special zones in force since 1/7/2025, with official codes.
- ``underthesea.address`` ships ``data/mapping.json`` (from ``vietnamadminunits``): every
  pre-2025 commune, with its district and province, and the commune it went to.

Nothing here touches a database: ``loader`` stores what ``build_units`` returns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from bot.places.models import FORMER_COMMUNE, FORMER_DISTRICT, FORMER_PROVINCE
from bot.places.place_names import split_type
from bot.text import fold, nfc

# Words that name a unit's type, longest first so "thành phố" wins over a bare name.
TYPE_WORDS = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "tỉnh",
    "phường",
    "xã",
    "quận",
    "huyện",
)
_TYPE_PREFIX = re.compile(r"^(?:" + "|".join(TYPE_WORDS) + r")\s+", re.IGNORECASE)


def short_name(name: str) -> str:
    """ "Phường Bến Thành" -> "Bến Thành"; a bare number keeps its type ("Phường 1")."""
    name = nfc(" ".join(name.split()))
    rest = _TYPE_PREFIX.sub("", name, count=1)
    return name if rest.isdigit() or not rest else rest


def match_key(name: str) -> str:
    """Compare names by letters and digits only, type word dropped, accents or not:
    "Xã Cư M'gar" and "xa cu mgar" are one name."""
    type_word, rest = split_type(fold(name))
    return re.sub(r"[^a-z0-9]", "", fold(name) if rest.isdigit() else rest)


@dataclass(frozen=True)
class Province:
    code: int
    name: str
    short_name: str


@dataclass(frozen=True)
class Commune:
    code: int
    name: str
    short_name: str
    province_code: int


@dataclass(frozen=True)
class FormerName:
    level: str
    name: str
    former_district: Optional[str]
    former_province: str
    province_code: int
    commune_code: Optional[int]


@dataclass(frozen=True)
class Units:
    provinces: Tuple[Province, ...]
    communes: Tuple[Commune, ...]
    former: Tuple[FormerName, ...]
    version: str  # which package versions built them, to skip reloading the same data
    unmatched: int  # old→new rows whose new commune the official list does not have


def _mapping_path() -> Path:
    import underthesea

    return Path(underthesea.__file__).parent / "address" / "data" / "mapping.json"


def _display(name: str) -> str:
    """Province names in vietnam-provinces lack "Tỉnh" (cities keep "Thành phố")."""
    name = nfc(name)
    return name if name.startswith("Thành phố ") else f"Tỉnh {name}"


@lru_cache(maxsize=1)
def build_units() -> Units:
    """Today's map from vietnam-provinces, former names from underthesea's mapping.

    Cached: it depends only on the installed packages (and takes about 2 s).
    """
    from vietnam_provinces import Province as VnProvince
    from vietnam_provinces import Ward as VnWard

    provinces = tuple(
        Province(code=p.code.value, name=_display(p.name), short_name=short_name(p.name))
        for p in VnProvince.iter_all()
    )
    communes = tuple(
        Commune(
            code=w.code.value,
            name=nfc(w.name),
            short_name=short_name(w.name),
            province_code=w.province_code.value,
        )
        for w in VnWard.iter_all()
    )
    mapping = json.loads(_mapping_path().read_text(encoding="utf-8"))
    province_by_key: Dict[str, int] = {match_key(p.name): p.code for p in provinces}
    commune_by_key: Dict[Tuple[int, str], int] = {
        (c.province_code, match_key(c.name)): c.code for c in communes
    }
    former: Dict[tuple, FormerName] = {}
    unmatched = 0

    def add(item: FormerName) -> None:
        former.setdefault(
            (item.level, item.name, item.former_district, item.former_province, item.commune_code),
            item,
        )

    for row in mapping["ward_mapping"]:
        province = province_by_key.get(match_key(row["new_province"]))
        old_province = nfc(row["old_province"])
        if province is None:
            unmatched += 1
            continue
        if match_key(old_province) != match_key(row["new_province"]):
            add(FormerName(FORMER_PROVINCE, old_province, None, old_province, province, None))
        commune = commune_by_key.get((province, match_key(row["new_ward"]))) if row["new_ward"] else None
        if commune is None:
            unmatched += 1
            continue
        district = nfc(row["old_district"]) if row.get("old_district") else None
        if district:
            add(FormerName(FORMER_DISTRICT, district, None, old_province, province, commune))
        if row.get("old_ward"):
            add(FormerName(FORMER_COMMUNE, nfc(row["old_ward"]), district, old_province, province, commune))
    version = "vietnam-provinces {}; underthesea {} ({} {})".format(
        metadata.version("vietnam-provinces"),
        metadata.version("underthesea"),
        mapping["metadata"].get("source", "mapping"),
        mapping["metadata"].get("version", "?"),
    )
    return Units(provinces, communes, tuple(former.values()), version, unmatched)


def summary(units: Units) -> Dict[str, int]:
    levels: Dict[str, int] = {}
    for item in units.former:
        levels[item.level] = levels.get(item.level, 0) + 1
    return {"provinces": len(units.provinces), "communes": len(units.communes), **levels}


def place_names(units: Optional[Units] = None) -> List[str]:
    """Every name on the map, today's and former, without its type word ("Bến Thành", "Huế"),
    sorted. Names of one syllable are left out but for provinces: "Tân", "Bình" are words too."""
    units = units or build_units()
    provinces = {p.short_name for p in units.provinces}
    provinces |= {short_name(f.name) for f in units.former if f.level == FORMER_PROVINCE}
    others = {c.short_name for c in units.communes}
    others |= {short_name(f.name) for f in units.former if f.level != FORMER_PROVINCE}
    several = {name for name in others if len(name.split()) >= 2 and not name.split()[-1].isdigit()}
    return sorted(provinces | several)
