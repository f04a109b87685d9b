"""Static files, gzipped once in memory and revalidated by ETag: light on slow mobile networks."""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

from aiohttp import web

COMPRESSIBLE = frozenset({".css", ".js", ".svg", ".html", ".json", ".txt"})
# Pages must see a fix on their next load: the browser keeps the file but asks (ETag) each time.
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: Optional[bytes]
    etag: str
    content_type: str
    version: Tuple[int, int]  # mtime_ns, size: a changed file is read again


class Assets:
    """Serves the files under one directory, never outside it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self._cache: Dict[Path, Asset] = {}

    def find(self, name: str) -> Optional[Asset]:
        path = (self.directory / name).resolve()
        if self.directory not in path.parents or not path.is_file():
            return None
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached.version == version:
            return cached
        body = path.read_bytes()
        packed = gzip.compress(body, compresslevel=9, mtime=0) if path.suffix in COMPRESSIBLE else None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type.startswith("text/") or path.suffix in (".js", ".svg", ".json"):
            content_type += "; charset=utf-8"
        asset = Asset(
            body=body,
            gzipped=packed if packed is not None and len(packed) < len(body) else None,
            etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
            content_type=content_type,
            version=version,
        )
        self._cache[path] = asset
        return asset

    def response(self, request: web.Request, name: str, cache_control: str = REVALIDATE) -> web.Response:
        asset = self.find(name)
        if asset is None:
            raise web.HTTPNotFound()
        headers = {"ETag": asset.etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
        if asset.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = asset.gzipped
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = asset.content_type
        return web.Response(body=body, headers=headers)
