"""The navigator's tree model: the partnership, and the folders the features declare.

Under the partnership, one folder for each folder the features declare there (groups, schools),
read when the window opens. Under each record, one folder for each folder declared under its kind
(a school's people and reviews), read only when it is first opened, so a regional partnership opens
at once; an inline folder lists its records straight under the record, with no folder row (a
group's member schools). The tree never names a kind: it follows the core registry's ``Folder``s
and asks the UI registry for icons and how rows look.

The model keeps its own copy of what it shows (titles, order), so painting never touches the store,
and it follows edits one record at a time (insert, move, remove) so selection and expansion survive.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QPalette

from peerreview.errors import PeerReviewError
from ui.shell.icons import icon, icon_file
from ui.shell.registry import UIRegistry
from ui.shell.roles import FOLDER, MEMBER, RECORD, TOP
from ui.shell.signals import emit

if TYPE_CHECKING:  # the store and the core's kinds: not imported to paint the window from its cache
    from peerreview.sync.records import Record
    from peerreview.sync.registry import Folder
    from ui.shell.session import Session

AnyIndex = QModelIndex | QPersistentModelIndex

#: A re-sync in steps makes, looks at or inserts at most this many rows in one step (a regional
#: partnership's 600 schools in one step stalled the window for 40 ms after a big import).
STEP_ROWS = 25

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(eq=False)
class Node:
    """One row of the tree."""

    role: str  # TOP, FOLDER, RECORD or MEMBER ("" for the invisible root)
    kind: str  # the record's kind; a folder's: the kind of the records it holds
    title: str
    record_id: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    loaded: bool = True
    closed: bool = False
    tooltip: str = ""
    #: a few words after the title ("changed after agreement"), from the record's feature
    note: str = ""
    order: int = 0  # folders keep their declared order
    #: a folder's declaration; for a member, the inline folder that lists it
    folder: Folder | None = None
    #: the record as last read (kept so privacy mode can retitle rows without reading them all)
    record: Record | None = None
    #: the sort key this row was placed at: a parent's children are kept in the order of these
    #: keys, so a row is found among thousands by bisection (``_row``), and placed by it
    placed: tuple[Any, ...] = ()

    @property
    def tag(self) -> str:
        """ "folder", "member", or the record's kind (the partnership's, at the top)."""
        return self.role if self.role in (FOLDER, MEMBER) else self.kind

    def sort_key(self) -> tuple[Any, ...]:
        return (self.order, self.title.casefold(), self.record_id or self.kind)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def _placed(node: Node) -> tuple[Any, ...]:
    return node.placed


def _sorted(nodes: list[Node]) -> list[Node]:
    """``nodes`` sorted in place, each noting the key it was placed at; returns them."""
    for node in nodes:
        node.placed = node.sort_key()
    nodes.sort(key=_placed)
    return nodes


def _row(parent: Node, node: Node) -> int | None:
    """``node``'s row among ``parent``'s children; None when it is not one of them.

    By bisection on the keys the children were placed at (they are kept in that order), not by
    looking along them: a view asks for every row it paints, and a catch-up for every row it
    places, among a regional partnership's hundreds of schools.
    """
    if node.parent is not parent:
        return None
    siblings = parent.children
    row = bisect.bisect_left(siblings, node.placed, key=_placed)
    while row < len(siblings) and siblings[row].placed == node.placed:
        if siblings[row] is node:
            return row
        row += 1  # (rows placed at the same key: the model makes none, but they would be found)
    return None


class NavigatorModel(QAbstractItemModel):
    """Adapts the store's partnership, its folders and their records to a tree."""

    #: a re-sync (at once or in steps) has finished: the tree matches the store again
    resynced = Signal()

    def __init__(
        self,
        session: Session,
        features: UIRegistry | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        registry = session.store.registry
        if features is None:
            from ui.features import default_ui_registry

            features = default_ui_registry(registry)
        self.features = features
        self.root_kind = registry.root_kind().name
        folders = registry.folders()
        #: kind → the folders its records are listed in (in their own place, not inline)
        self._homes: dict[str, list[Folder]] = {}
        #: kind → the inline folders that list its records under another record
        self._inline: dict[str, list[Folder]] = {}
        #: kind → (folder, field): an edit of such a record changes that folder of the record the
        #: field names (a membership, for a group's member schools)
        self._watchers: dict[str, list[tuple[Folder, str]]] = {}
        for f in folders:
            (self._inline if f.inline else self._homes).setdefault(f.kind, []).append(f)
            for kind, name in f.watches:
                self._watchers.setdefault(kind, []).append((f, name))
        self.root = Node("", "", "")
        self._by_record: dict[str, list[Node]] = {}
        self._icons: dict[str | Path, QIcon] = {}
        self._touched: set[str] = set()  # records edited while a re-sync in steps runs
        self._build()
        session.record_changed.connect(self.record_changed)
        session.records_reset.connect(self._records_reset)
        session.privacy.changed.connect(lambda _on: self._retitle())

    # ================================================================== building

    def _register(self, node: Node) -> None:
        for n in node.walk():
            if n.record_id:
                self._by_record.setdefault(n.record_id, []).append(n)

    def _unregister(self, node: Node) -> None:
        for n in node.walk():
            if n.record_id and n.record_id in self._by_record:
                self._by_record[n.record_id] = [
                    x for x in self._by_record[n.record_id] if x is not n
                ]
                if not self._by_record[n.record_id]:
                    del self._by_record[n.record_id]

    def _build(self) -> None:
        store = self.session.store
        self.root = Node("", "", "")
        self._by_record = {}
        pid = store.partnership_id
        shown = pid if pid and store.exists(pid) else None
        title = self._label(self.root_kind).capitalize()
        if shown:
            title = self.session.short_title(store.get(shown))
        top = Node(TOP, self.root_kind, title, record_id=shown, parent=self.root)
        self.root.children = [top]
        top.children = self._children(top, eager=True)
        self._register(top)
        # After the records are registered, so a member reuses the look of its own row.
        members = [n for n in top.walk() if n.role in (TOP, RECORD)]
        self._fill_members(members)
        for node in members:
            for child in node.children:
                if child.role == MEMBER:
                    self._register(child)

    def _label(self, kind: str) -> str:
        return self.session.store.registry.label(kind)

    def _children(self, node: Node, *, eager: bool = False) -> list[Node]:
        """The folders under a record (read now when ``eager``, else when opened); the records
        its inline folders list come from ``_fill_members``."""
        out: list[Node] = []
        for order, f in enumerate(self.session.store.registry.folders_under(node.kind)):
            if f.inline:
                continue
            folder = Node(FOLDER, f.kind, f.title, parent=node, order=order, folder=f)
            folder.loaded = eager
            if eager:  # the partnership's folders: their inline records come after (_build)
                folder.children = self._load(folder, members=False)
            out.append(folder)
        return _sorted(out)

    def _records(self, folder: Folder, parent_id: str | None) -> list[Record]:
        """The records a (not inline) folder holds under the record ``parent_id``."""
        store = self.session.store
        if folder.members is not None:
            ids = folder.members(store, [parent_id]).get(parent_id, []) if parent_id else []
            return [r for r in map(self._get, ids) if r is not None]
        if folder.link_field:
            return store.list(folder.kind, where={folder.link_field: parent_id})
        return store.list(folder.kind)

    def _get(self, record_id: str) -> Record | None:
        """The record, or None when it is missing or deleted."""
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return None
        return None if record.deleted else record

    def _member_ids(self, folder: Folder, parent_ids: list[str]) -> dict[str, list[str]]:
        """The records an inline folder lists under each of several records, by id (one query
        for a folder whose feature lists them itself: every group's members as the window
        opens)."""
        store = self.session.store
        if folder.members is not None:
            found = folder.members(store, parent_ids) if parent_ids else {}
            return {pid: list(found.get(pid, [])) for pid in parent_ids}
        if folder.link_field:
            return {
                pid: [r.id for r in store.list(folder.kind, where={folder.link_field: pid})]
                for pid in parent_ids
            }
        every = [r.id for r in store.list(folder.kind)]
        return {pid: every for pid in parent_ids}

    def _load(self, folder: Node, *, members: bool = True) -> list[Node]:
        assert folder.folder is not None and folder.parent is not None
        out = []
        for r in self._records(folder.folder, folder.parent.record_id):
            node = self._record_node(r)
            node.parent = folder
            out.append(node)
        if members:
            self._fill_members(out)
        return _sorted(out)

    def _record_node(self, record: Record) -> Node:
        """A record in its own place, with its folders (not read yet). The records its inline
        folders list are added by ``_fill_members`` (for many records at once)."""
        node = Node(RECORD, record.kind, "", record_id=record.id)
        self._update_look(node, record)
        node.children = self._children(node)
        return node

    def _inline_folders(self, kind: str) -> list[tuple[int, Folder]]:
        folders = self.session.store.registry.folders_under(kind)
        return [(order, f) for order, f in enumerate(folders) if f.inline]

    def _fill_members(self, nodes: list[Node]) -> None:
        """Add the records that inline folders list under each of ``nodes`` (new rows, not yet
        in the model)."""
        for kind in dict.fromkeys(n.kind for n in nodes):
            parents = [n for n in nodes if n.kind == kind and n.record_id]
            for order, f in self._inline_folders(kind):
                found = self._member_ids(f, [str(n.record_id) for n in parents])
                for parent in parents:
                    for rid in found[str(parent.record_id)]:
                        member = self._member_node(rid, f, order)
                        if member is not None:
                            member.parent = parent
                            parent.children.append(member)
                    _sorted(parent.children)

    def _member_node(self, record_id: str, folder: Folder, order: int = 0) -> Node | None:
        """A row for a record an inline folder lists; None when it is missing or deleted."""
        node = Node(MEMBER, folder.kind, "", record_id=record_id, folder=folder, order=order)
        for shown in self._by_record.get(record_id, ()):
            if shown.role == RECORD and shown.record is not None:
                # Its own row follows its edits: the same record, the same look.
                self._copy_look(node, shown)
                return node
        record = self._get(record_id)
        if record is None:
            return None
        node.kind = record.kind
        self._update_look(node, record)
        return node

    def _update_look(self, node: Node, record: Record) -> bool:
        """Set a row's title, tooltip and closed mark from its record; True when they changed."""
        look = self.features.look(record)
        note = self.features.note(self.session, record) if not record.deleted else ""
        new = (self.session.short_title(record), look.tooltip, look.closed, note)
        changed = (node.title, node.tooltip, node.closed, node.note) != new
        node.title, node.tooltip, node.closed, node.note = new
        node.kind, node.record = record.kind, record
        return changed

    @staticmethod
    def _copy_look(node: Node, shown: Node) -> None:
        node.title, node.tooltip, node.closed = shown.title, shown.tooltip, shown.closed
        node.note = shown.note
        node.kind, node.record = shown.kind, shown.record

    def reload(self) -> None:
        """Read everything again (after an import, the demo or a GIAS import)."""
        self.beginResetModel()
        self._build()
        self.endResetModel()

    def _records_reset(self) -> None:
        if self.session.gradual_reset:
            self.resync_in_steps()
        else:
            self.resync()

    @property
    def syncing(self) -> bool:
        """A re-sync in steps is under way."""
        return self.session.steps.pending(self)

    def resync(self) -> None:
        """Bring the tree up to date after many changes (an import) without a reset.

        Rows are inserted, moved and removed one by one, so what is open and selected stays so.
        """
        self.session.steps.cancel(self)
        self._touched = set()
        for _ in self._resync_steps():
            pass
        emit(self.resynced)

    def resync_in_steps(self) -> None:
        """The same re-sync, queued on the session's steps (a few milliseconds per turn).

        After an import into a regional partnership the tree has hundreds of rows to catch up;
        done at once that stalls the window. ``resynced`` is emitted when it is done; edits made
        meanwhile are followed as usual and never overwritten by the re-sync's older reading.
        """
        self._touched = set()
        self.session.steps.add(self, self._resync_steps(), on_done=self._steps_done)

    def _steps_done(self) -> None:
        self._touched = set()
        emit(self.resynced)

    def _resync_steps(self) -> Iterator[None]:
        """The re-sync as small steps: each ``yield`` is a point where it may pause.

        No step does work that grows with the partnership: rows are made, looked at and inserted
        ``STEP_ROWS`` at a time, and each record's inline members (a group's schools) are synced
        in a step of their own, after the records' own rows exist (so a member copies its
        school's row instead of reading the school again).
        """
        store = self.session.store
        top = self.root.children[0]
        pid = store.partnership_id
        if pid and store.exists(pid):
            record = store.get(pid)
            if top.record_id is None:
                top.record_id = pid
                self._register(top)
            if top.title != self.session.short_title(record):
                top.title = self.session.short_title(record)
                idx = self.index_of(top)
                emit(self.dataChanged, idx, idx)
        # The partnership's folders first, then the open folders under each record, down the
        # tree; then the inline records under each record.
        for folder in list(top.children):
            if folder.role == FOLDER and folder.folder is not None:
                records: list[Record] = []
                yield from self._records_steps(folder.folder, top.record_id, records)
                yield from self._sync_list_steps(folder, records)
        yield
        nodes = [n for n in top.walk() if n.role == RECORD]
        for done, node in enumerate(nodes, start=1):
            if done % STEP_ROWS == 0:
                yield
            for child in list(node.children):
                if child.role == FOLDER and child.loaded and child.folder is not None:
                    if not self._attached(node):
                        break
                    records = []
                    yield from self._records_steps(child.folder, node.record_id, records)
                    yield from self._sync_list_steps(child, records)
        # Inline folders: each record's (a group's member schools) read and synced in a step
        # of its own (read for all the groups at once, a regional partnership's 840
        # memberships took a step of 10-20 ms).
        yield
        shown = [n for n in top.walk() if n.role in (TOP, RECORD) and n.record_id]
        for node in shown:
            for _order, f in self._inline_folders(node.kind):
                yield
                if self._attached(node):
                    self._sync_members(node, f)

    def _records_steps(
        self, folder: Folder, parent_id: str | None, out: list[Record]
    ) -> Iterator[None]:
        """``_records`` in steps: the ids first, then the records ``STEP_ROWS`` at a time, into
        ``out`` (a regional partnership's 600 schools read at once took 15 ms, 35 ms just after
        a big import)."""
        store = self.session.store
        yield
        if folder.members is not None:
            ids = folder.members(store, [parent_id]).get(parent_id, []) if parent_id else []
        elif folder.link_field:
            ids = store.ids(folder.kind, where={folder.link_field: parent_id})
        else:
            ids = store.ids(folder.kind)
        for start in range(0, len(ids), STEP_ROWS):
            yield
            found = store.get_many(ids[start : start + STEP_ROWS])
            out.extend(r for r in found.values() if not r.deleted)

    def _attached(self, node: Node) -> bool:
        """Still in the tree (not removed by the re-sync or an edit meanwhile)."""
        while node.parent is not None:
            if _row(node.parent, node) is None:
                return False
            node = node.parent
        return node is self.root

    def _sync_list_steps(self, parent: Node, records: list[Record]) -> Iterator[None]:
        """Make ``parent``'s record children match ``records`` (insert, update, move, remove),
        ``STEP_ROWS`` rows a step at most. Records edited since ``records`` were read are left
        alone: the edit has already been followed with fresher values. The records inline
        folders list under the new rows come after, from ``_resync_steps``."""
        wanted = {r.id: r for r in records if r.id not in self._touched}
        stale = [
            n
            for n in parent.children
            if n.record_id not in wanted and n.record_id not in self._touched
        ]
        for node in stale:
            if node.parent is parent:
                self._remove(node)
                yield
        existing = {n.record_id: n for n in parent.children}
        new_nodes: list[Node] = []
        for done, r in enumerate((r for r in wanted.values() if r.id not in existing), start=1):
            new_nodes.append(self._record_node(r))
            if done % STEP_ROWS == 0:
                yield
        for done, (rid, node) in enumerate(existing.items(), start=1):
            if done % STEP_ROWS == 0:
                yield
            if rid in wanted and rid not in self._touched and node.parent is parent:
                if self._update_look(node, wanted[str(rid)]):
                    self._place(parent, node)
                    yield
        if parent.parent is None:
            return  # the folder itself went meanwhile
        _sorted(new_nodes)
        while new_nodes:
            # Rows edited or shown here meanwhile (by an edit the window followed) are left out.
            chunk = [
                n
                for n in new_nodes[:STEP_ROWS]
                if str(n.record_id) not in self._touched
                and not any(x.parent is parent for x in self._by_record.get(str(n.record_id), ()))
            ]
            del new_nodes[:STEP_ROWS]
            if not chunk:
                continue
            siblings = parent.children
            if not siblings or siblings[-1].placed <= chunk[0].placed:
                # After every row already there: all at once, in order.
                first = len(siblings)
                self.beginInsertRows(self.index_of(parent), first, first + len(chunk) - 1)
                for n in chunk:
                    n.parent = parent
                siblings.extend(chunk)
                for n in chunk:
                    self._register(n)
                self.endInsertRows()
                if parent.role == FOLDER:
                    pi = self.index_of(parent)
                    emit(self.dataChanged, pi, pi)
            else:
                for n in chunk:
                    self._place(parent, n)
            yield

    # ================================================================== Qt model

    def _node(self, index: AnyIndex) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self.root

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self._node(index)
        up = node.parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.index_of(up)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        if parent.column() > 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802
        return 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802
        node = self._node(parent)
        if parent.column() > 0:
            return False
        return bool(node.children) or not node.loaded

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        return parent.isValid() and not self._node(parent).loaded

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        node = self._node(parent)
        if node.loaded:
            return
        node.loaded = True
        children = self._load(node)
        if children:
            self.beginInsertRows(parent, 0, len(children) - 1)
            node.children = children
            self._register(node)
            self.endInsertRows()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802 - Qt override
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if section == 0 and orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self._label(self.root_kind).capitalize()
        return None

    def _under_top(self, node: Node) -> bool:
        return node.parent is not None and node.parent.role == TOP

    def _icon(self, node: Node) -> QIcon:
        name = "folder" if node.role == FOLDER else self.features.icon(node.kind)
        if name not in self._icons:
            self._icons[name] = icon_file(name) if isinstance(name, Path) else icon(name)
        return self._icons[name]

    def icon_source(self, node: Node) -> str:
        """The SVG a row's icon is drawn from, as the window notes it for its next start: the
        file's name among the app's icons, or a feature's own file in full."""
        name = "folder" if node.role == FOLDER else self.features.icon(node.kind)
        return str(name) if isinstance(name, Path) else f"{name}.svg"

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if node.role == FOLDER and node.loaded and not self._under_top(node):
                return f"{node.title} ({len(node.children)})"
            shown = f"{node.title} ({node.note})" if node.note else node.title
            return f"{shown} (closed)" if node.closed else shown
        if role == Qt.ItemDataRole.AccessibleTextRole:
            shown = f"{node.title}, {node.note}" if node.note else node.title
            return f"{shown}, closed" if node.closed else shown
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.role == FOLDER:
                return None
            # The full name first: a narrow navigator cuts long names short ("St Peter's Cath…").
            whole = f"{node.title} ({node.note})" if node.note else node.title
            return f"{whole}\n{node.tooltip}" if node.tooltip else whole
        if role == Qt.ItemDataRole.ForegroundRole and node.closed:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and node.role in (TOP, FOLDER):
            font = QFont()
            font.setBold(node.role == TOP or self._under_top(node))
            return font
        if role == RECORD_ID_ROLE:
            return node.record_id
        if role == TAG_ROLE:
            return node.tag
        return None

    # ================================================================== lookups

    def index_of(self, node: Node) -> QModelIndex:
        if node is self.root or node.parent is None:
            return QModelIndex()
        row = _row(node.parent, node)
        if row is None:
            raise ValueError(f"{node.title!r} is not a row of its parent")
        return self.createIndex(row, 0, node)

    def node_at(self, index: AnyIndex) -> Node | None:
        return self._node(index) if index.isValid() else None

    def named_rows(self) -> Iterator[tuple[str, int]]:
        """(title, depth) of the partnership, the records of its folders and their inline
        records: the rows whose names set how wide the navigator wants to be."""
        top = self.root.children[0]
        yield top.title, 0
        for folder in top.children:
            for node in folder.children:
                yield node.title, 2
                for member in node.children:
                    if member.role == MEMBER:
                        yield member.title, 3

    def folder(self, kind: str) -> Node:
        """The partnership's folder of ``kind`` records (its groups, its schools)."""
        top = self.root.children[0]
        return next(n for n in top.children if n.role == FOLDER and n.kind == kind)

    def child_folder_index(self, record_id: str, kind: str) -> QModelIndex:
        """The folder of ``kind`` records under a record (a school's "People")."""
        for node in self._by_record.get(record_id, []):
            for folder in node.children:
                if folder.role == FOLDER and folder.kind == kind:
                    return self.index_of(folder)
        return QModelIndex()

    def index_for_record(self, record_id: str, depth: int = 0) -> QModelIndex:
        """Where a record is shown in its own place (opening folders as needed); invalid when
        nowhere."""
        nodes = [n for n in self._by_record.get(record_id, []) if n.role != MEMBER]
        if nodes:
            return self.index_of(nodes[0])
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return QModelIndex()
        if record.deleted:
            return QModelIndex()
        home = self._home(record)
        if home is None and depth < 12:
            # Its parent is not shown yet (an action's update, deep in a plan): show the parent,
            # in its own place, first.
            for f in self._homes.get(record.kind, []):
                parent = record.values.get(f.link_field) if f.link_field else None
                if isinstance(parent, str) and self.index_for_record(parent, depth + 1).isValid():
                    home = self._home(record)
                    if home is not None:
                        break
        if home is None:
            return QModelIndex()
        if not home.loaded:
            self.fetchMore(self.index_of(home))
        nodes = [n for n in self._by_record.get(record_id, []) if n.role != MEMBER]
        return self.index_of(nodes[0]) if nodes else QModelIndex()

    def _home(self, record: Record) -> Node | None:
        """The folder a record's row belongs in, when its parent is shown."""
        top = self.root.children[0]
        for f in self._homes.get(record.kind, []):
            if f.link_field:
                parents = self._by_record.get(str(record.values.get(f.link_field)), [])
            else:
                parents = [top] if f.parent_kind == self.root_kind else []
            for parent in parents:
                if parent.role in (TOP, RECORD) and parent.kind == f.parent_kind:
                    for folder in parent.children:
                        if folder.role == FOLDER and folder.folder is f:
                            return folder
        return None

    # ================================================================== following edits

    def _place(self, parent: Node, node: Node) -> None:
        """Put ``node`` at its sorted place among ``parent``'s children (insert or move)."""
        siblings = parent.children
        pidx = self.index_of(parent)
        key = node.sort_key()
        pos = bisect.bisect_left(siblings, key, key=_placed)
        cur = _row(parent, node)
        if cur is not None:
            if pos > cur:
                pos -= 1  # its place among the others: it is not before itself
            node.placed = key
            if pos != cur:
                dest = pos if pos < cur else pos + 1
                self.beginMoveRows(pidx, cur, cur, pidx, dest)
                siblings.pop(cur)
                siblings.insert(pos, node)
                self.endMoveRows()
            idx = self.index_of(node)
            emit(self.dataChanged, idx, idx)
            if parent.role == FOLDER and not self._under_top(parent):
                pi = self.index_of(parent)
                emit(self.dataChanged, pi, pi)
            return
        self.beginInsertRows(pidx, pos, pos)
        node.parent, node.placed = parent, key
        siblings.insert(pos, node)
        self._register(node)
        self.endInsertRows()
        if parent.role == FOLDER:
            pi = self.index_of(parent)
            emit(self.dataChanged, pi, pi)

    def _remove(self, node: Node) -> None:
        parent = node.parent
        row = _row(parent, node) if parent is not None else None
        if parent is None or row is None:
            return
        self.beginRemoveRows(self.index_of(parent), row, row)
        parent.children.pop(row)
        self._unregister(node)
        node.parent = None
        self.endRemoveRows()
        if parent.role == FOLDER:
            pi = self.index_of(parent)
            emit(self.dataChanged, pi, pi)

    def record_changed(self, record_id: str, kind: str) -> None:
        """Follow one record's edit: retitle, move, add or remove its rows."""
        if self.syncing:
            self._touched.add(record_id)
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return
        if kind == self.root_kind:
            top = self.root.children[0]
            top.title = self.session.short_title(record)
            if top.record_id is None:
                top.record_id = record.id
                self._register(top)
            idx = self.index_of(top)
            emit(self.dataChanged, idx, idx)
            return
        self._follow(record)
        self._renote_owners(record)
        for folder, name in self._watchers.get(kind, []):
            parent_id = record.values.get(name)
            if not parent_id:
                continue
            if self.syncing:
                self._touched.add(str(parent_id))
            for node in list(self._by_record.get(str(parent_id), [])):
                if node.role in (TOP, RECORD) and node.kind == folder.parent_kind:
                    self._sync_members(node, folder)

    def _renote_owners(self, record: Record) -> None:
        """A record the navigator does not list changed (a review's note or view): the rows of
        what owns it whose features note something about them (changed after agreement) are
        noted again."""
        if record.kind in self._homes or record.kind in self._inline:
            return
        registry = self.session.store.registry
        queue, seen = [record], 0
        while queue and seen < 3:
            current = queue.pop(0)
            seen += 1
            for field_name in registry.kinds[current.kind].owned_by:
                owner = current.values.get(field_name)
                if not isinstance(owner, str) or not owner:
                    continue
                nodes = self._by_record.get(owner, [])
                if nodes and self.features.has_note(nodes[0].kind):
                    fresh = self._get(owner)
                    for node in nodes:
                        if fresh is not None and self._update_look(node, fresh):
                            idx = self.index_of(node)
                            emit(self.dataChanged, idx, idx)
                    return
                got = self._get(owner)
                if got is not None:
                    queue.append(got)

    def _follow(self, record: Record) -> None:
        """Move a record's rows to where it now belongs (or remove them), with its new look."""
        home = None if record.deleted else self._home(record)
        for node in list(self._by_record.get(record.id, [])):
            if node.role == MEMBER:
                if record.deleted:
                    self._remove(node)
                elif node.parent is not None:
                    self._update_look(node, record)
                    self._place(node.parent, node)
            elif node.role == RECORD and (home is None or node.parent is not home):
                self._remove(node)
        if home is None or not home.loaded:
            return  # not shown, or read when its folder is opened
        placed = [n for n in self._by_record.get(record.id, []) if n.parent is home]
        if placed:
            self._update_look(placed[0], record)
            self._place(home, placed[0])
            return
        node = self._record_node(record)
        self._fill_members([node])
        self._place(home, node)
        # A record shown again (made, or brought back by undo) may be listed inline elsewhere.
        for folder in self._inline.get(record.kind, []):
            parents = [
                n
                for nodes in self._by_record.values()
                for n in nodes
                if n.role in (TOP, RECORD) and n.kind == folder.parent_kind and n.record_id
            ]
            found = self._member_ids(folder, [str(n.record_id) for n in parents])
            for parent in parents:
                self._sync_members(parent, folder, found[str(parent.record_id)])

    def _sync_members(self, parent: Node, folder: Folder, ids: list[str] | None = None) -> None:
        """Make the records an inline folder lists under ``parent`` match the store (or ``ids``,
        read for many parents at once)."""
        order = next(
            (
                n
                for n, f in enumerate(self.session.store.registry.folders_under(parent.kind))
                if f is folder
            ),
            0,
        )
        if ids is None:
            ids = self._member_ids(folder, [str(parent.record_id)])[str(parent.record_id)]
        wanted = [n for n in (self._member_node(i, folder, order) for i in ids) if n is not None]
        keep = {n.record_id for n in wanted}

        def listed() -> dict[str | None, Node]:
            return {
                n.record_id: n for n in parent.children if n.role == MEMBER and n.folder is folder
            }

        for rid, node in listed().items():
            if rid not in keep:
                self._remove(node)
        have = listed()
        for node in wanted:
            old = have.get(node.record_id)
            if old is None:
                self._place(parent, node)
            else:
                changed = (old.title, old.closed, old.tooltip) != (
                    node.title,
                    node.closed,
                    node.tooltip,
                )
                self._copy_look(old, node)
                if changed:
                    self._place(parent, old)

    def _retitle(self) -> None:
        """Privacy mode changed: records are titled again (people by role, or by name again).

        From the records the rows were made from (they follow every edit), so that a regional
        partnership's hundreds of rows are not read again for a switch people flip in class.
        """
        for nodes in list(self._by_record.values()):
            rows = [n for n in nodes if n.role in (RECORD, MEMBER) and n.record is not None]
            if not rows:
                continue
            assert rows[0].record is not None
            title = self.session.short_title(rows[0].record)  # once for all its rows
            for node in rows:
                if node.title != title:
                    node.title = title
                    if node.parent is not None:
                        self._place(node.parent, node)
