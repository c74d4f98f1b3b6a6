"""Fail loudly, before the integration suite, when PostgreSQL or Redis does not answer."""

import os
import sys
from typing import TypedDict

import psycopg
import redis


class ConnectParams(TypedDict):
    """The libpq parameters given to psycopg.connect (typed, so each reaches its keyword)."""

    host: str
    port: int
    user: str
    dbname: str


PG: ConnectParams = {
    "host": os.environ.get("PGHOST", "127.0.0.1"),
    "port": int(os.environ.get("PGPORT", "5432")),
    "user": os.environ.get("PGUSER", "postgres"),
    "dbname": "postgres",
}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")

problems = []
try:
    with psycopg.connect(connect_timeout=3, **PG) as connection:
        row = connection.execute("SHOW server_version").fetchone()
        assert row is not None  # SHOW always returns one row
        version = row[0]
        print(f"PostgreSQL {version} at {PG['host']}:{PG['port']}: ok")
except psycopg.Error as error:
    problems.append(f"PostgreSQL at {PG['host']}:{PG['port']} does not answer: {error}")
try:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    info = client.info("server")
    print(f"Redis {info['redis_version']} at {REDIS_URL}: ok")
except redis.RedisError as error:
    problems.append(f"Redis at {REDIS_URL} does not answer: {error}")

if problems:
    print("\n".join(["The integration suite needs real services:", *problems]), file=sys.stderr)
    print("Start them (see docs/DEVELOPMENT.md) and run `make test` again.", file=sys.stderr)
    sys.exit(1)
