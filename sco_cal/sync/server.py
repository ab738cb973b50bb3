"""The CalDAV collection one target syncs with: what it holds (by ETag), its objects' bytes, and writes made on
condition of an ETag, so that nothing another client changed meanwhile is overwritten.

The caldav library carries the HTTP: the session, authentication (Basic sent from the first request, so a
server's delay on a refused login is not paid each time), retries of a rate-limited answer. The requests and
their XML are ours, because a sync needs what its high-level objects hide: ``If-Match`` and ``If-None-Match``
on every write, the ETag of each answer, and both ways of listing, an RFC 6578 sync-collection report where the
server has one and a PROPFIND of every ETag where it has not.

Hrefs are kept as names relative to the collection (``sco-ewg-07.ics``); an object elsewhere (a sub-collection)
is not the collection's and is left out. No password ever appears in an error: the caldav client holds it and
its messages name only the URL.

Exports ``Collection``, ``Changes``, ``Members``, ``Fetched``, ``Written``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Self
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from sco_cal.errors import LoginRefused, ServerRefused, ServerUnreachable

if TYPE_CHECKING:
    from types import TracebackType

    from caldav.davclient import DAVClient

__all__ = ["Changes", "Collection", "Fetched", "Members", "Written"]

_DAV: Final = "{DAV:}"
_CALDAV: Final = "{urn:ietf:params:xml:ns:caldav}"
_XML_HEAD: Final = '<?xml version="1.0" encoding="utf-8"?>\n'
_ICS: Final = "text/calendar; charset=utf-8"
_MULTIGET_BATCH: Final = 200  # hrefs per calendar-multiget: a big first pull in a few requests, each of a sane size

_LIST_ETAGS: Final = (
    _XML_HEAD + '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>'
)
_IS_CALENDAR: Final = (
    _XML_HEAD + '<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:sync-token/></d:prop></d:propfind>'
)
_ONE_ETAG: Final = _XML_HEAD + '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'


@dataclass
class Members:
    """Every object of the collection, by name, with its ETag (``None``: the server gave none); the collection's
    sync-token with it when the listing came from a sync-collection report."""

    etags: dict[str, str | None]
    token: str | None = None


@dataclass
class Changes:
    """What changed since a sync-token: objects made or changed (name -> ETag), objects deleted, the new token."""

    changed: dict[str, str | None]
    deleted: set[str]
    token: str | None


@dataclass(frozen=True)
class Fetched:
    name: str
    etag: str | None
    data: bytes


@dataclass(frozen=True)
class Written:
    """The answer to one write: ``done``, or ``stale`` (412: the object changed or appeared meanwhile), or
    ``refused`` with the server's reason (a 4xx other than 412: this object only, the rest go on)."""

    outcome: str
    etag: str | None = None
    reason: str = ""


@dataclass
class Collection:
    """A calendar collection at ``url``, logged in as ``username``; use it as a context manager."""

    url: str
    username: str
    password: str = field(repr=False)
    timeout: int = 30
    _client: DAVClient | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.url.endswith("/"):
            self.url += "/"
        self._path = unquote(urlsplit(self.url).path)

    def __enter__(self) -> Self:
        from caldav.davclient import DAVClient

        self._client = DAVClient(
            url=self.url,
            username=self.username,
            password=self.password,
            auth_type="basic",
            timeout=self.timeout,
            enable_rfc6764=False,  # the URL is the collection's: no DNS lookups for service records
            rate_limit_handle=False,
        )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._client is not None:
            with contextlib.suppress(Exception):  # closing a session that failed must not hide why it failed
                self._client.close()
            self._client = None

    # -- listing

    def check(self) -> str | None:
        """That the URL is a calendar collection we may read; its sync-token (``None``: it has none).

        Raises:
            ServerRefused: The URL is not a calendar collection.
        """
        response = self._request(self.url, "PROPFIND", _IS_CALENDAR, {"Depth": "0"})
        if response.status == 404:
            raise ServerRefused(f"{self.url}: no calendar at this address (HTTP 404); {self._calendars_hint()}")
        if response.status != 207:
            raise self._refused(response, f"{self.url}: not a CalDAV collection")
        own = next(iter(_responses(response.body).values()), None)
        if own is None or own.get(f"{_DAV}resourcetype") is None or f"{_CALDAV}calendar" not in own["types"]:
            raise ServerRefused(f"{self.url}: not a calendar collection; {self._calendars_hint()}")
        return own.get(f"{_DAV}sync-token")

    def _calendars_hint(self) -> str:
        """The calendars of this login, found as clients find them (the principal's calendar home), so that a
        user who gave the server's address learns the one to give."""
        assert self._client is not None
        try:
            principal = self._client.principal()  # type: ignore[no-untyped-call]
            found = [str(calendar.url) for calendar in principal.calendars()]
        except Exception:  # noqa: BLE001 - discovery is a courtesy here: any failure leaves the plain advice
            found = []
        if not found:
            return "give the URL of one calendar (from the server's web page or a client's settings)"
        return "give the URL of one of this account's calendars: " + ", ".join(found)

    def changes(self, token: str) -> Changes | None:
        """What changed since ``token`` (an empty token: everything, as changes), or ``None`` when the server
        will not say (no sync-collection report, a token it no longer knows, a truncated answer)."""
        body = (
            f'{_XML_HEAD}<d:sync-collection xmlns:d="DAV:"><d:sync-token>{escape(token)}</d:sync-token>'
            "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
        )
        response = self._request(self.url, "REPORT", body, {"Depth": "1"}, refusal_is_answer=True)
        if response.status != 207:
            return None
        try:
            root = ElementTree.fromstring(response.body)
        except ElementTree.ParseError:
            return None
        changes = Changes({}, set(), root.findtext(f"{_DAV}sync-token"))
        for href, status, props in _each_response(root):
            name = self._name(href)
            if status == 507:  # RFC 6578 3.6: truncated; a full listing is the simple, always right answer
                return None
            if name is None:
                continue
            if status == 404:
                changes.deleted.add(name)
            elif props.get(f"{_DAV}getetag") is not None or status == 200:
                changes.changed[name] = props.get(f"{_DAV}getetag")
        return changes

    def members(self) -> Members:
        """Every object of the collection with its ETag (a PROPFIND of depth 1)."""
        response = self._request(self.url, "PROPFIND", _LIST_ETAGS, {"Depth": "1"})
        if response.status != 207:
            raise self._refused(response, f"{self.url}: cannot list the collection")
        etags: dict[str, str | None] = {}
        for href, props in _responses(response.body).items():
            name = self._name(href)
            if name is not None and f"{_DAV}collection" not in props["types"]:
                etags[name] = props.get(f"{_DAV}getetag")
        return Members(etags)

    def fetch(self, names: Iterable[str]) -> Iterator[Fetched]:
        """The objects ``names`` with their ETags; one deleted meanwhile is left out. A calendar-multiget report
        per batch, else (a server that refuses the report) one GET each."""
        wanted = sorted(set(names))
        for start in range(0, len(wanted), _MULTIGET_BATCH):
            batch = wanted[start : start + _MULTIGET_BATCH]
            got = self._multiget(batch)
            if got is None:
                got = [item for name in batch if (item := self._get(name)) is not None]
            yield from got

    def etag_of(self, name: str) -> str | None:
        """The ETag of one object (a PROPFIND of depth 0): for a server that answered a write without one."""
        response = self._request(self._url(name), "PROPFIND", _ONE_ETAG, {"Depth": "0"})
        if response.status != 207:
            return None
        found = next(iter(_responses(response.body).values()), None)
        return None if found is None else found.get(f"{_DAV}getetag")

    # -- writes

    def create(self, name: str, data: bytes) -> Written:
        """PUT a new object; ``stale`` when one of that name exists already."""
        return self._put(name, data, {"If-None-Match": "*"})

    def replace(self, name: str, data: bytes, etag: str | None) -> Written:
        """PUT over the object whose ETag is ``etag``; ``stale`` when it changed meanwhile."""
        return self._put(name, data, {"If-Match": etag} if etag else {})

    def delete(self, name: str, etag: str | None) -> Written:
        """DELETE the object whose ETag is ``etag``; one already gone is done."""
        response = self._request(
            self._url(name), "DELETE", "", {"If-Match": etag} if etag else {}, refusal_is_answer=True
        )
        if response.status in (200, 202, 204, 404):
            return Written("done")
        return self._outcome(response)

    def _put(self, name: str, data: bytes, condition: dict[str, str]) -> Written:
        headers = {"Content-Type": _ICS, **condition}
        response = self._request(self._url(name), "PUT", data.decode("utf-8"), headers, refusal_is_answer=True)
        if response.status in (200, 201, 204):
            etag = _header(response, "ETag")
            return Written("done", etag if etag else self.etag_of(name))
        return self._outcome(response)

    def _outcome(self, response: _Answer) -> Written:
        if response.status == 412:
            return Written("stale")
        reason = f"HTTP {response.status} {response.reason or ''}".strip()
        if response.status == 409 and b"no-uid-conflict" in response.body:
            reason += ": the collection holds this UID under another name"
        return Written("refused", reason=reason)

    # -- the wire

    def _get(self, name: str) -> Fetched | None:
        response = self._request(self._url(name), "GET", "", {"Accept": "text/calendar"}, refusal_is_answer=True)
        if response.status == 404:
            return None
        if response.status != 200:
            raise self._refused(response, f"{self._url(name)}: cannot be read")
        return Fetched(name, _header(response, "ETag"), response.body)

    def _multiget(self, names: list[str]) -> list[Fetched] | None:
        hrefs = "".join(f"<d:href>{escape(quote(self._path + name))}</d:href>" for name in names)
        body = (
            f'{_XML_HEAD}<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
            f"<d:prop><d:getetag/><c:calendar-data/></d:prop>{hrefs}</c:calendar-multiget>"
        )
        response = self._request(self.url, "REPORT", body, {"Depth": "1"}, refusal_is_answer=True)
        if response.status != 207:
            return None
        found = []
        for href, props in _responses(response.body).items():
            name, data = self._name(href), props.get(f"{_CALDAV}calendar-data")
            if name is not None and data is not None:
                found.append(Fetched(name, props.get(f"{_DAV}getetag"), data.encode("utf-8")))
        return found

    def _name(self, href: str) -> str | None:
        path = unquote(urlsplit(href).path)
        if not path.startswith(self._path):
            return None
        name = path[len(self._path) :]
        return name if name and "/" not in name.rstrip("/") and not name.endswith("/") else None

    def _url(self, name: str) -> str:
        return self.url + quote(name)

    def _request(
        self, url: str, method: str, body: str, headers: dict[str, str], *, refusal_is_answer: bool = False
    ) -> _Answer:
        """One request; a network failure, a 5xx or a refused login as our errors. ``refusal_is_answer``: a 403
        is the server's answer to this request (a stale sync-token, a forbidden write), not a refused login."""
        from caldav.lib import error as dav_error

        assert self._client is not None, "use the Collection as a context manager"
        try:
            response = self._client.request(url, method, body, headers)
        except dav_error.AuthorizationError as refused:
            if refused.status == 403 and refusal_is_answer:
                return _Answer(403, refused.reason, {}, _bytes(refused.body))
            if refused.status == 403:
                raise LoginRefused(
                    f"{self.url}: the server refused {self.username!r} access (HTTP 403): the login may be right "
                    "but not allowed this calendar"
                ) from None
            raise LoginRefused(
                f"{self.url}: the server refused the login of {self.username!r} (HTTP {refused.status}); check the "
                "user name and the password (an app password for Nextcloud, Fastmail and iCloud)"
            ) from None
        except dav_error.RateLimitError:
            raise ServerUnreachable(f"{self.url}: the server is busy (HTTP 429 or 503); try again later") from None
        except Exception as failure:  # niquests' own errors, and the socket's: the server could not be reached
            if isinstance(failure, dav_error.DAVError) or not _is_network(failure):
                raise
            raise ServerUnreachable(f"{self.url}: {_network_reason(failure)}") from None
        answer = _Answer(response.status, response.reason or "", dict(response.headers or {}), _bytes(response._raw))
        if answer.status >= 500 and answer.status != 501:  # 501: this server has no such method, an answer
            raise ServerUnreachable(f"{self.url}: the server failed (HTTP {answer.status} {answer.reason})".rstrip())
        return answer

    def _refused(self, response: _Answer, what: str) -> ServerRefused:
        return ServerRefused(f"{what} (HTTP {response.status} {response.reason or ''})".rstrip())


@dataclass(frozen=True)
class _Answer:
    """What the server answered, read once: caldav's response keeps the bytes (with line ends made LF, which
    iCalendar and XML readers take) only privately, and raises a 403 that is an answer here (a stale token)."""

    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


def _header(answer: _Answer, name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in answer.headers.items() if key.lower() == wanted and value), None)


def _bytes(raw: object) -> bytes:
    if isinstance(raw, str):
        return raw.encode("utf-8")
    return bytes(raw) if isinstance(raw, bytes | bytearray) else b""


def _is_network(failure: BaseException) -> bool:
    import niquests

    return isinstance(failure, niquests.exceptions.RequestException | OSError | TimeoutError)


def _network_reason(failure: BaseException) -> str:
    import niquests

    if isinstance(failure, niquests.exceptions.Timeout | TimeoutError):
        return "the server did not answer in time"
    if isinstance(failure, niquests.exceptions.SSLError):
        return "the TLS connection failed (the server's certificate?)"
    if isinstance(failure, niquests.exceptions.ConnectionError):
        return "cannot connect (the server is down, or the host name or port is wrong)"
    return f"the connection failed ({type(failure).__name__})"


def _each_response(root: ElementTree.Element) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """Each ``response`` of a multistatus: its href, its status (the response's own, else the first propstat's
    that is 200) and its properties found (200), as text (calendar-data, getetag, sync-token) or, for the
    resource type, as the set of its children's tags under ``types``."""
    for item in root.iterfind(f"{_DAV}response"):
        href = item.findtext(f"{_DAV}href") or ""
        status = _status(item.findtext(f"{_DAV}status"))
        props: dict[str, Any] = {"types": set()}
        for propstat in item.iterfind(f"{_DAV}propstat"):
            if _status(propstat.findtext(f"{_DAV}status")) != 200:
                continue
            status = status or 200
            for prop in propstat.iterfind(f"{_DAV}prop/*"):
                if prop.tag == f"{_DAV}resourcetype":
                    props["types"] = {child.tag for child in prop}
                    props[prop.tag] = ""
                else:
                    props[prop.tag] = prop.text or ""
        yield href, status, props


def _responses(body: bytes) -> dict[str, dict[str, Any]]:
    """The properties of each object of a multistatus answer, by href.

    Raises:
        ServerRefused: The answer is not XML.
    """
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise ServerRefused(f"the server's answer is not XML ({error})") from None
    return {href: props for href, _status_code, props in _each_response(root)}


def _status(line: str | None) -> int:
    """``HTTP/1.1 404 Not Found`` -> 404; 0 when absent or unreadable."""
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
