import pytest


@pytest.fixture(autouse=True)
def anchor_path(tmp_path, settings):
    """Every audit test writes and reads its own anchor file, never the installation's."""
    path = tmp_path / "anchors" / "audit-anchors.log"
    settings.GONGKAI_AUDIT_ANCHOR_FILE = path
    return path
