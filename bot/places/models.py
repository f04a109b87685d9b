"""SQLAlchemy tables of the administrative map and the help points.

They have their own metadata: ``python -m bot.kb load`` replaces the procedure tables
wholesale, while help points imported by an operator must survive it.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

PlacesBase = declarative_base()

# What a help point is; the wording shown to citizens is in domain.yml.
KINDS = ("buu_dien", "mot_cua", "cong_an")
SERVICES = ("vneid", "dich_vu_cong", "nhan_tra_ho_so", "can_cuoc", "chuyen_phat")

# MetaRow key: when an import last changed the help points or the map (readers reload then).
CHANGED_KEY = "help_points_changed"

# Levels of a former unit (before 1/7/2025).
FORMER_PROVINCE = "province"
FORMER_DISTRICT = "district"
FORMER_COMMUNE = "commune"


class MetaRow(PlacesBase):
    """Key/value facts about the loaded data, e.g. which package version built the map."""

    __tablename__ = "places_meta"

    key = Column(String(64), primary_key=True)
    value = Column(Text, nullable=False)


class ProvinceRow(PlacesBase):
    __tablename__ = "places_provinces"

    code = Column(Integer, primary_key=True, autoincrement=False)  # official code, e.g. 79
    name = Column(Text, nullable=False)  # "Thành phố Hồ Chí Minh"
    short_name = Column(Text, nullable=False)  # "Hồ Chí Minh"


class CommuneRow(PlacesBase):
    """A commune, ward or special zone: the level below the province since 1/7/2025."""

    __tablename__ = "places_communes"

    code = Column(Integer, primary_key=True, autoincrement=False)  # official code, e.g. 26734
    name = Column(Text, nullable=False)  # "Phường Bến Thành"
    short_name = Column(Text, nullable=False)  # "Bến Thành"
    province_code = Column(Integer, ForeignKey("places_provinces.code"), nullable=False, index=True)


class FormerNameRow(PlacesBase):
    """A unit of the old map and one of today's units its area went to.

    A former district or commune split between several communes has one row per commune;
    a former province has one row pointing at today's province (commune_code NULL).
    """

    __tablename__ = "places_former_names"
    __table_args__ = (
        UniqueConstraint("level", "name", "former_district", "former_province", "commune_code"),
    )

    id = Column(Integer, primary_key=True)
    level = Column(String(16), nullable=False)
    name = Column(Text, nullable=False)  # "Huyện Cam Lộ"
    former_district = Column(Text, nullable=True)  # for communes: the district they were in
    former_province = Column(Text, nullable=False)  # "Tỉnh Quảng Trị"
    province_code = Column(Integer, ForeignKey("places_provinces.code"), nullable=False)
    commune_code = Column(Integer, ForeignKey("places_communes.code"), nullable=True)


class HelpPointRow(PlacesBase):
    __tablename__ = "places_help_points"

    id = Column(Integer, primary_key=True)
    code = Column(String(64), nullable=False, unique=True)  # the operator's id
    kind = Column(String(16), nullable=False)
    name = Column(Text, nullable=False)
    address = Column(Text, nullable=False)
    commune_code = Column(Integer, ForeignKey("places_communes.code"), nullable=False, index=True)
    latitude = Column(Float, nullable=False)
    longitude = Column(Float, nullable=False)
    phone = Column(String(32), nullable=False, default="")
    services = Column(Text, nullable=False, default="")  # ";"-joined SERVICES keys
    source_url = Column(Text, nullable=False)
    last_reviewed = Column(Date, nullable=False)
    note = Column(Text, nullable=False, default="")

    openings = relationship(
        "OpeningRow", order_by="OpeningRow.weekday, OpeningRow.opens", cascade="all, delete-orphan"
    )


class OpeningRow(PlacesBase):
    """One opening period: weekday 0 = Monday, minutes since midnight, Vietnam time."""

    __tablename__ = "places_openings"

    id = Column(Integer, primary_key=True)
    help_point_id = Column(
        Integer, ForeignKey("places_help_points.id", ondelete="CASCADE"), nullable=False, index=True
    )
    weekday = Column(Integer, nullable=False)
    opens = Column(Integer, nullable=False)
    closes = Column(Integer, nullable=False)
