"""Fail loudly when the test PostgreSQL cannot be reached: `make test` never skips it silently."""

import sys

import psycopg

url = sys.argv[1]
try:
    with psycopg.connect(url, connect_timeout=5) as conn:
        version = conn.execute("SHOW server_version").fetchone()
except Exception as exc:
    print(f"错误：无法连接测试用 PostgreSQL（{url}）：{exc}", file=sys.stderr)
    print(
        "请启动 PostgreSQL（例如 pg_ctlcluster --skip-systemctl-redirect 15 main start），"
        "或设置 GONGKAI_TEST_POSTGRES_URL。",
        file=sys.stderr,
    )
    sys.exit(1)
print(f"PostgreSQL {version[0] if version else '?'} 可用：{url}")
