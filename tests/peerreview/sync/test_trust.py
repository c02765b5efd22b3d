"""Trust: enrolment by invitation or approval, held bundles, revocation, roles, forged devices."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path

import orjson
import pytest

from peerreview.errors import BundleError, ValidationError
from peerreview.sync import enrolment
from peerreview.sync.bundle import (
    CHANGES,
    MANIFEST,
    SIGNATURE,
    export_bundle,
    import_bundle,
    import_held,
)
from peerreview.sync.changes import PURGED, Change
from peerreview.sync.device import new_key_pair, sign
from peerreview.sync.dump import dump_bytes
from peerreview.sync.encryption import is_encrypted
from peerreview.sync.enrolment import TrustError, enrol
from peerreview.sync.store import Edit, Store
from peerreview.sync.trust import (
    COORDINATOR,
    Statement,
    fingerprint,
    founded_by,
    partnership_id_for,
)


def _coordinator(tmp_path: Path) -> Store:
    a = Store.init(tmp_path / "a.db", device_name="Coordinator", partnership_name="Coventry")
    a.create("school", {"name": "Grace Academy", "urn": 135335})
    return a


def _file_unchanged(path: Path) -> bytes:
    return path.read_bytes()


def test_a_new_partnership_id_names_its_founder(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    assert founded_by(a.partnership_id or "", a.device.public_key)
    _, other_key = new_key_pair()
    assert not founded_by(a.partnership_id or "", other_key)
    assert enrolment.role(a) == COORDINATOR
    words = fingerprint(a.device.public_key).split()
    assert len(words) == 8 and len(set(words)) >= 6


def test_invitation_join_and_exchange_encrypted_both_ways(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    school = a.list("school")[0].id
    inv = enrolment.make_invitation(a, tmp_path / "b.prinvite", schools=[school])
    b = Store.init(tmp_path / "b.db", device_name="Laptop B")
    joined = enrolment.join(b, inv)
    assert joined.coordinator_fingerprint == fingerprint(a.device.public_key)
    assert joined.role == "member" and joined.schools == (school,)
    assert b.partnership_id == a.partnership_id and enrolment.role(b) == "member"

    # B's first bundle goes to the coordinator, encrypted to it; A confirms B's enrolment.
    b.create("school", {"name": "West Coventry Academy", "urn": 137209})
    back = tmp_path / "b.prbundle"
    assert export_bundle(b, back).recipients == ("Coordinator",)
    assert is_encrypted(back) and b"West Coventry" not in back.read_bytes()
    report = import_bundle(a, back)
    assert report.new == 2 and not report.held
    states = {d.name: d for d in enrolment.trust_state(a).devices.values()}
    assert states["Laptop B"].via == "statement"  # no longer hangs on the invitation

    # The coordinator's bundle is encrypted to B (the only other laptop), and B reads it.
    out = tmp_path / "a.prbundle"
    result = export_bundle(a, out)
    assert result.encryption == "recipients" and result.recipients == ("Laptop B",)
    assert is_encrypted(out) and b"Grace" not in out.read_bytes()
    assert import_bundle(b, out).new > 0
    assert dump_bytes(a) == dump_bytes(b)


def test_an_invitation_is_single_use_expires_and_cannot_be_altered(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    inv = enrolment.make_invitation(a, tmp_path / "x.prinvite")
    b = Store.init(tmp_path / "b.db", device_name="B")
    c = Store.init(tmp_path / "c.db", device_name="C")
    enrolment.join(b, inv)
    enrolment.join(c, inv)  # C has not heard of B's claim yet
    b.create("school", {"name": "From B"})
    c.create("school", {"name": "From C"})
    export_bundle(b, tmp_path / "b.prbundle")
    export_bundle(c, tmp_path / "c.prbundle")
    assert not import_bundle(a, tmp_path / "b.prbundle").held
    assert import_bundle(a, tmp_path / "c.prbundle").held  # the second claim is not honoured

    old = enrolment.make_invitation(a, tmp_path / "old.prinvite", days=-1)
    with pytest.raises(TrustError, match="expired"):
        enrolment.join(Store.init(tmp_path / "d.db", device_name="D"), old)

    data = orjson.loads(inv.read_bytes())
    data["partnership_name"] = "Somewhere else"
    (tmp_path / "bad.prinvite").write_bytes(orjson.dumps(data))
    with pytest.raises(TrustError, match="altered"):
        enrolment.read_invitation(tmp_path / "bad.prinvite")
    member = Store.init(tmp_path / "m.db", device_name="M")
    enrol(a, member)
    with pytest.raises(TrustError, match="Only a coordinator"):
        enrolment.make_invitation(member, tmp_path / "m.prinvite")


def test_an_outsider_who_knows_the_id_is_held_then_approved_or_rejected(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    outsider = Store.init(
        tmp_path / "x.db", device_name="Stranger", partnership_id=a.partnership_id
    )
    # The outsider founds "the partnership" with its own key: the id does not name that key.
    enrolment.found(outsider)
    victim = a.list("school")[0].id
    outsider.write([Edit(victim, "school", "deleted", True)])
    path = tmp_path / "x.prbundle"
    export_bundle(outsider, path, plain=True, full=True)
    a.close()
    before = (tmp_path / "a.db").read_bytes()
    a = Store.open(tmp_path / "a.db")
    dump = dump_bytes(a)
    report = import_bundle(a, path)
    assert report.held and report.new == 0 and "held" in report.summary()
    assert dump_bytes(a) == dump and not a.get(victim).deleted
    assert [r.state for r in enrolment.devices(a) if r.name == "Stranger"] == ["held"]
    assert before  # the file changed only by the held bundle (nothing applied)

    enrolment.reject(a, outsider.device.id)
    with pytest.raises(BundleError, match="rejected"):
        import_bundle(a, path)
    assert dump_bytes(a) == dump


def test_approving_a_held_laptop_applies_its_bundles(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    export_bundle(a, tmp_path / "seed.prbundle", plain=True, full=True)
    b = Store.init(tmp_path / "b.db", device_name="New laptop")
    import_bundle(b, tmp_path / "seed.prbundle")  # learns the partnership, not enrolled
    b.create("school", {"name": "Typed before approval"})
    export_bundle(b, tmp_path / "b.prbundle", plain=True, full=True)
    assert import_bundle(a, tmp_path / "b.prbundle").held
    enrolment.approve(a, b.device.id)
    (report,) = import_held(a, b.device.id)
    assert not isinstance(report, BundleError) and report.new == 1
    assert enrolment.devices(a)[-1].held == 0 or all(r.held == 0 for r in enrolment.devices(a))
    assert "Typed before approval" in [s.title for s in a.list("school")]


def test_a_revoked_laptops_later_changes_are_refused(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="Lost laptop")
    enrol(a, b)
    b.create("school", {"name": "Before"})
    export_bundle(b, tmp_path / "before.prbundle")
    assert import_bundle(a, tmp_path / "before.prbundle").new == 1
    enrolment.revoke(a, b.device.id)
    b.create("school", {"name": "After"})
    export_bundle(b, tmp_path / "after.prbundle", full=True, plain=True)
    dump = dump_bytes(a)
    with pytest.raises(BundleError, match="revoked"):
        import_bundle(a, tmp_path / "after.prbundle")
    assert dump_bytes(a) == dump
    # Another laptop hears of the revocation from the coordinator and refuses it too.
    c = Store.init(tmp_path / "c.db", device_name="C")
    enrol(a, c)
    with pytest.raises(BundleError, match="revoked"):
        import_bundle(c, tmp_path / "after.prbundle")
    assert [r.state for r in enrolment.devices(a) if r.name == "Lost laptop"] == ["revoked"]


def test_only_coordinators_purge(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="Member")
    enrol(a, b)
    export_bundle(a, tmp_path / "seed.prbundle")
    import_bundle(b, tmp_path / "seed.prbundle")
    school = b.list("school")[0].id
    with pytest.raises(ValidationError, match="Only a coordinator"):
        b.purge(school)
    # A purge written around the check (a hostile copy of the app) is refused on import.
    b.write([Edit(school, "school", PURGED, True)])
    export_bundle(b, tmp_path / "b.prbundle")
    with pytest.raises(BundleError, match="purge"):
        import_bundle(a, tmp_path / "b.prbundle")
    assert not a.get(school).deleted


def _forge(path: Path, key: bytes, lines: list[bytes], out: Path) -> None:
    """Rewrite a plain bundle's changes and re-sign its manifest with ``key``."""
    with zipfile.ZipFile(path) as zf:
        items = {n: zf.read(n) for n in zf.namelist()}
    data = b"".join(line + b"\n" for line in lines)
    manifest = orjson.loads(items[MANIFEST])
    for m in manifest["members"]:
        if m["name"] == CHANGES:
            m["size"] = len(data)
            import hashlib

            m["sha256"] = hashlib.sha256(data).hexdigest()
    items[CHANGES] = data
    items[MANIFEST] = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)
    items[SIGNATURE] = base64.b64encode(sign(key, items[MANIFEST]))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for n, d in items.items():
            zf.writestr(n, d)
    out.write_bytes(buf.getvalue())


def test_a_change_claiming_another_laptop_is_refused(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="Member")
    c = Store.init(tmp_path / "c.db", device_name="Another member")
    enrol(a, b)
    enrol(a, c)
    export_bundle(a, tmp_path / "seed.prbundle")
    import_bundle(b, tmp_path / "seed.prbundle")
    school = b.list("school")[0].id
    b.set(school, "notes", "typed on B")
    export_bundle(b, tmp_path / "b.prbundle", plain=True, full=True)
    (own,) = b.history(school, "notes")
    # B signs a change that says it was made by C, and one that says it was made by A.
    for victim in (c.device.id, a.device.id):
        forged = Change.make(
            record=school,
            kind="school",
            field="notes",
            value="forged",
            parents=own.parents,
            hlc=own.hlc + 1,
            device=victim,
            author="someone",
        )
        out = tmp_path / f"forged-{victim[:4]}.prbundle"
        _forge(tmp_path / "b.prbundle", b.private_key(), [own.to_line(), forged.to_line()], out)
        dump = dump_bytes(a)
        with pytest.raises(BundleError, match="another laptop"):
            import_bundle(a, out)
        assert dump_bytes(a) == dump


def test_far_future_stamps_do_not_move_the_clock(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="B")
    enrol(a, b)
    b.clock._now_ms = lambda: 7_000_000_000_000  # the year 2191
    b.create("school", {"name": "From the future"})
    export_bundle(b, tmp_path / "b.prbundle")
    clock = a.clock.last
    with pytest.raises(BundleError, match="clock"):
        import_bundle(a, tmp_path / "b.prbundle")
    assert a.clock.last == clock
    assert Store.open(tmp_path / "a.db").clock.last < 7_000_000_000_000 << 16


def test_incremental_exports_carry_only_what_recipients_have_not_seen(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="B")
    enrol(a, b, role=COORDINATOR)
    first = export_bundle(a, tmp_path / "1.prbundle")
    assert not first.incremental and first.changes == a.change_count()
    import_bundle(b, tmp_path / "1.prbundle")
    # B acknowledges by sending its own bundle (its version vector says how far it has A's log).
    b.create("school", {"name": "From B"})
    export_bundle(b, tmp_path / "b.prbundle")
    import_bundle(a, tmp_path / "b.prbundle")
    a.create("school", {"name": "Second"})
    second = export_bundle(a, tmp_path / "2.prbundle")
    # A's new change, and B's (relayed back: a coordinator's bundle is read by many laptops).
    assert second.incremental and second.changes == 2
    report = import_bundle(b, tmp_path / "2.prbundle")
    assert report.new == 1 and report.known == 1
    full = export_bundle(a, tmp_path / "full.prbundle", full=True)
    assert full.changes == a.change_count()
    # Everything in the full bundle is known to B by A's log position: nothing re-checked.
    report = import_bundle(b, tmp_path / "full.prbundle")
    assert report.new == 0 and report.known == full.changes
    assert dump_bytes(a) == dump_bytes(b)


def test_a_review_shared_with_its_host_only_travels_only_there(tmp_path: Path) -> None:
    from peerreview.forms import forms_dir, load_forms
    from peerreview.review import reviews as rv

    a = _coordinator(tmp_path)
    host = a.list("school")[0].id
    other_school = a.create("school", {"name": "Moat House", "urn": 142205})
    at_host = Store.init(tmp_path / "h.db", device_name="Host laptop")
    elsewhere = Store.init(tmp_path / "e.db", device_name="Other school's laptop")
    enrol(a, at_host, schools=[host])
    enrol(a, elsewhere, schools=[other_school])
    fw = rv.Framework.from_form(load_forms(forms_dir()).get("review-estimates"))
    secret = rv.plan_review(
        a, fw, school=host, start_date=dt.date(2026, 3, 3), sharing=rv.Sharing.HOST
    )
    open_review = rv.plan_review(
        a, fw, school=host, start_date=dt.date(2026, 5, 3), sharing=rv.Sharing.PARTNERSHIP
    )
    shared = export_bundle(a, tmp_path / "shared.prbundle")
    school_bundle = export_bundle(a, tmp_path / "host.prbundle", for_school=host)
    assert set(school_bundle.recipients) == {"Host laptop"}
    for laptop in (at_host, elsewhere):
        import_bundle(laptop, tmp_path / "shared.prbundle")
        assert laptop.exists(open_review) and not laptop.exists(secret)
    import_bundle(at_host, tmp_path / "host.prbundle")
    assert at_host.exists(secret)
    with pytest.raises(BundleError, match="other laptops"):
        import_bundle(elsewhere, tmp_path / "host.prbundle")
    assert shared.changes < a.change_count()

    # Shared with the whole partnership later: the whole review goes in the next bundle.
    rv.set_sharing(a, secret, rv.Sharing.PARTNERSHIP)
    export_bundle(elsewhere, tmp_path / "ack.prbundle")  # the other school acknowledges
    import_bundle(a, tmp_path / "ack.prbundle")
    export_bundle(a, tmp_path / "widened.prbundle")
    import_bundle(elsewhere, tmp_path / "widened.prbundle")
    assert elsewhere.exists(secret)
    assert elsewhere.get(secret)["title"] == a.get(secret)["title"]


def test_statements_are_checked_and_signed(tmp_path: Path) -> None:
    a = _coordinator(tmp_path)
    (founder,) = enrolment.statements(a)
    assert founder.signed_by(a.device.public_key)
    with pytest.raises(ValidationError):
        Statement.parse(founder.body.replace(b'"name"', b'"nom"'), founder.signature)
    assert not Statement.parse(
        founder.body.replace(b'"Coordinator"', b'"Impostor!!!"'), founder.signature
    ).signed_by(a.device.public_key)
    assert partnership_id_for(a.device.public_key) != a.partnership_id  # time-ordered, still v7


def test_an_encrypted_import_never_writes_the_zip_inside_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    a = _coordinator(tmp_path)
    b = Store.init(tmp_path / "b.db", device_name="B")
    enrol(a, b)
    export_bundle(a, tmp_path / "a.prbundle")

    def no_temporary_files(*args: object, **kwargs: object) -> None:
        raise AssertionError("a temporary file was made while importing an encrypted bundle")

    for name in ("mkstemp", "mkdtemp", "TemporaryDirectory", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_temporary_files)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert import_bundle(b, tmp_path / "a.prbundle").new > 0
    after = sorted(p.name for p in tmp_path.iterdir())
    assert set(after) - set(before) <= {"backups"}
