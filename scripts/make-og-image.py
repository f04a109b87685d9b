"""Draw bot/web/static/og-image.png, the 1200×630 picture of link previews (Zalo, Facebook).

Run once after changing the design: `.venv/bin/python scripts/make-og-image.py`.
Chromium draws the text, so Vietnamese diacritics come out right.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bot" / "web" / "static" / "og-image.png"
ICON = (ROOT / "bot" / "web" / "static" / "icon.svg").read_text()

PAGE = f"""<!doctype html><html lang="vi"><meta charset="utf-8">
<body style="margin:0;width:1200px;height:630px;background:#0b3d91;color:#fff;
font-family:'DejaVu Sans',sans-serif;display:flex;flex-direction:column;justify-content:center;padding:0 80px;
box-sizing:border-box">
<div style="display:flex;align-items:center;gap:36px">
<div style="width:150px;height:150px;flex:none;background:#fff;border-radius:32px;padding:10px">{ICON}</div>
<div style="font-size:66px;font-weight:700;line-height:1.15">Trợ lý VNeID<br>và dịch vụ công</div></div>
<p style="font-size:38px;line-height:1.35;margin:48px 0 0">Hướng dẫn từng bước, dễ đọc:<br>
tài khoản định danh điện tử, thẻ căn cước,<br>nộp hồ sơ trực tuyến.</p>
<p style="font-size:30px;margin:36px 0 0;color:#ffe27a">Miễn phí · Không bao giờ hỏi mã OTP hay mật khẩu</p>
</body></html>"""


def main() -> int:
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(PAGE)
        png = page.screenshot()
        browser.close()
    # A 64-colour palette keeps the file small for slow networks without visible banding.
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64).save(OUT, optimize=True)
    print(f"{OUT}: {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
