"""Where a store lives: an SQLite file, ``:memory:``, or a PostgreSQL URL; shown without secrets.

``shown`` is what messages print: a URL's password is never in it (credentials
come from the URL or the ``PG*`` environment variables, and stay there).
"""

from __future__ import annotations

import urllib.parse

from stepgate.errors import InvalidValue

SCHEMES = ("postgresql://", "postgres://")
"""What a store location starts with when it is a PostgreSQL database."""


def is_url(location: str) -> bool:
    """True when ``location`` names a PostgreSQL database rather than a file."""
    return location.startswith(SCHEMES)


def checked_url(url: str) -> str:
    """``url`` if it reads as a PostgreSQL URL (host, port, path); ``InvalidValue`` if not.

    The error never shows the URL itself, which may hold a password.
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - reading it checks it
    except ValueError as error:
        raise InvalidValue(
            nn="PostgreSQL-URL-en kan ikkje lesast: skriv han som "
            "postgresql://brukar@vert:port/database",
            en="the PostgreSQL URL cannot be read: write it as postgresql://user@host:port/database",
            detail=str(error),
        ) from None
    return url


def shown(location: str) -> str:
    """``location`` as messages print it: a URL without its password, a path as it is."""
    if not is_url(location):
        return location
    parts = urllib.parse.urlsplit(checked_url(location))
    host = parts.hostname or ""
    query = urllib.parse.parse_qs(parts.query)
    if not host and "host" in query:
        host = f"[{query['host'][0]}]"
    port = f":{parts.port}" if parts.port else ""
    user = f"{urllib.parse.unquote(parts.username)}@" if parts.username else ""
    schema = ""
    for option in query.get("options", []):
        if "search_path=" in option:
            schema = f" (schema {option.split('search_path=', 1)[1]})"
    return f"{parts.scheme}://{user}{host}{port}{parts.path}{schema}"
