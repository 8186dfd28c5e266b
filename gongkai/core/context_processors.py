from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Site-wide values for templates: name, identifiers for the footer and meta tags, 适老化 mode."""
    return {
        "SITE_NAME": settings.GONGKAI_SITE_NAME,
        "SITE_DOMAIN": settings.GONGKAI_SITE_DOMAIN,
        "SITE_ID_CODE": settings.GONGKAI_SITE_ID_CODE,
        "SITE_ICP": settings.GONGKAI_ICP,
        "SITE_PSB": settings.GONGKAI_PSB,
        "ELDERLY_MODE": request.COOKIES.get("gk_elderly") == "1",
    }
