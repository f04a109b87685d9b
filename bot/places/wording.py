"""The Vietnamese words of help-point replies: each point's lines, opening status, leads.

Fixed sentences (asking for the place, nothing found) are responses in domain.yml; the
parts here depend on data, so they are built in Python, in this one place.
"""

from __future__ import annotations

import datetime
from typing import Iterable, Optional, Sequence

from bot.places.directory import Found
from bot.places.hours import Period, Status, clock, day_hours
from bot.text import fold

KIND_NAMES = {
    "buu_dien": "Bưu điện",
    "mot_cua": "Trung tâm phục vụ hành chính công (một cửa)",
    "cong_an": "Công an xã, phường",
}
KIND_SHORT = {"buu_dien": "bưu điện", "mot_cua": "bộ phận một cửa", "cong_an": "công an xã, phường"}
SERVICE_NAMES = {
    "vneid": "VNeID",
    "dich_vu_cong": "dịch vụ công trực tuyến",
    "nhan_tra_ho_so": "nhận hồ sơ, trả kết quả",
    "can_cuoc": "làm thẻ căn cước",
    "chuyen_phat": "gửi hồ sơ qua bưu điện",
}
DAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def status_text(status: Status) -> str:
    """ "Đang mở cửa, đến 17:00", "Đang nghỉ trưa, mở lại lúc 13:30", ..."""
    if status.is_open:
        return f"Đang mở cửa, đến {clock(status.closes)}"
    if status.opens is None:
        return "Chưa có giờ mở cửa"
    when = clock(status.opens)
    if status.opens_in_days == 0:
        return f"Đang nghỉ trưa, mở lại lúc {when}" if status.lunch else f"Chưa mở cửa, mở lúc {when}"
    day = DAY_NAMES[status.opens_weekday]
    if status.opens_in_days == 1:
        return f"Đã đóng cửa, mở lại lúc {when} ngày mai ({day})"
    return f"Đã đóng cửa, mở lại lúc {when} {day}"


def day_text(periods: Sequence[Period], weekday: int) -> str:
    """ "Thứ Bảy: 07:30–11:30" or "Thứ Bảy: nghỉ"."""
    return f"{DAY_NAMES[weekday]}: {day_hours(periods, weekday) or 'nghỉ'}"


def week_text(periods: Sequence[Period]) -> str:
    """Weekly hours; consecutive days with the same hours share one entry."""
    parts = []
    day = 0
    while day < 7:
        hours = day_hours(periods, day)
        last = day
        while last + 1 < 7 and day_hours(periods, last + 1) == hours:
            last += 1
        if hours:
            days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]} đến {DAY_NAMES[last]}"
            parts.append(f"{days}: {hours}")
        day = last + 1
    return "; ".join(parts) or "chưa có giờ mở cửa"


def distance_text(km: float) -> str:
    """ "khoảng 350 m", "khoảng 1,2 km", "khoảng 15 km" (Vietnamese decimal comma)."""
    if km < 1:
        return f"khoảng {max(50, round(km * 1000, -1)):.0f} m"
    if km < 10:
        return f"khoảng {km:.1f} km".replace(".", ",")
    return f"khoảng {km:.0f} km"


def services_text(services: Iterable[str]) -> str:
    return ", ".join(SERVICE_NAMES[s] for s in services if s in SERVICE_NAMES)


# Words that already tell the kind, when the name contains them (folded).
_KIND_IN_NAME = {
    "buu_dien": ("buu dien", "buu cuc"),
    "mot_cua": ("hanh chinh cong", "mot cua"),
    "cong_an": ("cong an",),
}


def name_with_kind(name: str, kind: str) -> str:
    """ "Bưu điện xã Cam Lộ" as it is; "Điểm Hoàn Kiếm (Bưu điện)" when the name does not say."""
    folded = fold(name)
    if any(word in folded for word in _KIND_IN_NAME[kind]):
        return name
    return f"{name} ({KIND_NAMES[kind]})"


def full_address(found: Found) -> str:
    p = found.point
    return f"{p.address}, {p.commune}, {p.province}"


def when_text(found: Found, moment: datetime.datetime, weekday: Optional[int]) -> str:
    """The asked day's hours, else whether it is open now."""
    periods = found.point.periods
    if weekday is not None:
        return day_text(periods, weekday)
    return status_text(found.point.status(moment))


def item_lines(number: int, found: Found, moment: datetime.datetime, weekday: Optional[int]) -> str:
    """One numbered point, for channels that show text only (the web page draws a card)."""
    p = found.point
    lines = [f"{number}. {name_with_kind(p.name, p.kind)}", f"Địa chỉ: {full_address(found)}"]
    when = when_text(found, moment, weekday)
    if found.distance_km is not None:
        when = f"Cách bạn {distance_text(found.distance_km)}. {when}"
    lines.append(when + ".")
    lines.append(f"Giờ làm việc: {week_text(p.periods)}.")
    if p.phone:
        lines.append(f"Điện thoại: {p.phone}")
    return "\n".join(lines)


def lead_text(place: Optional[str], near: bool, scope: str, kinds: Iterable[str], province: str) -> str:
    """The sentence before the list: where the points are, and why when it looked wider."""
    wanted = " hoặc ".join(KIND_SHORT[k] for k in sorted(kinds)) if kinds else "điểm hỗ trợ"
    if scope == "nearby":
        return f"Danh bạ chưa có {wanted} ở {place}. Các điểm gần đó nhất:"
    if scope == "province":
        return f"Danh bạ chưa có {wanted} ở {place}. Các điểm khác ở {province}:"
    if place and near:
        return f"Các điểm hỗ trợ ở {place}, gần bạn nhất trước:"
    if place:
        return f"Các điểm hỗ trợ ở {place}:"
    return "Các điểm hỗ trợ gần bạn nhất:"


def kinds_dropped_text(kinds: Iterable[str]) -> str:
    wanted = " hoặc ".join(KIND_SHORT[k] for k in sorted(kinds))
    return f"(Gần đó danh bạ chưa có {wanted}; đây là các điểm hỗ trợ khác.)"


def ambiguity_text(others: int) -> str:
    return f"Có {others + 1} nơi cùng tên này. Nếu bạn ở nơi khác, bạn gõ thêm tên tỉnh, thành phố nhé."


def note_text(reviewed: datetime.date) -> str:
    return (
        "Giờ làm việc có thể thay đổi, nhất là dịp lễ, Tết: bạn nên gọi hỏi trước khi đi. "
        f"Danh bạ cập nhật ngày {reviewed.strftime('%d/%m/%Y')}."
    )


def more_text() -> str:
    return "Thêm các điểm hỗ trợ khác:"
