"""gunicorn settings for one Gongkai app server (see docs/deploy.md)."""

import multiprocessing
import os

bind = os.environ.get("GONGKAI_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GONGKAI_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GONGKAI_THREADS", "2"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
# Recycle a worker now and then (a leak cannot grow for ever), but rarely: a new worker imports
# the code, renders the portal's layout once and starts with an empty per-process cache. At a
# thousand requests a second per worker, 2,000 meant a restart every two seconds.
max_requests = 20000
max_requests_jitter = 2000
forwarded_allow_ips = os.environ.get("GONGKAI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
# No query strings in the access log: tracking codes and phone numbers never reach the logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
