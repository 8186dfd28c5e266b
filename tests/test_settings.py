"""Production settings: `check --deploy` is clean and a missing or weak secret key is refused."""

import os
import subprocess
import sys

import pytest

PROD = {
    "GONGKAI_DEBUG": "0",
    "GONGKAI_SECRET_KEY": "k" * 20 + "9f8e7d6c5b4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c",
    "GONGKAI_ALLOWED_HOSTS": "gongkai.example.cn",
}


def run_gongkai(*args, env):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into a production check.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("extra", [{}])
def test_check_deploy_reports_no_issues_in_production(extra, tmp_path):
    result = run_gongkai("check", "--deploy", env={**PROD, "GONGKAI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_secret_key(tmp_path):
    env = {k: v for k, v in PROD.items() if k != "GONGKAI_SECRET_KEY"}
    result = run_gongkai(
        "check", env={**env, "GONGKAI_SECRET_KEY": "", "GONGKAI_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode != 0 and "GONGKAI_SECRET_KEY" in result.stderr


def test_production_refuses_to_load_the_demo(tmp_path):
    result = run_gongkai("demo", env={**PROD, "GONGKAI_VAR_DIR": str(tmp_path)})
    assert result.returncode == 2 and "不能载入演示数据" in result.stderr
