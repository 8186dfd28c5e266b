"""Settings of the portal bench's app server: the production settings plus one extra URL, a minimal
Django page (`/bench/minimal/`) that goes through the same middleware without templates or
queries — the yardstick the portal pages' throughput is compared with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal_urls"
