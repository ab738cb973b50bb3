"""``sco-cal sync`` end to end: the installed command against a real Radicale, with another client (plain HTTP)
changing the same collection, and a proxy (tests/dav_proxy.py) that counts each request and plays the servers
and networks that misbehave.
"""

from __future__ import annotations

import base64
import datetime
import http.client
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest
from conftest import Result, digest
from dav_proxy import Proxy, dav_proxy
from radicale_server import DavCalendar

DATED = 7  # the example's dated events; its eighth has no date yet


@dataclass
class Other:
    """Another client of the same collection: plain HTTP with Basic credentials, as a phone or Thunderbird."""

    calendar: DavCalendar

    def request(self, method: str, name: str = "", body: bytes = b"", **headers: str) -> http.client.HTTPResponse:
        parts = urlsplit(self.calendar.url + name)
        login = base64.b64encode(f"{self.calendar.user}:{self.calendar.password}".encode()).decode()
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
        connection.request(method, parts.path, body or None, {"Authorization": f"Basic {login}", **headers})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response

    def names(self) -> list[str]:
        body = b'<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
        answer = self.request("PROPFIND", body=body, Depth="1").body  # type: ignore[attr-defined]
        path = urlsplit(self.calendar.url).path
        hrefs = re.findall(rb"<[^>]*href>([^<]+)</", answer)
        return sorted(h.decode().removeprefix(path) for h in hrefs if h.decode() != path)

    def get(self, name: str) -> icalendar.Event:
        response = self.request("GET", name)
        assert response.status == 200, name
        event = icalendar.Calendar.from_ical(response.body).walk("VEVENT")[0]  # type: ignore[attr-defined]
        assert isinstance(event, icalendar.Event)
        return event

    def change(self, name: str, edit: Callable[[icalendar.Event], None]) -> None:
        calendar = icalendar.Calendar.from_ical(self.request("GET", name).body)  # type: ignore[attr-defined]
        edit(calendar.walk("VEVENT")[0])
        response = self.request("PUT", name, calendar.to_ical(), **{"Content-Type": "text/calendar"})
        assert response.status in (201, 204), response.status

    def summary(self, name: str) -> str:
        return str(self.get(name)["SUMMARY"])


@dataclass
class Synced:
    """A registry and a target: the config written, the command run with the password in its environment."""

    run: Callable[..., Result]
    registry: Path
    calendar: DavCalendar
    config: Path

    def configure(self, url: str | None = None, **extra: object) -> None:
        lines = ["[sync.team]", f'url = "{url or self.calendar.url}"', f'username = "{self.calendar.user}"']
        lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def sync(self, *args: str, password: str | None = None) -> Result:
        secret = self.calendar.password if password is None else password
        return self.run("--registry", self.registry, "sync", *args, env={"SCO_CAL_DAV_PASSWORD": secret})

    def cli(self, *args: str) -> Result:
        return self.run("--registry", self.registry, *args)

    def event(self, event_id: str) -> dict[str, object]:
        shown = self.cli("show", event_id, "--format", "json")
        assert shown.code == 0, shown.stderr
        found = json.loads(shown.stdout)["event"]
        assert isinstance(found, dict)
        return found

    def state_files(self) -> list[Path]:
        return sorted((self.config.parent / ".local" / "state" / "sco-cal").glob("sync-*.json"))


@pytest.fixture
def synced(sco_cal: Callable[..., Result], example: Path, dav_calendar: DavCalendar) -> Synced:
    import os

    target = Synced(sco_cal, example, dav_calendar, Path(os.environ["SCO_CAL_CONFIG"]))
    target.configure()
    return target


@pytest.fixture
def other(dav_calendar: DavCalendar) -> Other:
    return Other(dav_calendar)


@pytest.fixture
def proxied(synced: Synced) -> Iterator[Proxy]:
    """The target reached through a proxy that records every request; tests set its ``faults``."""
    with dav_proxy(synced.calendar.base_url) as proxy:
        synced.configure(proxy.url_of(synced.calendar.url))
        yield proxy


def _writes(proxy: Proxy) -> list[tuple[str, str, str | None, str | None]]:
    return [(s.method, s.path.rsplit("/", 1)[-1], s.if_match, s.if_none_match) for s in proxy.seen
            if s.method in ("PUT", "DELETE")]  # fmt: skip


# --- push


def test_a_first_sync_creates_one_object_per_dated_event_and_a_second_sends_nothing(
    synced: Synced, other: Other, proxied: Proxy
) -> None:
    first = synced.sync()
    assert first.code == 0, first.stderr
    assert first.stdout.count(" -> server: new here") == DATED
    assert "1 event without a date not sent" in first.stdout
    assert other.names() == sorted(
        f"{name}.ics"
        for name in (
            "collective-security-treaty-1992", "peace-mission-2020", "russia-sco-presidency-2020",
            "sco-cis-csto-defence-chiefs-2020-06", "sco-ewg-07", "sco-founding-2001",
            "sco-joint-exercises-agreement-2007",
        )
    )  # fmt: skip
    assert all(if_none_match == "*" for _, _, _, if_none_match in _writes(proxied))
    proxied.seen.clear()
    second = synced.sync()
    assert (second.code, second.stdout, second.stderr) == (0, "", "")  # cron: silent when nothing changed
    assert _writes(proxied) == []


def test_each_object_carries_its_precision_and_only_its_own_zones(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    june = other.get("sco-cis-csto-defence-chiefs-2020-06.ics")
    assert str(june["X-SCO-PRECISION"]) == "month"
    assert str(june["STATUS"]) == "TENTATIVE"
    body = other.request("GET", "sco-ewg-07.ics").body  # type: ignore[attr-defined]
    assert b"VTIMEZONE" not in body  # all-day dates float: no zone to carry


def test_an_edit_sends_one_conditional_put(synced: Synced, other: Other, proxied: Proxy) -> None:
    assert synced.sync().code == 0
    etag = other.request("GET", "sco-ewg-07.ics").getheader("ETag")
    proxied.seen.clear()
    assert synced.cli("edit", "sco-ewg-07", "--title", "EWG, 7th meeting").code == 0
    result = synced.sync()
    assert result.code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "~ sco-ewg-07 -> server: changed here"
    assert _writes(proxied) == [("PUT", "sco-ewg-07.ics", etag, None)]
    assert other.summary("sco-ewg-07.ics") == "EWG, 7th meeting"


def test_a_removal_sends_one_conditional_delete(synced: Synced, other: Other, proxied: Proxy) -> None:
    assert synced.sync().code == 0
    etag = other.request("GET", "peace-mission-2020.ics").getheader("ETag")
    proxied.seen.clear()
    assert synced.cli("remove", "peace-mission-2020", "--yes").code == 0
    result = synced.sync()
    assert result.code == 0, result.stderr
    assert "- peace-mission-2020 -> server: deleted here" in result.stdout
    assert _writes(proxied) == [("DELETE", "peace-mission-2020.ics", etag, None)]
    assert "peace-mission-2020.ics" not in other.names()


# --- pull


def test_an_edit_a_create_and_a_delete_by_another_client_are_pulled(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0

    def moved(event: icalendar.Event) -> None:  # a phone fixes the day and drops what it does not know
        for key in [key for key in event if key.startswith("X-SCO")]:
            del event[key]
        event["DTSTART"] = icalendar.vDate(datetime.date(2020, 6, 24))
        event["DTEND"] = icalendar.vDate(datetime.date(2020, 6, 25))
        event["STATUS"] = "CONFIRMED"

    other.change("sco-cis-csto-defence-chiefs-2020-06.ics", moved)
    new = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:phone-1@example.org\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20201110\r\nSUMMARY:CSTO Collective Security Council\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert other.request("PUT", "phone-1.ics", new.encode(), **{"Content-Type": "text/calendar"}).status == 201
    assert other.request("DELETE", "peace-mission-2020.ics").status in (200, 204)
    before = digest(synced.registry)
    result = synced.sync()
    assert result.code == 0, result.stderr
    assert "~ sco-cis-csto-defence-chiefs-2020-06 <- server: status planned -> scheduled; start 2020-06 -> " in (
        result.stdout
    )  # what the pull changed here, as `import` says it
    assert (
        "+ csto-collective-security-council-2020-11-10 <- server: CSTO Collective Security Council — 10 Nov 2020"
        in (result.stdout)
    )
    assert "- peace-mission-2020 <- server: deleted on the server" in result.stdout
    assert "pulled 1 new, 1 changed, 1 deleted" in result.stdout
    june = synced.event("sco-cis-csto-defence-chiefs-2020-06")
    assert (june["when"], june["status"]) == ("24 Jun 2020", "scheduled")
    assert june["start"] == {"value": "2020-06-24", "precision": "day"}
    assert june["venue"] == {"name": "Moscow", "country": "Russia", "timezone": "Europe/Moscow"}  # not lost
    assert synced.cli("show", "peace-mission-2020").code == 4
    listed = json.loads(synced.cli("list", "--format", "json", "--search", "Collective Security Council").stdout)
    assert [event["start"]["value"] for event in listed["events"]] == ["2020-11-10"]
    assert "-> server" not in result.stdout  # the phone dropped sco-cal's properties: nothing to send back
    # deletions are a save of their own: `undo` right after the sync brings back what it deleted, and only that
    assert synced.cli("undo").code == 0
    assert synced.cli("show", "peace-mission-2020").code == 0
    assert synced.event("sco-cis-csto-defence-chiefs-2020-06")["status"] == "scheduled"
    assert synced.cli("undo").code == 0  # and the one before, the pulled changes
    assert digest(synced.registry) == before
    again = synced.run("--registry", synced.registry, "sync", "status", env={"SCO_CAL_DAV_PASSWORD": "x"})
    assert again.code == 77  # and a wrong password is refused before anything is done


def test_a_day_fixed_in_another_client_that_kept_our_properties_is_sent_back_corrected(
    synced: Synced, other: Other
) -> None:
    assert synced.sync().code == 0

    def fixed(event: icalendar.Event) -> None:  # Thunderbird: only the dates change, "(date TBC)" stays
        event["DTSTART"] = icalendar.vDate(datetime.date(2020, 6, 24))
        event["DTEND"] = icalendar.vDate(datetime.date(2020, 6, 25))

    other.change("sco-cis-csto-defence-chiefs-2020-06.ics", fixed)
    result = synced.sync()
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("~ sco-cis-csto-defence-chiefs-2020-06 <- server: start 2020-06 -> 2020-06-24")
    assert lines[1] == (
        "~ sco-cis-csto-defence-chiefs-2020-06 -> server: sent back: the server's copy still gave the old date's "
        "precision"
    )
    june = other.get("sco-cis-csto-defence-chiefs-2020-06.ics")
    assert str(june["X-SCO-PRECISION"]) == "day"
    assert "(date TBC)" not in str(june["SUMMARY"])
    assert synced.event("sco-cis-csto-defence-chiefs-2020-06")["when"] == "24 Jun 2020"
    assert synced.sync().stdout == ""  # settled: no ping-pong


def test_a_server_that_rewrites_what_it_holds_is_no_change(synced: Synced, other: Other, proxied: Proxy) -> None:
    assert synced.sync().code == 0

    def rewritten(event: icalendar.Event) -> None:  # same meaning, new bytes and ETag: a server's re-serialising
        event["DTSTAMP"] = icalendar.vDDDTypes(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))

    other.change("sco-ewg-07.ics", rewritten)
    before = digest(synced.registry)
    proxied.seen.clear()
    result = synced.sync()
    assert (result.code, result.stdout) == (0, "")
    assert digest(synced.registry) == before
    assert _writes(proxied) == []


# --- conflicts, stale ETags


def test_a_change_on_both_sides_is_a_conflict_and_nothing_is_written(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    other.change("sco-ewg-07.ics", lambda event: event.__setitem__("SUMMARY", "Seventh EWG (server)"))
    assert synced.cli("edit", "sco-ewg-07", "--title", "Seventh EWG (here)").code == 0
    before = digest(synced.registry)
    result = synced.sync()
    assert result.code == 6
    assert (
        "! sco-ewg-07: changed on both sides since the last sync; here -> server: title Seventh EWG (here) -> "
        "Seventh EWG (server) (--prefer local or --prefer remote settles it)"
    ) in result.stdout
    assert "1 conflict" in result.stdout
    assert digest(synced.registry) == before
    assert other.summary("sco-ewg-07.ics") == "Seventh EWG (server)"
    again = synced.sync()
    assert again.code == 6  # the conflict stays until a person settles it
    settled = synced.sync("--prefer", "local")
    assert settled.code == 0, settled.stdout + settled.stderr
    assert other.summary("sco-ewg-07.ics") == "Seventh EWG (here)"
    assert synced.sync().stdout == ""


def test_prefer_remote_takes_the_servers_version(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    other.change("sco-ewg-07.ics", lambda event: event.__setitem__("SUMMARY", "Seventh EWG (server)"))
    assert synced.cli("edit", "sco-ewg-07", "--title", "Seventh EWG (here)").code == 0
    assert synced.sync("--prefer", "remote").code == 0
    assert synced.event("sco-ewg-07")["title"] == "Seventh EWG (server)"


def test_a_stale_etag_met_mid_way_loses_nothing(synced: Synced, other: Other, proxied: Proxy) -> None:
    assert synced.sync().code == 0
    assert synced.cli("edit", "sco-ewg-07", "--title", "EWG 7 (here)").code == 0
    # just before our PUT reaches the server, another client changes the same object: the PUT gets 412
    proxied.faults.before[("PUT", 1)] = lambda: other.change(
        "sco-ewg-07.ics", lambda event: event.__setitem__("SUMMARY", "EWG 7 (phone)")
    )
    proxied.seen.clear()
    before = digest(synced.registry)
    result = synced.sync()
    assert result.code == 6, result.stdout + result.stderr  # the next round saw both changes: a conflict
    assert [method for method, *_ in _writes(proxied)] == ["PUT"]  # the one refused with 412, nothing forced
    assert other.summary("sco-ewg-07.ics") == "EWG 7 (phone)"
    assert digest(synced.registry) == before
    assert synced.sync("--prefer", "remote").code == 0
    assert synced.event("sco-ewg-07")["title"] == "EWG 7 (phone)"


# --- safety


def test_a_lost_state_adopts_what_the_server_holds_without_duplicates(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    for state in synced.state_files():
        state.unlink()
    before = digest(synced.registry)
    result = synced.sync()
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout == ""  # adopted by UID: nothing to send, nothing to say
    assert len(other.names()) == DATED
    assert digest(synced.registry) == before


def test_deletions_of_more_than_half_are_held_back_without_force_delete(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    for name in other.names()[:5]:
        assert other.request("DELETE", name).status in (200, 204)
    before = digest(synced.registry)
    held = synced.sync()
    assert held.code == 6
    assert held.stdout.count("more than half of the synced events vanished from the server") == 5
    assert digest(synced.registry) == before
    forced = synced.sync("--force-delete")
    assert forced.code == 0, forced.stdout + forced.stderr
    assert "pulled 0 new, 0 changed, 5 deleted" in forced.stdout


def test_a_dropped_connection_mid_push_is_finished_by_the_next_run(
    synced: Synced, other: Other, proxied: Proxy
) -> None:
    proxied.faults.fail_at[("PUT", 3)] = "drop"
    before = digest(synced.registry)
    cut = synced.sync()
    assert cut.code == 69, cut.stdout + cut.stderr
    assert cut.stderr.startswith("error: ")
    assert "Traceback" not in cut.stderr
    assert len(cut.stderr.splitlines()) == 1
    assert len(other.names()) == 2
    assert digest(synced.registry) == before
    done = synced.sync()
    assert done.code == 0, done.stdout + done.stderr
    assert done.stdout.count("-> server: new here") == DATED - 2
    assert len(other.names()) == DATED


def test_a_server_error_and_a_timeout_mid_run_leave_a_consistent_state(
    synced: Synced, other: Other, proxied: Proxy
) -> None:
    proxied.faults.fail_at[("PUT", 2)] = "503"
    assert synced.sync().code == 69
    synced.configure(proxied.url_of(synced.calendar.url), timeout=1)
    proxied.seen.clear()
    proxied.faults.fail_at = {("PUT", 2): "hang"}
    proxied.faults.hang_seconds = 3
    slow = synced.sync()
    assert slow.code == 69
    assert "did not answer in time" in slow.stderr
    proxied.faults.fail_at = {}
    assert synced.sync().code == 0
    assert len(other.names()) == DATED
    assert synced.sync().stdout == ""


def test_a_server_without_sync_collection_or_multiget_still_syncs(synced: Synced, other: Other, proxied: Proxy) -> None:
    proxied.faults.refuse.add("REPORT")
    assert synced.sync().code == 0
    other.change("sco-ewg-07.ics", lambda event: event.__setitem__("SUMMARY", "EWG 7 (phone)"))
    pulled = synced.sync()
    assert pulled.code == 0, pulled.stdout + pulled.stderr
    assert synced.event("sco-ewg-07")["title"] == "EWG 7 (phone)"
    assert proxied.count("PROPFIND") >= 2
    assert proxied.count("GET") >= 1
    assert synced.sync().stdout == ""


def test_a_write_answered_without_an_etag_is_looked_up(synced: Synced, proxied: Proxy) -> None:
    proxied.faults.strip_etag = True
    assert synced.sync().code == 0
    state = json.loads(synced.state_files()[0].read_text())
    assert all(item["etag"] for item in state["items"].values())
    proxied.seen.clear()
    assert synced.sync().stdout == ""
    assert proxied.count("GET") == 0  # known ETags: nothing fetched again


def test_one_uid_under_two_names_on_the_server_is_reported_and_the_rest_syncs(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    # Radicale refuses a second object with a UID; other servers do not: put one beside it in its storage
    server = synced.calendar.server
    folder = server.storage / "collection-root" / synced.calendar.url.removeprefix(server.base_url).strip("/")
    original = folder / "sco-ewg-07.ics"
    (original.parent / "copy-of-ewg.ics").write_bytes(original.read_bytes())
    assert synced.cli("edit", "peace-mission-2020", "--title", "Peace Mission-2020").code == 0
    result = synced.sync()
    assert result.code == 76, result.stdout + result.stderr
    assert "! sco-ewg-07: on the server under copy-of-ewg.ics, sco-ewg-07.ics" in result.stdout
    assert other.summary("peace-mission-2020.ics").startswith("Peace Mission-2020")


# --- the example round trip


def test_the_example_round_trips_through_the_server_with_its_precision(
    synced: Synced, sco_cal: Callable[..., Result], tmp_path: Path
) -> None:
    assert synced.sync().code == 0
    copy = tmp_path / "colleague.yaml"
    assert sco_cal("--registry", copy, "init", "--name", "Colleague", "--timezone", "Europe/Moscow").code == 0
    colleague = Synced(sco_cal, copy, synced.calendar, synced.config)
    pulled = colleague.sync()
    assert pulled.code == 0, pulled.stdout + pulled.stderr
    assert "pulled 7 new" in pulled.stdout

    def dated(path: Path) -> dict[str, tuple[object, ...]]:
        events = json.loads(sco_cal("--registry", path, "list", "--format", "json").stdout)["events"]
        return {
            e["title"]: (e["start"], e["end"], e["when"], e["status"], e["kind"], tuple(e["orgs"]))
            for e in events if e["start"]
        }  # fmt: skip

    assert dated(copy) == dated(synced.registry)
    assert colleague.sync().stdout == ""
    assert synced.sync().stdout == ""  # and the colleague's pull sent nothing back


# --- filters, config, errors, the password


def test_a_filtered_target_shares_only_its_events_and_keeps_what_the_server_adds(synced: Synced, other: Other) -> None:
    synced.configure(org=["CSTO"])
    assert synced.sync().code == 0
    assert other.names() == ["collective-security-treaty-1992.ics", "sco-cis-csto-defence-chiefs-2020-06.ics"]
    new = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:phone-2@example.org\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;VALUE=DATE:20201201\r\nSUMMARY:Team lunch\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    assert other.request("PUT", "lunch.ics", new.encode(), **{"Content-Type": "text/calendar"}).status == 201
    assert "pulled 1 new" in synced.sync().stdout
    assert synced.sync().stdout == ""  # the pulled event has no organisation, and is not deleted for it
    assert "lunch.ics" in other.names()


def test_status_and_dry_run_change_nothing(synced: Synced, other: Other) -> None:
    status = synced.sync("status")
    assert status.code == 0
    assert status.stdout.endswith("(dry run: nothing sent or written)\n")
    assert other.names() == []
    assert synced.state_files() == []
    assert synced.sync("push", "--dry-run").stdout.count("-> server") == DATED
    pushed = synced.sync("team", "push")
    assert "pulled" not in pushed.stdout
    assert other.names()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[sync.team]\nusername = "a"\n', '[sync.team]: url is missing: add url = "https://'),
        ('[sync.team]\nurl = "https://x/"\n', "[sync.team]: username is missing: add username ="),
        ('[sync]\nurl = "https://x/"\nusername = "a"\n', "[sync]: expected one table per target, named: [sync.team]"),
        ('[sync.team]\nurl = "ftp://x/"\nusername = "a"\n', "url: expected the calendar's http(s) address"),
        ('[sync.team]\nurl = "https://me:pw@x/"\nusername = "a"\n', "no user name or password in the URL"),
        ('[sync.team]\nurl = "https://x/"\nusername = "a"\npassword = "pw"\n', "a password is never kept"),
        ('[sync.team]\nurl = "https://x/"\nusername = "a"\nkind = ["party"]\n', "kind: 'party' is not one of"),
        ('[sync.status]\nurl = "https://x/"\nusername = "a"\n', "is a word of the sync command"),
        ('[sync.team]\nurl = "https://x/"\nusername = "a"\ncolour = "red"\n', "unknown key 'colour'"),
    ],
)
def test_a_bad_sync_table_is_one_line_naming_file_and_key(synced: Synced, config: str, message: str) -> None:
    synced.config.write_text(config, encoding="utf-8")
    result = synced.sync()
    assert result.code == 2
    assert result.stderr.startswith(f"error: {synced.config}: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unreachable_refused_and_not_a_calendar_have_their_own_exit_codes(synced: Synced) -> None:
    synced.configure("http://127.0.0.1:9/analyst/team/")
    down = synced.sync()
    assert (down.code, len(down.stderr.splitlines())) == (69, 1)
    assert "cannot connect" in down.stderr
    synced.configure()
    assert synced.sync(password="wrong").code == 77
    synced.configure(synced.calendar.server.home_url)
    home = synced.sync()
    assert home.code == 76
    assert "not a calendar collection; give the URL of one of this account's calendars: " in home.stderr
    assert synced.calendar.url in home.stderr  # found by discovery, as clients find it
    synced.config.write_text("", encoding="utf-8")
    assert "no sync target" in synced.sync().stderr


def test_the_password_appears_in_no_output_file_or_error(
    synced: Synced, other: Other, tmp_path_factory: pytest.TempPathFactory
) -> None:
    secret = synced.calendar.password
    outputs = [synced.sync("status"), synced.sync(), synced.sync(password=secret + "x")]
    other.change("sco-ewg-07.ics", lambda event: event.__setitem__("SUMMARY", "EWG 7 (phone)"))
    outputs.append(synced.sync())
    helper = tmp_path_factory.mktemp("password-manager") / "pass-helper"  # outside the folders searched below
    helper.write_text(f"#!/bin/sh\necho '{secret}'\nexit 3\n")
    helper.chmod(0o755)
    synced.configure(password_command=[str(helper)])
    failing = synced.run("--registry", synced.registry, "sync", env={"SCO_CAL_DAV_PASSWORD": ""})
    assert failing.code == 2
    assert "password_command" in failing.stderr
    outputs.append(failing)
    for result in outputs:
        assert secret not in result.stdout + result.stderr
    home = synced.config.parent
    for path in [*home.rglob("*"), *synced.registry.parent.rglob("*")]:
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_a_password_command_gives_the_password(synced: Synced, other: Other, tmp_path: Path) -> None:
    helper = tmp_path / "pass-helper"
    helper.write_text(f"#!/bin/sh\nprintf '%s\\n' '{synced.calendar.password}' 'a second line'\n")
    helper.chmod(0o755)
    synced.configure(password_command=[str(helper)])
    result = synced.run("--registry", synced.registry, "sync", env={"SCO_CAL_DAV_PASSWORD": "not this one"})
    assert result.code == 0, result.stderr
    assert len(other.names()) == DATED


SERIES = """\
  - id: board
    title: Board
    status: scheduled
    start: 2024-01-08 09:00 Europe/Berlin
    end: 2024-01-08 10:00 Europe/Berlin
    recurrence: FREQ=WEEKLY;BYDAY=MO;COUNT=6
    except: [2024-01-15 09:00 Europe/Berlin]
  - id: board-moved
    title: Board (moved)
    status: scheduled
    start: 2024-01-16 11:00 Europe/Berlin
    end: 2024-01-16 12:00 Europe/Berlin
    occurrence_of: board
    replaces: 2024-01-15 09:00 Europe/Berlin
"""


def test_a_series_and_its_moved_occurrence_are_one_object_and_come_back_whole(
    synced: Synced, other: Other, sco_cal: Callable[..., Result], tmp_path: Path
) -> None:
    from conftest import registry

    (tmp_path / "series").mkdir()
    synced.registry = registry(tmp_path / "series", SERIES, header="schema: 1\ntimezone: Europe/Berlin\n"
                               "uid_domain: board.example\nevents:\n")  # fmt: skip
    result = synced.sync()
    assert result.code == 0, result.stderr
    assert other.names() == ["board.ics"]
    body = other.request("GET", "board.ics").body  # type: ignore[attr-defined]
    assert body.count(b"BEGIN:VEVENT") == 2
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20240115T090000" in body
    assert body.count(b"BEGIN:VTIMEZONE") == 1
    colleague = Synced(sco_cal, tmp_path / "colleague.yaml", synced.calendar, synced.config)
    assert sco_cal("--registry", colleague.registry, "init", "--timezone", "Europe/Berlin").code == 0
    pulled = colleague.sync()
    assert pulled.code == 0, pulled.stdout + pulled.stderr

    def weeks(path: Path) -> list[str]:
        shown = sco_cal("-r", path, "list", "--from", "2024-01-01", "--to", "2024-02-29", "--format", "csv")
        return [line.split(",")[4] for line in shown.stdout.splitlines()[1:]]

    assert weeks(colleague.registry) == weeks(synced.registry)
    assert colleague.sync().stdout == ""


def test_a_target_that_fails_does_not_keep_the_others_from_syncing(synced: Synced, other: Other) -> None:
    table = f'url = "{synced.calendar.url}"\nusername = "{synced.calendar.user}"\n'
    down = 'url = "http://127.0.0.1:9/analyst/x/"\nusername = "analyst"\n'
    synced.config.write_text(f"[sync.down]\n{down}[sync.team]\n{table}", encoding="utf-8")
    result = synced.sync()
    assert result.code == 69
    assert result.stderr.startswith("error: down: http://127.0.0.1:9/analyst/x/: cannot connect")
    assert len(other.names()) == DATED  # team, after down in the config, still synced
    assert synced.sync("status", "team").code == 0  # the words in either order


def test_a_deletion_that_related_still_names_is_kept_and_listed(synced: Synced, other: Other) -> None:
    assert synced.sync().code == 0
    assert other.request("DELETE", "sco-joint-exercises-agreement-2007.ics").status in (200, 204)
    before = digest(synced.registry)
    result = synced.sync()
    assert result.code == 6
    assert (
        "! sco-joint-exercises-agreement-2007: deleted on the server, but protocol-joint-exercises-agreement "
        "names it in related; kept here"
    ) in result.stdout
    assert digest(synced.registry) == before
    assert synced.cli("edit", "protocol-joint-exercises-agreement", "--clear", "related").code == 0
    deleted = synced.sync()
    assert deleted.code == 0, deleted.stdout + deleted.stderr
    assert synced.cli("show", "sco-joint-exercises-agreement-2007").code == 4


def test_a_sync_killed_mid_push_is_finished_by_the_next_without_duplicates(
    synced: Synced, other: Other, proxied: Proxy
) -> None:
    import os
    import signal
    import subprocess
    import time

    from conftest import SCO_CAL

    proxied.faults.fail_at[("PUT", 4)] = "hang"
    proxied.faults.hang_seconds = 20
    env = {**os.environ, "SCO_CAL_DAV_PASSWORD": synced.calendar.password}
    running = subprocess.Popen(
        [str(SCO_CAL), "--registry", str(synced.registry), "sync"], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while proxied.count("PUT") < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proxied.count("PUT") == 4
    running.send_signal(signal.SIGKILL)  # mid-write: three objects on the server, the fourth under way
    running.wait(timeout=10)
    assert len(other.names()) == 3
    proxied.faults.fail_at = {}
    done = synced.sync()
    assert done.code == 0, done.stdout + done.stderr
    assert done.stdout.count("-> server: new here") == DATED - 3  # the three recorded before the kill are known
    assert len(other.names()) == DATED
    assert synced.sync().stdout == ""


def test_a_broken_registry_is_one_error_whatever_the_targets(synced: Synced) -> None:
    table = f'url = "{synced.calendar.url}"\nusername = "{synced.calendar.user}"\n'
    synced.config.write_text(f"[sync.one]\n{table}[sync.two]\n{table}", encoding="utf-8")
    synced.registry.write_text("schema: 1\nevents:\n  - id: x\n    title: X\n    start: 2020-13\n", encoding="utf-8")
    result = synced.sync()
    assert result.code == 3
    assert result.stderr.startswith(f"error: {synced.registry}:5:")
    assert len(result.stderr.splitlines()) == 1
