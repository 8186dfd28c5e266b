#!/usr/bin/env bash
# Idempotent set-up of a fresh machine: Debian packages, the virtualenv, the front-end packages.
# Called by `make setup` (and so by `make run` and `make test`). Does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  fonts-noto-cjk          # Chinese fonts for PDF output (WeasyPrint) and screenshots
  poppler-utils           # pdftoppm/pdftotext: looking at and testing generated PDFs
  chromium                # browser tests (Playwright drives Debian's Chromium)
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint's text layout
  nodejs npm              # front-end packages (Bootstrap, ECharts, htmx) from the npm registry
  postgresql-client       # pg_isready for the test run
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node may come from elsewhere (nodesource, nvm): then Debian's nodejs/npm are not needed.
if command -v npm >/dev/null 2>&1; then
  filtered=(); for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi
if ((${#missing[@]})); then
  echo "安装系统软件包：${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.gongkai-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ] || [ ! -x .venv/bin/gongkai ]; then
  echo "安装 Python 依赖（日志：var/pip-install.log）…"
  mkdir -p var
  if ! { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
         .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"; } \
       > var/pip-install.log 2>&1; then
    tail -n 40 var/pip-install.log >&2
    echo "错误：Python 依赖安装失败，详见 var/pip-install.log" >&2
    exit 1
  fi
  touch "$stamp"
fi

nstamp=node_modules/.gongkai-installed
if [ ! -f "$nstamp" ] || [ package-lock.json -nt "$nstamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$nstamp"
fi
mkdir -p var
