"""The Radicale the sync tests run against is a real CalDAV server, and what it does that the sync must handle:
conditional writes by ETag (412 when stale), one UID per collection, refused logins, X-SCO-* properties kept
while the text is rewritten, a sync-token, and a server that stops when its test ends, however it ends.
"""

from __future__ import annotations

import socket
import urllib.error
import urllib.request
from pathlib import Path

import caldav
import icalendar
import pytest
from caldav.lib.error import AuthorizationError
from caldav.response import DAVResponse
from radicale_server import DavCalendar, Radicale, radicale_available, start_radicale

ICS = "text/calendar; charset=utf-8"
CREATE = {"Content-Type": ICS, "If-None-Match": "*"}

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//sco-cal//test//EN\r\n"
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Moscow\r\nBEGIN:STANDARD\r\nDTSTART:20110327T020000\r\n"
    "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nTZNAME:MSK\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20260101T000000Z\r\n"
    "DTSTART;TZID=Europe/Moscow:20260615T100000\r\nDTEND;TZID=Europe/Moscow:20260615T120000\r\n"
    "SUMMARY:{summary}\r\nX-SCO-ID:council-june\r\nX-SCO-PRECISION:minute\r\nX-SCO-KIND:meeting\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Council\r\nTRIGGER:-P1D\r\nEND:VALARM\r\n"
    "END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def event(summary: str = "Council", uid: str = "council-june@test.example") -> str:
    return EVENT.format(uid=uid, summary=summary)


def put(calendar: DavCalendar, name: str, body: str, **headers: str) -> DAVResponse:
    with calendar.client() as client:
        return client.put(calendar.url + name, body, {"Content-Type": ICS, **headers})


def get(calendar: DavCalendar, name: str) -> tuple[int, str | None, bytes]:
    with calendar.client() as client:
        response = client.request(calendar.url + name)
    return response.status, response.headers.get("ETag"), response._raw


def create(calendar: DavCalendar, name: str = "council.ics", body: str | None = None) -> str:
    """PUT a new resource; the ETag the server answered with."""
    response = put(calendar, name, body or event(), **{"If-None-Match": "*"})
    assert response.status == 201
    etag = response.headers.get("ETag")
    assert etag
    return str(etag)


def test_a_calendar_is_empty_and_its_own(dav_calendar: DavCalendar) -> None:
    with dav_calendar.client() as client:
        calendar = caldav.Calendar(client=client, url=dav_calendar.url)
        assert "VEVENT" in calendar.get_supported_components()
        assert calendar.events() == []
    assert dav_calendar.url.startswith(dav_calendar.server.home_url)


def test_a_create_is_read_back_with_its_etag(dav_calendar: DavCalendar) -> None:
    etag = create(dav_calendar)
    status, read_etag, body = get(dav_calendar, "council.ics")
    assert (status, read_etag) == (200, etag)
    assert icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"] == "Council"


def test_a_second_create_of_the_same_href_is_refused(dav_calendar: DavCalendar) -> None:
    create(dav_calendar)
    assert put(dav_calendar, "council.ics", event("Other"), **{"If-None-Match": "*"}).status == 412


def test_an_update_with_a_stale_etag_is_refused_and_changes_nothing(dav_calendar: DavCalendar) -> None:
    first = create(dav_calendar)
    update = put(dav_calendar, "council.ics", event("Council moved to Geneva"), **{"If-Match": first})
    assert update.status == 204
    second = update.headers["ETag"]
    assert second != first
    assert put(dav_calendar, "council.ics", event("Lost edit"), **{"If-Match": first}).status == 412
    status, etag, body = get(dav_calendar, "council.ics")
    assert (status, etag) == (200, second)
    assert b"Council moved to Geneva" in body


def test_a_delete_with_a_stale_etag_is_refused(dav_calendar: DavCalendar) -> None:
    first = create(dav_calendar)
    second = put(dav_calendar, "council.ics", event("Council moved to Geneva"), **{"If-Match": first}).headers["ETag"]
    with dav_calendar.client() as client:
        assert client.delete(dav_calendar.url + "council.ics", {"If-Match": first}).status == 412
        assert client.delete(dav_calendar.url + "council.ics", {"If-Match": second}).status in {200, 204}
    assert get(dav_calendar, "council.ics")[0] == 404


def test_one_uid_under_two_hrefs_is_refused(dav_calendar: DavCalendar) -> None:
    """Radicale keeps a UID unique per collection (RFC 4791 no-uid-conflict): adopting by UID is safe here."""
    create(dav_calendar)
    response = put(dav_calendar, "copy.ics", event(), **{"If-None-Match": "*"})
    assert response.status == 409
    assert b"no-uid-conflict" in response._raw


def test_a_wrong_password_is_refused_without_showing_it(dav_calendar: DavCalendar) -> None:
    wrong = "not-the-" + dav_calendar.password
    with dav_calendar.client(wrong) as client, pytest.raises(AuthorizationError) as refused:
        client.put(dav_calendar.url + "council.ics", event(), CREATE)
    assert refused.value.status == 401
    assert wrong not in f"{refused.value!s} {refused.value!r}"
    assert get(dav_calendar, "council.ics")[0] == 404


def test_a_request_without_credentials_gets_401(radicale_server: Radicale) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(radicale_server.home_url, timeout=5)
    assert refused.value.code == 401


def test_x_sco_properties_alarms_and_zones_are_kept_while_the_text_is_rewritten(dav_calendar: DavCalendar) -> None:
    """The sync compares what the server holds by meaning, never by bytes: Radicale rewrites the text."""
    sent = event()
    create(dav_calendar, body=sent)
    body = get(dav_calendar, "council.ics")[2]
    assert body != sent.encode()
    back, original = icalendar.Calendar.from_ical(body), icalendar.Calendar.from_ical(sent)
    assert [zone["TZID"] for zone in back.walk("VTIMEZONE")] == ["Europe/Moscow"]
    (ours,), (theirs,) = original.walk("VEVENT"), back.walk("VEVENT")
    assert {name: theirs[name] for name in theirs if name.startswith("X-SCO-")} == {
        "X-SCO-ID": "council-june",
        "X-SCO-PRECISION": "minute",
        "X-SCO-KIND": "meeting",
    }
    assert theirs.decoded("DTSTART") == ours.decoded("DTSTART")
    assert [alarm["TRIGGER"].to_ical() for alarm in theirs.walk("VALARM")] == [b"-P1D"]


def test_an_unescaped_comma_in_a_text_value_loses_the_rest_of_the_value(dav_calendar: DavCalendar) -> None:
    """Radicale reads TEXT by RFC 5545: what the sync sends must be escaped (icalendar does), else it is cut."""
    create(dav_calendar, "escaped.ics", event("Council\\, moved", uid="escaped@test.example"))
    create(dav_calendar, "raw.ics", event("Council, moved", uid="raw@test.example"))
    summaries = [
        icalendar.Calendar.from_ical(get(dav_calendar, name)[2]).walk("VEVENT")[0]["SUMMARY"]
        for name in ("escaped.ics", "raw.ics")
    ]
    assert summaries == ["Council, moved", "Council"]


def test_the_collection_has_a_sync_token_that_moves_with_a_change(dav_calendar: DavCalendar) -> None:
    def token() -> str:
        with dav_calendar.client() as client:
            calendar = caldav.Calendar(client=client, url=dav_calendar.url)
            return str(calendar.get_properties([caldav.elements.dav.SyncToken()])["{DAV:}sync-token"])

    before = token()
    create(dav_calendar)
    assert token() != before


def test_the_server_stops_when_its_block_fails(tmp_path: Path) -> None:
    started: list[Radicale] = []

    def failing_test() -> None:
        with start_radicale(tmp_path / "dav") as server:
            started.append(server)
            raise RuntimeError("the test failed")

    with pytest.raises(RuntimeError, match="the test failed"):
        failing_test()
    (server,) = started
    port = int(server.base_url.rsplit(":", 1)[1].strip("/"))
    assert server.process.returncode is not None
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def test_a_missing_radicale_skips_here_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Radicale is not installed"):
        radicale_available("radicale_not_installed")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Radicale is not installed"):
        radicale_available("radicale_not_installed")
