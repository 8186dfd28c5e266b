from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command


def test_the_vendor_files_and_their_source_maps_are_found():
    assert finders.find("vendor/htmx/htmx.min.js").endswith("htmx.org/dist/htmx.min.js")
    assert finders.find("vendor/bootstrap/css/bootstrap.min.css.map")
    assert finders.find("vendor/echarts/echarts.js") is None  # only what the pages use


def test_collectstatic_copies_only_the_vendor_files_the_pages_use(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    vendor = sorted(str(p.relative_to(tmp_path)) for p in Path(tmp_path, "vendor").rglob("*"))
    assert "vendor/echarts/echarts.min.js" in vendor
    assert not [p for p in vendor if p.startswith("vendor/echarts/") and "min" not in p]
