"""The ``peerreview`` command: a thin face over the core API (the GUI is the other)."""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from peerreview import __version__
from peerreview.arguments import iso_date
from peerreview.demo import SIZE_NAMES
from peerreview.errors import BundleError, PeerReviewError
from peerreview.sync.enrolment import printable
from peerreview.sync.records import Record
from peerreview.sync.registry import Registry
from peerreview.sync.store import Store

log = logging.getLogger("peerreview.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(1, f"peerreview: {message}. Run 'peerreview --help' for usage.\n")


def _open(args: argparse.Namespace) -> Store:
    return Store.open(args.db, registry=args.registry)


def cmd_init(args: argparse.Namespace) -> int:
    store = Store.init(
        args.db,
        device_name=args.device,
        author=args.author,
        partnership_name=args.partnership,
        registry=args.registry,
    )
    print(f"Created {args.db} for {store.device.name}.")
    store.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from peerreview.demo import build_demo

    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        store = Store.open(path, registry=args.registry)
    else:
        store = Store.init(
            path, device_name="Demo laptop", author="Demo user", registry=args.registry
        )
    counts = build_demo(store, args.size, seed=args.seed)
    if counts:
        reg = args.registry
        made = ", ".join(
            f"{n} {reg.label(k, plural=True) if n != 1 else reg.label(k)}"
            for k, n in counts.items()
        )
        print(f"Demo partnership ({args.size}) in {path}: {made}.")
    else:
        print(f"The {args.size} demo partnership is already in {path}.")
    store.close()
    if not args.no_gui:
        return _run_gui(path)
    return 0


def cmd_schools_import(args: argparse.Namespace) -> int:
    from peerreview.partnership.schools import import_schools

    with _open(args) as store:
        report = import_schools(store, args.csv, la=args.la)
    print(report.summary())
    return 0


def _passphrase(args: argparse.Namespace) -> str | None:
    """From --passphrase-file (its first line) or the PEERREVIEW_PASSPHRASE environment variable."""
    import os

    if getattr(args, "passphrase_file", None):
        try:
            with open(args.passphrase_file, encoding="utf-8") as fh:
                return fh.readline().rstrip("\r\n")
        except OSError as exc:
            raise PeerReviewError(
                f"Could not read the passphrase file ({exc.strerror}). Check the path."
            ) from None
    return os.environ.get("PEERREVIEW_PASSPHRASE") or None


def cmd_export(args: argparse.Namespace) -> int:
    from peerreview.sync.bundle import export_bundle

    passphrase = _passphrase(args)
    with _open(args) as store:
        result = export_bundle(
            store,
            args.out,
            school_urns=args.school,
            passphrase=passphrase,
            plain=args.plain,
            full=args.full,
        )
    what = "everything" if not result.incremental else "what its recipients have not seen"
    how = {
        "recipients": "encrypted for " + ", ".join(printable(n) for n in result.recipients),
        "passphrase": "encrypted with the passphrase",
        "none": "not encrypted",
    }[result.encryption]
    print(
        f"Wrote {result.path}: {result.changes} changes, {result.attachments} attachments"
        f" ({what}; {how})."
    )
    if result.encryption == "none":
        print(
            "Warning: this bundle is not encrypted. It holds names and other personal data: keep"
            " it off email and shared folders, and delete it once it has been imported."
        )
    return 0


def _report_imports(results: Sequence[object]) -> int:
    """Print each bundle's summary; exit 1 if one was refused, 3 if one was held."""
    failed = held = 0
    for r in results:
        if isinstance(r, BundleError):
            failed += 1
            print(f"peerreview: {printable(r.message)}", file=sys.stderr)
        else:
            held += bool(getattr(r, "held", False))
            print(r.summary())  # type: ignore[attr-defined]
    return 1 if failed else 3 if held else 0


def cmd_import(args: argparse.Namespace) -> int:
    from peerreview.sync.bundle import import_bundles

    with _open(args) as store:
        results = import_bundles(store, args.bundles, passphrase=_passphrase(args))
    return _report_imports(results)


def cmd_sync(args: argparse.Namespace) -> int:
    from peerreview.sync.sync_folders import sync_folder

    with _open(args) as store:
        result = sync_folder(store, args.folder)
    code = _report_imports(result.imported)
    for path in result.written:
        print(f"Wrote {path}.")
    print(result.summary())
    return code


def cmd_invite(args: argparse.Namespace) -> int:
    from peerreview.sync.enrolment import make_invitation

    with _open(args) as store:
        schools = [_school(store, urn) for urn in args.school or ()]
        path = make_invitation(store, args.out, role=args.role, schools=schools, days=args.days)
    print(
        f"Wrote {path}: an invitation for one laptop to join as {args.role}, valid for"
        f" {args.days} days. Send it to them; they run: peerreview join --db FILE {path.name}"
    )
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from peerreview.sync.enrolment import join

    path = Path(args.db)
    if path.exists() and path.stat().st_size > 0:
        store = Store.open(path, registry=args.registry)
    else:
        store = Store.init(path, device_name=args.device, registry=args.registry)
    with store:
        inv = join(store, args.invitation)
    print(
        f"Joined {printable(inv.partnership_name) or 'the partnership'} as {inv.role}. The"
        f" coordinator's laptop, {printable(inv.coordinator_name)}, has the key:"
        f" {inv.coordinator_fingerprint}. Check these words with your coordinator."
    )
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from peerreview.sync import enrolment

    if not args.db:
        raise PeerReviewError("Say which database: peerreview devices --db FILE.")
    with _open(args) as store:
        rows = enrolment.devices(store)
        names = _school_names(store)
        if not rows:
            print("No laptops known yet.")
        for r in rows:
            me = " (this laptop)" if r.id == store.device.id else ""
            schools = ", ".join(names.get(s, s[:8]) for s in r.schools) or (
                "all schools" if r.role else "-"
            )
            held = f", {r.held} bundle{'s' if r.held != 1 else ''} held" if r.held else ""
            role = r.role or "not enrolled"
            print(
                f"{printable(r.name)}{me}  {r.id}  {role}  {schools}  {r.state}{held}"
                f"  key: {r.fingerprint}"
            )
    return 0


def _school_names(store: Store) -> dict[str, str]:
    school = store.registry.school_kind().name
    return {r.id: printable(r.title) for r in store.list(school, include_deleted=True)}


def cmd_devices_approve(args: argparse.Namespace) -> int:
    from peerreview.sync import enrolment
    from peerreview.sync.bundle import import_held

    with _open(args) as store:
        row = enrolment.find_device(store, args.device)
        schools = [_school(store, urn) for urn in args.school or ()]
        enrolment.approve(store, row.id, role=args.role, schools=schools)
        print(f"Approved {printable(row.name)} as {args.role}.")
        return _report_imports(import_held(store, row.id))


def cmd_devices_reject(args: argparse.Namespace) -> int:
    from peerreview.sync import enrolment

    with _open(args) as store:
        row = enrolment.find_device(store, args.device)
        n = enrolment.reject(store, row.id)
    print(
        f"Rejected {printable(row.name)}: {n} held bundle{'s' if n != 1 else ''} dropped; its"
        " later bundles are refused."
    )
    return 0


def cmd_devices_revoke(args: argparse.Namespace) -> int:
    from peerreview.sync import enrolment

    with _open(args) as store:
        row = enrolment.find_device(store, args.device)
        enrolment.revoke(store, row.id)
    print(
        f"Revoked {printable(row.name)}: changes it makes from now on are refused by every laptop"
        " that imports your next bundle."
    )
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    with _open(args) as store:
        conflicts = store.conflicts()
        if not conflicts:
            print("No open conflicts.")
        for c in conflicts:
            what = "deleted on one laptop, edited on another" if c.is_delete else c.field
            print(f"{c.kind} {c.record_id} ({c.record_title}): {what}")
            for v in c.values:
                mark = "*" if v.winner else " "
                print(
                    f"  {mark} {orjson.dumps(v.value).decode()}  by {v.author} on {v.device_name}"
                )
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    try:
        value = orjson.loads(args.value)
    except orjson.JSONDecodeError:
        value = args.value
    with _open(args) as store:
        store.resolve(args.record, args.field, value)
    print("Resolved.")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    with _open(args) as store:
        title = store.title(args.record) if store.exists(args.record) else args.record
        store.purge(args.record)
    print(
        f"Purged {title}: its values are gone from this database and its backups. "
        "Export a bundle so every other laptop erases its copy too."
    )
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from peerreview.sync.dump import dump

    with _open(args) as store:
        dump(store, sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from peerreview.sync.check import check

    with _open(args) as store:
        problems = check(store)
    if problems:
        for p in problems:
            print(f"peerreview: {p}", file=sys.stderr)
        return 1
    print("All checks passed.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from peerreview.reporting import write_report
    from peerreview.sync.registry import ReportRequest

    with _open(args) as store:
        school = None
        if args.school is not None:
            school = _school(store, args.school)
        request = ReportRequest(
            record_id=args.id,
            school=school,
            year=args.year,
            summary=args.summary,
            today=args.today,
        )
        path = write_report(store, args.kind, args.id, args.format, args.out, request=request)
    print(f"Wrote {path}.")
    return 0


def _school(store: Store, key: str) -> str:
    """A school's record id, from its URN (or its id)."""
    school = store.registry.school_kind()
    if store.kind_of(key) == school.name:
        return key
    found = []
    if key.isdigit() and school.key_field and int(key) < 2**63:
        found = store.list(school.name, where={school.key_field: int(key)}, order_by="id")
    if not found:
        raise PeerReviewError(f"There is no {school.label} with URN {key} in this database.")
    return found[0].id


def cmd_delete(args: argparse.Namespace) -> int:
    from peerreview.sync.cascade import delete_record

    with _open(args) as store:
        if not store.exists(args.record):
            raise PeerReviewError(f"There is no record with id {args.record}.")
        record = store.get(args.record)
        if record.deleted:
            print(f"{_described(store, record)} is already deleted.")
            return 0
        title = _described(store, record)
        records = delete_record(store, args.record)
    others = len(records) - 1
    tail = (
        f", and {others} record{'s' if others != 1 else ''} that belonged to it" if others else ""
    )
    print(f"Deleted {title}{tail}. Restore it with: peerreview restore --record {args.record}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from peerreview.sync.cascade import restore_record

    with _open(args) as store:
        if not store.exists(args.record):
            raise PeerReviewError(f"There is no record with id {args.record}.")
        record = store.get(args.record)
        if not record.deleted:
            print(f"{_described(store, record)} is not deleted.")
            return 0
        records = restore_record(store, args.record)
        title = _described(store, store.get(args.record))
    others = len(records) - 1
    plural = "s" if others != 1 else ""
    tail = f", and {others} record{plural} deleted with it" if others else ""
    print(f"Restored {title}{tail}.")
    return 0


def _described(store: Store, record: Record) -> str:
    what = store.registry.label(record.kind)
    title = store.registry.describe(store, record).title
    return f"the {what} {title!r}" if title and title != what.capitalize() else f"the {what}"


def cmd_forms_list(args: argparse.Namespace) -> int:
    from peerreview.form_library import describe, library

    for form in library():
        print(describe(form))
    return 0


def cmd_forms_copy(args: argparse.Namespace) -> int:
    from peerreview.form_library import copy_form

    path = copy_form(args.form, args.new_id, title=args.title)
    print(f"Wrote {path}. Edit it, then it is used beside the shipped forms.")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    return _run_gui(Path(args.db) if args.db else None)


#: Opens the desktop app on a database (None: the last one, or the welcome screen). The core never
#: imports the app: the ``peerreview`` command (ui/shell/launcher.py) passes it in.
GuiOpener = Callable[[Path | None], int]
_gui: list[GuiOpener] = []


def _run_gui(path: Path | None) -> int:
    if not _gui:
        raise PeerReviewError(
            "The desktop app is not part of this command."
            " Run `peerreview` (installed with the app), or add --no-gui."
        )
    return _gui[0](path)


def build_parser(
    registry: Registry | None = None, argv: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The command line's parser; report kinds come from the features in ``registry``.

    Given ``argv``, a feature's command is given its own options only when ``argv`` names it:
    they may import that feature's rules, which starting the app (no command) does not need."""
    if registry is None:
        from peerreview.features import default_registry

        registry = default_registry()
    parser = _Parser(
        prog="peerreview", description="Peer review and lesson study for school partnerships."
    )
    parser.add_argument("--version", action="version", version=f"PeerReview {__version__}")
    parser.add_argument(
        "--db", help="the database file (default: the one in your user data folder)"
    )
    parser.set_defaults(func=cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(
        name: str, func: Callable[[argparse.Namespace], int], help: str, db: bool = True
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        if db:
            p.add_argument("--db", required=True, help="the database file")
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "Create a new database for this laptop.")
    p.add_argument(
        "--device", default="This laptop", help="this laptop's name, e.g. \"Mrs Patel's laptop\""
    )
    p.add_argument("--author", help="who uses this laptop (shown beside their edits)")
    p.add_argument("--partnership", help="create a new partnership with this name")

    p = add("demo", cmd_demo, "Create or fill a database with a realistic demo partnership.")
    p.add_argument("--size", choices=SIZE_NAMES, default="small")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-gui", action="store_true", help="do not open the app afterwards")

    schools = sub.add_parser("schools", help="Schools from the DfE register.")
    schools_sub = schools.add_subparsers(
        dest="schools_command", required=True, parser_class=_Parser
    )
    p = schools_sub.add_parser("import", help="Import schools from a GIAS establishment CSV.")
    p.add_argument("--db", required=True)
    p.add_argument("csv", help="the GIAS establishment CSV (edubasealldataYYYYMMDD.csv)")
    p.add_argument("--la", help="only schools in this local authority (name or code)")
    p.set_defaults(func=cmd_schools_import)

    forms = sub.add_parser("forms", help="The forms and review frameworks people fill in.")
    forms_sub = forms.add_subparsers(dest="forms_command", required=True, parser_class=_Parser)
    p = forms_sub.add_parser(
        "list", help="List the forms installed (shipped and the partnership's own)."
    )
    p.set_defaults(func=cmd_forms_list)
    p = forms_sub.add_parser("copy", help="Copy a form to a new id, to adapt it without code.")
    p.add_argument("form", help="the form to copy, e.g. review-estimates")
    p.add_argument("--as", dest="new_id", required=True, help="the new form's id, e.g. our-review")
    p.add_argument("--title", help="the new form's title")
    p.set_defaults(func=cmd_forms_copy)

    p = add(
        "export",
        cmd_export,
        "Write a bundle of this database's changes: what its recipients have not seen, encrypted"
        " for the partnership's laptops.",
    )
    p.add_argument("--out", required=True, help="the bundle file to write")
    p.add_argument("--school", type=int, nargs="+", metavar="URN", help="only these schools")
    p.add_argument("--full", action="store_true", help="everything, not only what is new to them")
    p.add_argument(
        "--plain", action="store_true", help="not encrypted (it holds personal data: take care)"
    )
    p.add_argument(
        "--passphrase-file",
        help="encrypt with the passphrase on the first line of this file "
        "(or set PEERREVIEW_PASSPHRASE)",
    )

    p = add("import", cmd_import, "Import one or more bundles.")
    p.add_argument("bundles", nargs="+", metavar="BUNDLE")
    p.add_argument(
        "--passphrase-file",
        help="the passphrase of encrypted bundles, on the first line of this file "
        "(or set PEERREVIEW_PASSPHRASE)",
    )

    p = add("sync", cmd_sync, "Exchange bundles through a shared folder (OneDrive, a share, USB).")
    p.add_argument("--folder", required=True, help="the shared folder")

    p = add("invite", cmd_invite, "Write an invitation for one laptop to join (coordinators).")
    p.add_argument("--out", required=True, help="the invitation file to write")
    p.add_argument("--school", nargs="+", metavar="URN", help="the laptop's school(s)")
    p.add_argument("--role", choices=("member", "coordinator"), default="member")
    p.add_argument("--days", type=int, default=14, help="how long it is valid (default 14)")

    p = add("join", cmd_join, "Join a partnership with a coordinator's invitation.")
    p.add_argument("invitation", help="the invitation file")
    p.add_argument("--device", default="This laptop", help="this laptop's name (a new database)")

    devices = sub.add_parser("devices", help="The partnership's laptops: list, approve, revoke.")
    devices.add_argument("--db", help="the database file")
    devices.set_defaults(func=cmd_devices)
    devices_sub = devices.add_subparsers(dest="devices_command", parser_class=_Parser)
    for verb, func, text in (
        ("approve", cmd_devices_approve, "Enrol a laptop whose bundles are held."),
        ("reject", cmd_devices_reject, "Drop a laptop's held bundles and refuse its later ones."),
        ("revoke", cmd_devices_revoke, "Refuse a laptop's changes from now on (a lost laptop)."),
    ):
        p = devices_sub.add_parser(verb, help=text, description=text)
        p.add_argument("--db", required=True)
        p.add_argument("device", help="the laptop's name or id")
        p.set_defaults(func=func)
        if verb == "approve":
            p.add_argument("--role", choices=("member", "coordinator"), default="member")
            p.add_argument("--school", nargs="+", metavar="URN", help="the laptop's school(s)")

    add("conflicts", cmd_conflicts, "List open conflicts.")
    p = add("resolve", cmd_resolve, "Resolve a conflict with a value (JSON, or plain text).")
    p.add_argument("--record", required=True)
    p.add_argument("--field", required=True)
    p.add_argument("--value", required=True)
    reports = registry.reports
    p = add("report", cmd_report, "Write a report as PDF or Word.")
    p.add_argument(
        "--kind",
        required=True,
        choices=tuple(reports),
        help="which report: "
        + "; ".join(f"{name} ({b.title.lower()})" for name, b in reports.items()),
    )
    p.add_argument("--id", help="the record the report is of (a review, a cycle, a plan)")
    p.add_argument("--school", metavar="URN", help="the school the report is of")
    p.add_argument("--year", help="the school year the report covers, e.g. 2025-26")
    p.add_argument("--summary", action="store_true", help="the short summary for sharing")
    p.add_argument(
        "--today",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help="the day the report is of: what is due and overdue is judged against it",
    )
    p.add_argument("--format", required=True, choices=("pdf", "docx"))
    p.add_argument("--out", required=True, help="the file to write")
    p = add(
        "delete",
        cmd_delete,
        "Delete a record and what belongs to it, as the app's Delete does (it can be restored).",
    )
    p.add_argument("--record", required=True, help="the record's id")
    p = add("restore", cmd_restore, "Restore a deleted record and what was deleted with it.")
    p.add_argument("--record", required=True, help="the record's id")
    p = add(
        "purge", cmd_purge, "Erase a record's values for good (data-protection erasure, retention)."
    )
    p.add_argument("--record", required=True, help="the record's id")
    add("dump", cmd_dump, "Print the canonical JSON of the shared state.")
    add("check", cmd_check, "Run integrity and invariant checks.")
    named = None if argv is None else set(argv)
    for command in registry.commands():
        p = add(command.name, _feature_command(command.run), command.help)
        if named is None or command.name in named:
            command.configure(p)
    return parser


def _feature_command(
    run: Callable[[argparse.Namespace, Store], int],
) -> Callable[[argparse.Namespace], int]:
    """A feature's command, run with the database open."""

    def cmd(args: argparse.Namespace) -> int:
        with _open(args) as store:
            return run(args, store)

    return cmd


def main(
    argv: Sequence[str] | None = None,
    *,
    open_gui: GuiOpener | None = None,
    registry: Registry | None = None,
) -> int:
    """Run the command line. ``open_gui`` starts the desktop app (given by the app's launcher);
    ``registry`` the features to work with (default: those this app is built with)."""
    _gui[:] = [open_gui] if open_gui is not None else []
    for stream in (sys.stdout, sys.stderr):
        # A file name that is not valid UTF-8 is shown escaped, never a traceback.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    if registry is None:
        from peerreview.features import default_registry

        registry = default_registry()
    given = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(registry, given)
    args = parser.parse_args(given)
    args.registry = registry
    if args.func is cmd_gui and args.db is None:
        args.db = None
    try:
        return int(args.func(args))
    except PeerReviewError as exc:
        print(f"peerreview: {exc.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as other command-line tools do.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("peerreview: interrupted. Nothing more was changed.", file=sys.stderr)
        return 130
    except OSError as exc:
        print(
            f"peerreview: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except sqlite3.OperationalError as exc:
        from peerreview.sync.store import _is_write_failure, _write_error

        if _is_write_failure(exc):
            print(f"peerreview: {_write_error(exc).message}", file=sys.stderr)
            return 1
        print(
            f"peerreview: the database could not be used ({exc}). Try again; if it persists,"
            " restore the newest copy from its backups folder.",
            file=sys.stderr,
        )
        return 1
    except sqlite3.DatabaseError as exc:
        print(
            f"peerreview: the database could not be read ({exc}). It may be damaged: restore the"
            " newest copy from its backups folder, or import your partnership's latest bundle into"
            " a new database.",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
