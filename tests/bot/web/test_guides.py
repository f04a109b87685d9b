"""Guide pages, QR codes and the procedure API, against the real KB (no Rasa needed)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
import zxingcpp
from aiohttp.test_utils import TestClient

from bot.kb.queries import KnowledgeBase
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.guides import MSG_NO_GUIDE, MSG_QUERY_TOO_LONG

pytestmark = pytest.mark.asyncio

SLUG = "kich-hoat-vneid"


def og(page: str, prop: str) -> str:
    found = re.search(rf'<meta property="og:{prop}" content="([^"]*)">', page)
    assert found, f"no og:{prop}"
    return html.unescape(found.group(1))


async def test_every_procedure_has_a_guide_page(client: TestClient, kb: KnowledgeBase) -> None:
    for procedure in kb.all():
        response = await client.get(f"/huong-dan/{procedure.slug}")
        assert response.status == 200, procedure.slug
        page = html.unescape(await response.text())
        assert re.search(rf"<h1[^>]*>{re.escape(procedure.title)}</h1>", page)
        for text in (procedure.summary, *procedure.steps, *procedure.papers, procedure.fee):
            assert text in page, (procedure.slug, text)
        assert procedure.sources[0].url in page
        assert procedure.last_reviewed.strftime("%d/%m/%Y") in page
        assert f'href="/?chu-de={procedure.slug}"' in page


async def test_guide_page_previews_well(client: TestClient, kb: KnowledgeBase) -> None:
    procedure = kb.get(SLUG)
    response = await client.get(f"/huong-dan/{SLUG}")
    page = await response.text()
    base = f"http://{client.host}:{client.port}"
    assert og(page, "title") == procedure.title
    assert og(page, "description") == procedure.summary
    assert og(page, "url") == f"{base}/huong-dan/{SLUG}"
    assert og(page, "image") == f"{base}/static/og-image.png"
    assert og(page, "type") == "article"
    image = await client.get("/static/og-image.png")
    assert image.status == 200 and image.content_type == "image/png"
    assert (await image.read()).startswith(b"\x89PNG")


async def test_public_url_setting_wins_over_the_request_host(
    aiohttp_client: Any, kb_url: str, closed_port: int
) -> None:
    settings = Settings(kb_url=kb_url, rasa_port=closed_port, public_url="https://troly.example.vn")
    client = await aiohttp_client(create_app(settings))
    page = await (await client.get(f"/huong-dan/{SLUG}")).text()
    assert og(page, "url") == f"https://troly.example.vn/huong-dan/{SLUG}"
    body = await (await client.get(f"/api/procedures/{SLUG}")).json()
    assert body["public_url"] == f"https://troly.example.vn/huong-dan/{SLUG}"


async def test_unknown_guide_is_a_readable_404_page(client: TestClient) -> None:
    response = await client.get("/huong-dan/khong-co-huong-dan-nay")
    assert response.status == 404
    assert response.content_type == "text/html"
    page = await response.text()
    assert MSG_NO_GUIDE in page and 'href="/huong-dan"' in page


async def test_guide_index_lists_every_procedure(client: TestClient, kb: KnowledgeBase) -> None:
    page = html.unescape(await (await client.get("/huong-dan")).text())
    for slug, title in kb.titles():
        assert f'href="/huong-dan/{slug}"' in page and title in page


async def test_qr_code_decodes_to_the_guide_link(client: TestClient) -> None:
    response = await client.get(f"/huong-dan/{SLUG}/qr.svg")
    assert response.status == 200 and response.content_type == "image/svg+xml"
    svg = await response.text()
    # Decode the drawn modules, not the embedded <title>: rasterise the SVG's path.
    assert decode_segno_svg(svg) == f"http://{client.host}:{client.port}/huong-dan/{SLUG}"


def decode_segno_svg(svg: str) -> str:
    """Rasterise segno's one-path SVG (horizontal runs: 'M x y.5 h n m dx dy ...') and decode it."""
    import numpy as np

    size = int(re.search(r'width="(\d+)"', svg).group(1)) // 8
    path = re.search(r' d="([^"]+)"', svg).group(1)
    grid = np.full((size, size), 255, dtype=np.uint8)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            grid[int(y), int(x) : int(x) + int(float(a))] = 0
            x += float(a)
    image = np.kron(grid, np.ones((4, 4), dtype=np.uint8))
    results = zxingcpp.read_barcodes(image)
    assert results, "no QR code found"
    return results[0].text


async def test_search_works_with_and_without_diacritics(client: TestClient) -> None:
    for query in ("kích hoạt", "kich hoat", "kick hoat vneid"):
        body = await (await client.get("/api/procedures", params={"q": query})).json()
        assert body["results"][0]["slug"] == SLUG, query


async def test_empty_search_lists_all(client: TestClient, kb: KnowledgeBase) -> None:
    body = await (await client.get("/api/procedures")).json()
    assert [r["slug"] for r in body["results"]] == [p.slug for p in kb.all()]


async def test_search_refuses_an_overlong_query(client: TestClient) -> None:
    response = await client.get("/api/procedures", params={"q": "a" * 201})
    assert response.status == 400
    assert (await response.json())["error"] == MSG_QUERY_TOO_LONG


async def test_procedure_api(client: TestClient, kb: KnowledgeBase) -> None:
    procedure = kb.get(SLUG)
    body = await (await client.get(f"/api/procedures/{SLUG}")).json()
    assert body["steps"] == list(procedure.steps)
    assert body["papers"] == list(procedure.papers)
    assert body["chat_payload"] == f"/{procedure.intent}"
    assert body["qr_url"] == f"/huong-dan/{SLUG}/qr.svg"
    missing = await client.get("/api/procedures/khong-co")
    assert missing.status == 404 and missing.content_type == "application/json"


@pytest.mark.parametrize("path", ["/", "/nhung", "/quay", "/huong-dan", f"/huong-dan/{SLUG}"])
async def test_pages_carry_preview_tags_and_no_foreign_assets(client: TestClient, path: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    page = await response.text()
    assert '<html lang="vi">' in page
    for prop in ("title", "description", "url", "image"):
        assert og(page, prop)
    # Links out (official sites, sources) are fine; every asset and the canonical link are ours.
    own = re.sub(r'<a [^>]*>|<link rel="canonical"[^>]*>', "", page)
    assert not re.search(r'(src|href)="(https?:)?//', own)
    assert "<script>" not in page and " style=" not in page


async def test_only_the_widget_panel_may_be_framed(client: TestClient) -> None:
    framed = await client.get("/nhung")
    assert "frame-ancestors 'self' *" in framed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in framed.headers
    for path in ("/", "/quay", f"/huong-dan/{SLUG}"):
        response = await client.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"


async def test_guides_say_they_are_not_ready_without_a_kb(
    aiohttp_client: Any, tmp_path: Any, closed_port: int
) -> None:
    settings = Settings(kb_url=f"sqlite:///{tmp_path / 'missing.sqlite3'}", rasa_port=closed_port)
    client = await aiohttp_client(create_app(settings))
    response = await client.get(f"/huong-dan/{SLUG}")
    assert response.status == 503 and "chưa sẵn sàng" in await response.text()
    api = await client.get("/api/procedures")
    assert api.status == 503 and "chưa sẵn sàng" in (await api.json())["error"]
    assert (await client.get("/")).status == 200  # the chat page does not need the KB
