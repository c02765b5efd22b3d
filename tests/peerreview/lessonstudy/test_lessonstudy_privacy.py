"""A case pupil's real name stays on the school's laptop: never in a change, a bundle of any kind,
a dump, the search index or a shared report; other laptops only ever see "Pupil A"."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from lessonstudy_fixtures import make_cycle, new_store
from pypdf import PdfReader

from peerreview.errors import ValidationError
from peerreview.forms import forms_dir, load_forms
from peerreview.lessonstudy import cycles as cy
from peerreview.reporting import write_report
from peerreview.sync.bundle import export_bundle, import_bundle
from peerreview.sync.dump import dump_bytes
from peerreview.sync.encryption import decrypt_file, is_encrypted
from peerreview.sync.registry import ReportRequest
from peerreview.sync.store import Edit, Store

NAMES = ("Zoë Kowalczyk-Brennan", "Jayden Okonkwo-Hale", "Amelia Fairweather")
PASSPHRASE = "correct horse battery staple"


def _forms(text: str) -> list[bytes]:
    """Every way a name could be written into a file's bytes."""
    out = []
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        out.append(text.encode(encoding))
    out.append(text.encode("ascii", "backslashreplace"))  # JSON's \\u escapes, roughly
    return out


def _assert_absent(data: bytes, where: str) -> None:
    for name in NAMES:
        for part in (name, name.split()[-1].split("-")[0]):  # the full name and the surname
            for form in _forms(part):
                assert form not in data, f"{part!r} found in {where}"
            assert part.lower().encode() not in data.lower(), f"{part!r} found in {where}"


def _every_byte_of_bundle(path: Path, folder: Path) -> list[tuple[str, bytes]]:
    """The file itself, and (decrypted if need be) every member of the zip, decompressed."""
    pieces = [(path.name, path.read_bytes())]
    plain = path
    if is_encrypted(path):
        plain = folder / (path.name + ".zip")
        decrypt_file(path, PASSPHRASE, plain)
        pieces.append((plain.name, plain.read_bytes()))
    with zipfile.ZipFile(plain) as archive:
        names = archive.namelist()
        assert "changes.jsonl" in names
        pieces += [(f"{path.name}:{member}", archive.read(member)) for member in names]
    return pieces


def _every_byte_of_pdf(path: Path) -> list[tuple[str, bytes]]:
    reader = PdfReader(path)
    pieces = [(path.name, path.read_bytes())]
    pieces.append(("text", "\n".join(p.extract_text() or "" for p in reader.pages).encode()))
    pieces.append(("metadata", repr(dict(reader.metadata or {})).encode()))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:
            continue
        data = getattr(obj, "get_data", None)
        if data is not None:
            try:
                pieces.append((f"object {number}", data()))
            except Exception:
                continue
    return pieces


def _every_byte_of_docx(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        pieces = [(f"{path.name}:{m}", archive.read(m)) for m in archive.namelist()]
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    return [*pieces, ("docx text", text.encode())]


def test_the_real_name_never_leaves_the_laptop(tmp_path: Path) -> None:
    library = load_forms(forms_dir())
    school = new_store(tmp_path, "Asha")
    cycle = make_cycle(school, library)
    for pupil, name in zip(cycle.pupils, NAMES, strict=True):
        cy.set_real_name(school, pupil, name)
    cy.set_prediction(school, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Will say 6.")
    cy.add_note(school, cycle.lesson, cycle.stages[0], cycle.pupils[0], "Drew a bar.")
    school.update(cycle.id, {"others_try": "Squared paper.", "learned_pupils": "A lot."})
    assert cy.real_names(school, cycle.pupils) == dict(zip(cycle.pupils, NAMES, strict=True))

    # It is not a change, and cannot be made one.
    with pytest.raises(ValidationError, match="kept on this laptop only"):
        school.write([Edit(cycle.pupils[0], "case_pupil", "real_name", NAMES[0])])
    with pytest.raises(ValidationError):
        school.update(cycle.pupils[0], {"real_name": NAMES[0]})
    log = "\n".join(str(c.value) for c in school.iter_changes()).encode()
    _assert_absent(log, "the change log")
    _assert_absent(dump_bytes(school), "the dump")
    assert school.search("Kowalczyk") == []

    # Every kind of bundle: everything, each school chosen, and both encrypted.
    bundles = []
    for n, (urns, passphrase) in enumerate(
        [
            (None, None),
            ([103700], None),
            ([103701], None),
            ([103700, 103701], None),
            (None, PASSPHRASE),
            ([103701], PASSPHRASE),
        ]
    ):
        path = tmp_path / f"bundle-{n}.prbundle"
        export_bundle(school, path, school_urns=urns, passphrase=passphrase)
        bundles.append(path)
        for where, data in _every_byte_of_bundle(path, tmp_path):
            _assert_absent(data, where)

    # Every shared report, in both formats.
    for summary in (False, True):
        for fmt in ("pdf", "docx"):
            out = tmp_path / f"report-{summary}.{fmt}"
            write_report(
                school,
                "cycle",
                cycle.id,
                fmt,
                out,
                library=library,
                request=ReportRequest(record_id=cycle.id, summary=summary),
            )
            read = _every_byte_of_pdf if fmt == "pdf" else _every_byte_of_docx
            pieces = read(out)
            seen = b"Lesson study summary" if summary else b"Pupil A"
            assert any(seen in data for _, data in pieces), out.name  # the scan reads the text
            for where, data in pieces:
                _assert_absent(data, f"{out.name} {where}")

    # Another laptop gets everything else, and only ever "Pupil A".
    other = new_store(tmp_path, "Ben", partnership=school.partnership_id)
    import_bundle(other, bundles[0])
    pupil = other.get(cycle.pupils[0])
    assert other.registry.describe(other, pupil).title == "Pupil A"
    assert cy.real_names(other, cycle.pupils) == {}
    other.close()

    # A purge erases it here too.
    school.purge(cycle.pupils[0])
    assert cy.real_names(school, cycle.pupils) == dict(
        zip(cycle.pupils[1:], NAMES[1:], strict=True)
    )
    school.close()


def test_a_real_name_is_kept_only_for_a_case_pupil(tmp_path: Path) -> None:
    library = load_forms(forms_dir())
    store: Store = new_store(tmp_path, "Asha")
    cycle = make_cycle(store, library)
    with pytest.raises(ValidationError, match="keeps no field"):
        store.set_local_field(cycle.lesson, "real_name", "Someone")
    cy.set_real_name(store, cycle.pupils[1], "  Jayden  ")
    assert store.local_field(cycle.pupils[1], "real_name") == "Jayden"
    cy.set_real_name(store, cycle.pupils[1], "")
    assert store.local_field(cycle.pupils[1], "real_name") is None
    store.close()


def test_no_table_of_the_shared_state_holds_the_name(tmp_path: Path) -> None:
    """Only the device-local table has it: a copy of the database's shared tables would not."""
    library = load_forms(forms_dir())
    store = new_store(tmp_path, "Asha")
    cycle = make_cycle(store, library)
    cy.set_real_name(store, cycle.pupils[0], NAMES[0])
    buffer = io.BytesIO()
    for piece in (dump_bytes(store),):
        buffer.write(piece)
    _assert_absent(buffer.getvalue(), "the shared state")
    store.close()
