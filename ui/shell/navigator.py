"""The navigator's tree model: partnership → groups (with member schools) and schools (A–Z).

Under each school, one folder per kind of record that belongs to a school (its people now;
later issues add reviews, lesson-study cycles and plans by passing more ``ChildKind``s). A folder's
records are read from the store only when it is first opened, so a regional partnership opens
at once.

The model keeps its own copy of what it shows (titles, order), so painting never touches the store,
and it follows edits one record at a time (insert, move, remove) so selection and expansion survive.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

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
from peerreview.partnership.memberships import is_current
from peerreview.sync.records import Record
from ui.shell.icons import icon
from ui.shell.session import Session
from ui.shell.signals import emit

AnyIndex = QModelIndex | QPersistentModelIndex

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class ChildKind:
    """A kind of record shown in a folder under its parent record (a school's people)."""

    parent_kind: str
    kind: str
    folder: str
    #: the field of the child that names its parent record
    link_field: str
    #: what the folder page says when there is nothing in it yet
    empty_text: str = ""


DEFAULT_CHILD_KINDS: tuple[ChildKind, ...] = (
    ChildKind(
        "school",
        "person",
        "People",
        "school",
        "No people recorded at this school yet. Add one with Edit → New person (Ctrl+Shift+N).",
    ),
)


@dataclass(eq=False)
class Node:
    """One row of the tree."""

    tag: str  # "partnership", "folder", "member" (a school in a group), or a record kind
    title: str
    record_id: str | None = None
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    loaded: bool = True
    closed: bool = False
    key: str = ""  # folders: the kind they hold; members: the membership id
    tooltip: str = ""
    order: int = 0  # folders keep their declared order

    def sort_key(self) -> tuple[Any, ...]:
        return (self.order, self.title.casefold(), self.record_id or self.key)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def _school_tooltip(r: Record) -> str:
    bits = []
    if r.values.get("urn"):
        bits.append(f"URN {r.values['urn']}")
    for name in ("phase", "town", "local_authority"):
        if r.values.get(name):
            bits.append(str(r.values[name]))
    if r.values.get("closed"):
        bits.append("closed")
    return " · ".join(dict.fromkeys(bits))


class NavigatorModel(QAbstractItemModel):
    """Adapts the store's partnership, groups, schools and their records to a tree."""

    #: a re-sync (at once or in steps) has finished: the tree matches the store again
    resynced = Signal()

    def __init__(
        self,
        session: Session,
        child_kinds: Sequence[ChildKind] = DEFAULT_CHILD_KINDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.child_kinds = tuple(child_kinds)
        self.root = Node("root", "")
        self._by_record: dict[str, list[Node]] = {}
        self._icons: dict[str, QIcon] = {}
        self._touched: set[str] = set()  # records edited while a re-sync in steps runs
        self._build()
        session.record_changed.connect(self.record_changed)
        session.records_reset.connect(self._records_reset)
        session.privacy.changed.connect(lambda _on: self._retitle_people())

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
        self.root = Node("root", "")
        self._by_record = {}
        pid = store.partnership_id
        title = "Partnership"
        if pid and store.exists(pid):
            title = store.title(pid)
        top = Node("partnership", title, record_id=pid if pid and store.exists(pid) else None)
        top.parent = self.root
        self.root.children = [top]
        groups = Node("folder", "Groups", parent=top, key="group", order=0)
        schools = Node("folder", "Schools", parent=top, key="school", order=1)
        top.children = [groups, schools]
        self.school_nodes: dict[str, Node] = {}
        for r in store.list("school"):
            node = self._school_node(r)
            node.parent = schools
            schools.children.append(node)
            self.school_nodes[r.id] = node
        schools.children.sort(key=Node.sort_key)
        members = self._members_by_group()
        for g in store.list("group"):
            node = Node("group", g.title, record_id=g.id, parent=groups)
            node.children = self._member_nodes(node, members.get(g.id, []))
            groups.children.append(node)
        groups.children.sort(key=Node.sort_key)
        self._register(top)

    def _school_node(self, r: Record) -> Node:
        node = Node(
            "school",
            r.title,
            record_id=r.id,
            closed=bool(r.values.get("closed")),
            tooltip=_school_tooltip(r),
        )
        for order, ck in enumerate(self.child_kinds):
            if ck.parent_kind == "school":
                node.children.append(
                    Node("folder", ck.folder, parent=node, key=ck.kind, loaded=False, order=order)
                )
        return node

    def _members_by_group(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        today = dt.date.today()
        for m in self.session.store.list("membership", order_by="id"):
            if m.values.get("group") and m.values.get("school") and is_current(m, today):
                out.setdefault(m.values["group"], []).append(m)
        return out

    def _member_nodes(self, group: Node, memberships: list[Record]) -> list[Node]:
        nodes = []
        for m in memberships:
            school = self.school_nodes.get(m.values["school"])
            if school is None:
                continue  # a deleted school
            nodes.append(
                Node(
                    "member",
                    school.title,
                    record_id=school.record_id,
                    parent=group,
                    closed=school.closed,
                    key=m.id,
                    tooltip=school.tooltip,
                )
            )
        nodes.sort(key=Node.sort_key)
        return nodes

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
        """The re-sync as small steps: each ``yield`` is a point where it may pause."""
        store = self.session.store
        top = self.root.children[0]
        pid = store.partnership_id
        if pid and store.exists(pid):
            record = store.get(pid)
            if top.record_id is None:
                top.record_id = pid
                self._register(top)
            if top.title != record.title:
                top.title = record.title
                idx = self.index_of(top)
                emit(self.dataChanged, idx, idx)
        schools = self.folder("school")
        records = store.list("school")
        yield
        yield from self._sync_list_steps(
            schools, records, make=self._school_node, update=self._update_school
        )
        self.school_nodes = {n.record_id: n for n in schools.children if n.record_id}
        for school in list(schools.children):
            for folder in list(school.children):
                if folder.tag != "folder" or not folder.loaded or school.parent is not schools:
                    continue
                ck = self._child_kind(folder)
                assert ck is not None
                yield
                yield from self._sync_list_steps(
                    folder,
                    store.list(ck.kind, where={ck.link_field: school.record_id}),
                    make=lambda r: Node(r.kind, self._title(r), record_id=r.id),
                    update=lambda n, r: self._set_title(n, self._title(r)),
                )
        groups = self.folder("group")
        records = store.list("group")
        yield
        yield from self._sync_list_steps(
            groups,
            records,
            make=lambda r: Node("group", r.title, record_id=r.id),
            update=lambda n, r: self._set_title(n, r.title),
        )
        members = self._members_by_group()
        yield
        for group in list(groups.children):
            if group.parent is groups and group.record_id not in self._touched:
                self._sync_members(group, members.get(str(group.record_id), []))
                yield

    def _title(self, record: Record) -> str:
        return self.session.short_title(record)

    @staticmethod
    def _set_title(node: Node, title: str) -> bool:
        changed = node.title != title
        node.title = title
        return changed

    def _update_school(self, node: Node, record: Record) -> bool:
        changed = (node.title, node.closed, node.tooltip) != (
            record.title,
            bool(record.values.get("closed")),
            _school_tooltip(record),
        )
        node.title = record.title
        node.closed = bool(record.values.get("closed"))
        node.tooltip = _school_tooltip(record)
        return changed

    def _sync_list_steps(
        self, parent: Node, records: list[Record], make: Any, update: Any
    ) -> Iterator[None]:
        """Make ``parent``'s record children match ``records`` (insert, update, move, remove),
        pausing after each row. Records edited since ``records`` were read are left alone: the
        edit has already been followed with fresher values."""
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
        new_nodes = [make(r) for r in wanted.values() if r.id not in existing]
        if not parent.children and new_nodes:
            new_nodes.sort(key=Node.sort_key)
            self.beginInsertRows(self.index_of(parent), 0, len(new_nodes) - 1)
            for n in new_nodes:
                n.parent = parent
            parent.children = new_nodes
            for n in new_nodes:
                self._register(n)
            self.endInsertRows()
            if parent.tag == "folder":
                pi = self.index_of(parent)
                emit(self.dataChanged, pi, pi)
            return
        for rid, node in existing.items():
            if rid in wanted and rid not in self._touched and node.parent is parent:
                if update(node, wanted[str(rid)]):
                    self._place(parent, node)
                    yield
        for node in new_nodes:
            rid = str(node.record_id)
            shown = any(n.parent is parent for n in self._by_record.get(rid, []))
            if rid not in self._touched and not shown and parent.parent is not None:
                self._place(parent, node)
                yield

    def _child_kind(self, folder: Node) -> ChildKind | None:
        parent = folder.parent
        for ck in self.child_kinds:
            if parent is not None and ck.parent_kind == parent.tag and ck.kind == folder.key:
                return ck
        return None

    def _load_folder(self, folder: Node) -> list[Node]:
        ck = self._child_kind(folder)
        assert ck is not None and folder.parent is not None
        out = []
        for r in self.session.store.list(ck.kind, where={ck.link_field: folder.parent.record_id}):
            out.append(
                Node(
                    r.kind,
                    self.session.short_title(r),
                    record_id=r.id,
                    parent=folder,
                )
            )
        out.sort(key=Node.sort_key)
        return out

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
        assert up.parent is not None
        return self.createIndex(up.parent.children.index(up), 0, up)

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
        children = self._load_folder(node)
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
                return "Partnership"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if (
                node.tag == "folder"
                and node.loaded
                and node.parent
                and node.parent.tag != "partnership"
            ):
                return f"{node.title} ({len(node.children)})"
            return f"{node.title} (closed)" if node.closed else node.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{node.title}, closed" if node.closed else node.title
        if role == Qt.ItemDataRole.DecorationRole:
            name = {"member": "school"}.get(node.tag, node.tag)
            if name not in self._icons:
                self._icons[name] = icon(name)
            return self._icons[name]
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.tag == "folder":
                return None
            # The full name first: a narrow navigator cuts long names short ("St Peter's Cath…").
            return f"{node.title}\n{node.tooltip}" if node.tooltip else node.title
        if role == Qt.ItemDataRole.ForegroundRole and node.closed:
            return QGuiApplication.palette().color(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        if role == Qt.ItemDataRole.FontRole and node.tag in ("partnership", "folder"):
            font = QFont()
            font.setBold(
                node.tag == "partnership"
                or node.parent is not None
                and node.parent.tag == "partnership"
            )
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
        return self.createIndex(node.parent.children.index(node), 0, node)

    def node_at(self, index: AnyIndex) -> Node | None:
        return self._node(index) if index.isValid() else None

    def named_rows(self) -> Iterator[tuple[str, int]]:
        """(title, depth) of the partnership, its groups and schools and the groups' members:
        the rows whose names set how wide the navigator wants to be."""
        top = self.root.children[0]
        yield top.title, 0
        for folder in top.children:
            for node in folder.children:
                yield node.title, 2
                for member in node.children:
                    if member.tag == "member":
                        yield member.title, 3

    def folder(self, key: str) -> Node:
        """The partnership's "group" or "school" folder."""
        top = self.root.children[0]
        return next(n for n in top.children if n.key == key)

    def child_folder_index(self, record_id: str, kind: str) -> QModelIndex:
        """The folder of ``kind`` records under a record (a school's "People")."""
        for node in self._by_record.get(record_id, []):
            for folder in node.children:
                if folder.tag == "folder" and folder.key == kind:
                    return self.index_of(folder)
        return QModelIndex()

    def index_for_record(self, record_id: str) -> QModelIndex:
        """Where a record is shown (opening folders as needed); invalid when nowhere."""
        nodes = [n for n in self._by_record.get(record_id, []) if n.tag != "member"]
        if nodes:
            return self.index_of(nodes[0])
        try:
            record = self.session.store.get(record_id)
        except PeerReviewError:
            return QModelIndex()
        if record.deleted:
            return QModelIndex()
        owner = self._owner(record)
        if owner is None:
            return QModelIndex()
        folder_node, _ck = owner
        if not folder_node.loaded:
            self.fetchMore(self.index_of(folder_node))
        nodes = [n for n in self._by_record.get(record_id, []) if n.tag != "member"]
        return self.index_of(nodes[0]) if nodes else QModelIndex()

    def _owner(self, record: Record) -> tuple[Node, ChildKind] | None:
        """The folder a record of a child kind belongs in, when its parent is shown."""
        for ck in self.child_kinds:
            if ck.kind != record.kind:
                continue
            parent_id = record.values.get(ck.link_field)
            for parent in self._by_record.get(str(parent_id), []):
                if parent.tag == ck.parent_kind:
                    for folder in parent.children:
                        if folder.tag == "folder" and folder.key == ck.kind:
                            return folder, ck
        return None

    # ================================================================== following edits

    def _place(self, parent: Node, node: Node) -> None:
        """Put ``node`` at its sorted place among ``parent``'s children (insert or move)."""
        siblings = parent.children
        pidx = self.index_of(parent)
        if node in siblings:
            cur = siblings.index(node)
            others = [s.sort_key() for s in siblings[:cur] + siblings[cur + 1 :]]
            pos = bisect.bisect_left(others, node.sort_key())
            if pos != cur:
                dest = pos if pos < cur else pos + 1
                self.beginMoveRows(pidx, cur, cur, pidx, dest)
                siblings.pop(cur)
                siblings.insert(pos, node)
                self.endMoveRows()
            idx = self.index_of(node)
            emit(self.dataChanged, idx, idx)
            if parent.tag == "folder" and parent.parent and parent.parent.tag != "partnership":
                pi = self.index_of(parent)
                emit(self.dataChanged, pi, pi)
            return
        keys = [s.sort_key() for s in siblings]
        pos = bisect.bisect_left(keys, node.sort_key())
        self.beginInsertRows(pidx, pos, pos)
        node.parent = parent
        siblings.insert(pos, node)
        self._register(node)
        self.endInsertRows()
        if parent.tag == "folder":
            pi = self.index_of(parent)
            emit(self.dataChanged, pi, pi)

    def _remove(self, node: Node) -> None:
        parent = node.parent
        if parent is None or node not in parent.children:
            return
        row = parent.children.index(node)
        self.beginRemoveRows(self.index_of(parent), row, row)
        parent.children.pop(row)
        self._unregister(node)
        node.parent = None
        self.endRemoveRows()
        if parent.tag == "folder":
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
        if kind == "partnership":
            top = self.root.children[0]
            top.title = record.title
            if top.record_id is None:
                top.record_id = record.id
                self._register(top)
            idx = self.index_of(top)
            emit(self.dataChanged, idx, idx)
        elif kind == "school":
            self._school_changed(record)
        elif kind == "group":
            self._group_changed(record)
        elif kind == "membership":
            group_id = record.values.get("group")
            if self.syncing:
                self._touched.add(str(group_id))
            for node in list(self._by_record.get(str(group_id), [])):
                if node.tag == "group":
                    self._sync_members(node)
        else:
            self._child_changed(record)

    def _school_changed(self, record: Record) -> None:
        folder = self.folder("school")
        existing = self.school_nodes.get(record.id)
        if record.deleted:
            for node in list(self._by_record.get(record.id, [])):
                self._remove(node)
            self.school_nodes.pop(record.id, None)
            return
        if existing is None:
            node = self._school_node(record)
            self.school_nodes[record.id] = node
            self._place(folder, node)
            for group in self.folder("group").children:
                self._sync_members(group)
            return
        for node in list(self._by_record.get(record.id, [])):
            node.title = record.title
            node.closed = bool(record.values.get("closed"))
            node.tooltip = _school_tooltip(record)
            if node.parent is not None:
                self._place(node.parent, node)

    def _group_changed(self, record: Record) -> None:
        folder = self.folder("group")
        nodes = [n for n in self._by_record.get(record.id, []) if n.tag == "group"]
        if record.deleted:
            for node in nodes:
                self._remove(node)
            return
        if nodes:
            nodes[0].title = record.title
            self._place(folder, nodes[0])
        else:
            node = Node("group", record.title, record_id=record.id)
            self._place(folder, node)
            self._sync_members(node)

    def _sync_members(self, group: Node, current: list[Record] | None = None) -> None:
        """Make a group's member schools match its current memberships."""
        if current is None:
            memberships = self.session.store.list("membership", where={"group": group.record_id})
            today = dt.date.today()
            current = [m for m in memberships if m.values.get("school") and is_current(m, today)]
        wanted = self._member_nodes(group, current)
        by_key = {n.key: n for n in wanted}
        for node in list(group.children):
            if node.key not in by_key:
                self._remove(node)
        have = {n.key: n for n in group.children}
        for node in wanted:
            old = have.get(node.key)
            if old is None:
                self._place(group, node)
            elif (old.title, old.closed) != (node.title, node.closed):
                old.title, old.closed, old.tooltip = node.title, node.closed, node.tooltip
                self._place(group, old)

    def _child_changed(self, record: Record) -> None:
        title = self.session.short_title(record)
        owner = None if record.deleted else self._owner(record)
        for node in list(self._by_record.get(record.id, [])):
            if owner is None or node.parent is not owner[0]:
                self._remove(node)
        if owner is None:
            return
        folder, _ck = owner
        if not folder.loaded:
            return  # read when the folder is opened
        nodes = [n for n in self._by_record.get(record.id, []) if n.parent is folder]
        node = nodes[0] if nodes else Node(record.kind, title, record_id=record.id)
        node.title = title
        self._place(folder, node)

    def _retitle_people(self) -> None:
        """Privacy mode changed: people are shown by role (or by name again)."""
        store = self.session.store
        for rid, nodes in list(self._by_record.items()):
            people = [n for n in nodes if n.tag == "person"]
            if not people:
                continue
            try:
                record = store.get(rid)
            except PeerReviewError:
                continue
            for node in people:
                node.title = self.session.short_title(record)
                if node.parent is not None:
                    self._place(node.parent, node)
