"""Static files from npm packages: only the files the pages use, not whole package folders.

The npm packages ship tens of megabytes of variants (echarts alone: 51 MB of builds and source maps).
Listing whole folders made `collectstatic` hash and compress all of it — many minutes on a small
machine. This finder serves, and lets `collectstatic` copy, exactly the files named in
`settings.GONGKAI_VENDOR_FILES` (URL path → file), plus the source maps those files point to.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class _FileStorage(FileSystemStorage):
    """A storage rooted at one file's folder, with the URL prefix collectstatic copies it under."""

    def __init__(self, folder: Path, prefix: str) -> None:
        super().__init__(location=str(folder))
        self.prefix = prefix


class VendorFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, Path] = {}
        for url_path, source in getattr(settings, "GONGKAI_VENDOR_FILES", {}).items():
            source = Path(source)
            self.files[url_path] = source
            source_map = source.with_name(source.name + ".map")
            if source_map.is_file():
                self.files[url_path + ".map"] = source_map

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        return [
            Error(f"静态文件缺失：{source}（请运行 make setup 安装 npm 依赖）", id="gongkai.E001")
            for source in self.files.values()
            if not source.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        source = self.files.get(path)
        if source is None or not source.is_file():
            return []  # "no match", as Django's own finders say it
        return [str(source)] if find_all or kwargs.get("all") else str(source)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for url_path, source in self.files.items():
            if source.is_file():
                prefix, _, name = url_path.rpartition("/")
                yield name, _FileStorage(source.parent, prefix)
