"""Where a remote store lives and how to talk to it: ``--store URL`` or ``--store-config FILE``
(TOML or JSON, secrets possibly from the environment). The store itself is ``kg.store.remote``."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from kg.errors import StoreError

# ---------------------------------------------------------------- configuration


@dataclass(frozen=True)
class RemoteConfig:
    """Where a remote store lives and how to talk to it (``--store URL`` or ``--store-config FILE``)."""

    query: str
    update: str
    graph_store: str | None = None
    # GET with Accept: application/n-quads answers the whole dataset (Oxigraph /store, Fuseki /ds)
    dataset: str | None = None
    # "param": Oxigraph's union-default-graph parameter; "server": the server does it; else an IRI to
    # send as default-graph-uri (Jena: urn:x-arq:UnionGraph)
    union_default_graph: str = "param"
    base: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    timeout: float = 120.0
    connect_timeout: float = 10.0
    retries: int = 5
    backoff: float = 0.2
    max_backoff: float = 10.0
    headers: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return _without_userinfo(self.query)

    @classmethod
    def from_url(cls, url: str, **overrides: Any) -> RemoteConfig:
        """A bare ``http://host:port`` is an Oxigraph server; ``http://host:port/ds`` a Fuseki dataset."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{url}: not an http(s) store address")
        username = parts.username
        password = parts.password
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        root = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        if parts.path.strip("/"):
            cfg = cls(
                query=f"{root}/query",
                update=f"{root}/update",
                graph_store=f"{root}/data",
                dataset=root,
                union_default_graph="server",
                username=username,
                password=password,
            )
        else:
            cfg = cls(
                query=f"{root}/query",
                update=f"{root}/update",
                graph_store=f"{root}/store",
                dataset=f"{root}/store",
                union_default_graph="param",
                username=username,
                password=password,
            )
        return replace(cfg, **overrides) if overrides else cfg

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> RemoteConfig:
        """Read a TOML or JSON file; secrets may come from the environment (``password_env``, ``token_env``)."""
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
            data = json.loads(text) if p.suffix.lower() == ".json" else tomllib.loads(text)
        except (OSError, ValueError) as exc:
            raise StoreError(f"{p}: unreadable store config ({exc})") from None
        return cls.from_mapping(data, source=str(p))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "store config") -> RemoteConfig:
        data = dict(data)
        auth = dict(data.pop("auth", None) or {})
        for key in ("username", "password", "token", "password_env", "token_env"):
            if key in data:
                auth.setdefault(key, data.pop(key))
        kw: dict[str, Any] = {}
        url = data.pop("url", None)
        aliases = {"query_endpoint": "query", "update_endpoint": "update", "graph_store_endpoint": "graph_store",
                   "gsp": "graph_store", "data": "graph_store"}
        for k, v in list(data.items()):
            kw[aliases.get(k, k)] = v
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(kw) - known - {"type"})
        if unknown:
            raise StoreError(f"{source}: unknown store config keys: {', '.join(unknown)}")
        kw.pop("type", None)
        if auth.get("username"):
            kw["username"] = auth["username"]
        if auth.get("password_env"):
            kw["password"] = os.environ.get(auth["password_env"])
            if kw["password"] is None:
                raise StoreError(f"{source}: the environment variable {auth['password_env']} is not set")
        elif auth.get("password") is not None:
            kw["password"] = auth["password"]
        if auth.get("token_env"):
            kw["token"] = os.environ.get(auth["token_env"])
            if kw["token"] is None:
                raise StoreError(f"{source}: the environment variable {auth['token_env']} is not set")
        elif auth.get("token"):
            kw["token"] = auth["token"]
        if url:
            return cls.from_url(url, **kw)
        if not kw.get("query") or not kw.get("update"):
            raise StoreError(f"{source}: give `url`, or both `query` and `update` endpoints")
        return cls(**kw)


def is_remote(location: object) -> bool:
    return isinstance(location, RemoteConfig) or (
        isinstance(location, str) and location.startswith(("http://", "https://"))
    )


def remote_config(location: str | RemoteConfig) -> RemoteConfig:
    return location if isinstance(location, RemoteConfig) else RemoteConfig.from_url(location)


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if parts.username is None:
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))

