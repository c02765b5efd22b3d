"""Forms as data: load and check the TOML definitions in forms/ that say what people fill in."""

from __future__ import annotations

import difflib
import enum
import os
import re
import tomllib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from peerreview.errors import FormError

__all__ = [
    "Column",
    "Field",
    "FieldType",
    "FormDefinition",
    "FormError",
    "FormKey",
    "FormLibrary",
    "GridAxis",
    "GridDefinition",
    "GridItem",
    "GridRecords",
    "Privacy",
    "Scale",
    "ScaleLevel",
    "Section",
    "forms_dir",
    "load_form",
    "load_forms",
]

#: A form is identified by its id and version; records store both.
FormKey = tuple[str, int]

# Lowercase letters and digits, words joined by single hyphens or underscores: "review-estimates",
# "local_authority". Safe in file names, URLs and SQL column names alike.
_SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")
_TOML_ERROR_RE = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")

_TOP_KEYS = ("form", "scale", "section")
#: A record's own bookkeeping fields, never a form's answer.
_RECORD_INTERNAL = frozenset({"deleted", "form_id", "form_version", "purged"})
_FORM_KEYS = ("id", "version", "title", "kind", "description")
_SCALE_KEYS = ("id", "title", "description", "levels")
_LEVEL_KEYS = ("value", "label", "description")
_SECTION_KEYS = ("id", "title", "help", "record", "field")
_FIELD_KEYS = (
    "id",
    "label",
    "type",
    "required",
    "help",
    "privacy",
    "options",
    "scale",
    "columns",
)
_GRID_FIELD_KEYS = (*_FIELD_KEYS, "rows")
_COLUMN_KEYS = ("id", "label", "type", "help", "privacy", "options")
_GRID_ITEM_KEYS = ("id", "label")
_GRID_RECORDS_KEYS = ("kind", "link", "of", "label", "order")
# A path of fields from a grid's record: "id", "cycle", "lesson.cycle".
_PATH_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$")
# Field names of a kind: lowercase words joined by underscores.
_FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class FieldType(enum.Enum):
    """What kind of answer a field takes, and so which editor the UI builds for it."""

    TEXT = "text"
    LONGTEXT = "longtext"
    CHOICE = "choice"
    SCALE = "scale"
    DATE = "date"
    PERSON = "person"
    SCHOOL = "school"
    CHECKLIST = "checklist"
    ROWS = "rows"
    GRID = "grid"
    NUMBER = "number"
    BOOLEAN = "boolean"

    @property
    def is_scalar(self) -> bool:
        """True for types that hold one simple value and so may be used as a column of rows."""
        return self in _SCALAR_TYPES

    @property
    def takes_options(self) -> bool:
        """True for types whose answers come from a list of options."""
        return self in (FieldType.CHOICE, FieldType.CHECKLIST)


_SCALAR_TYPES = frozenset(
    {
        FieldType.TEXT,
        FieldType.LONGTEXT,
        FieldType.CHOICE,
        FieldType.DATE,
        FieldType.PERSON,
        FieldType.SCHOOL,
        FieldType.NUMBER,
        FieldType.BOOLEAN,
    }
)


class Privacy(enum.Enum):
    """Whether a field holds personal data (pupils' or staff names, contact details)."""

    ORDINARY = "ordinary"
    PERSONAL = "personal"  # hidden in privacy mode


@dataclass(frozen=True)
class ScaleLevel:
    """One level of a scale: the stored value and the words people see."""

    value: str
    label: str
    description: str = ""

    @classmethod
    def from_table(cls, table: object, *, source: str, scale: str, position: int) -> ScaleLevel:
        """Build a level from entry ``position`` (from 1) of the ``levels`` of scale ``scale``."""
        where = f'level {position} of scale "{scale}"'
        r = _Reader.of(table, source, where, hint='{ value = "...", label = "..." }')
        value = r.slug("value")
        r.where = f'level "{value}" of scale "{scale}"'
        r.check_keys(_LEVEL_KEYS)
        return cls(value=value, label=r.text("label"), description=r.text("description", False))


@dataclass(frozen=True)
class Scale:
    """An ordered scale of judgements or estimates, best level first."""

    id: str
    title: str
    levels: tuple[ScaleLevel, ...]
    description: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        """The stored values, best first."""
        return tuple(level.value for level in self.levels)

    def level(self, value: str) -> ScaleLevel:
        """The level stored as ``value``.

        Raises:
            KeyError: the scale has no such level.
        """
        for level in self.levels:
            if level.value == value:
                return level
        raise KeyError(f'scale "{self.id}" has no level "{value}"')

    @classmethod
    def from_table(cls, table: object, *, source: str, position: int) -> Scale:
        """Build a scale from one ``[[scale]]`` table; ``position`` counts from 1."""
        r = _Reader.of(table, source, f"scale {position}", hint="[[scale]]")
        scale_id = r.slug("id")
        r.where = f'scale "{scale_id}"'
        r.check_keys(_SCALE_KEYS)
        title = r.text("title")
        description = r.text("description", False)
        entries = r.tables("levels", hint='levels = [{ value = "...", label = "..." }, ...]')
        if len(entries) < 2:
            r.fail(f'{r.where} needs at least two levels in "levels", best first.')
        levels = tuple(
            ScaleLevel.from_table(entry, source=source, scale=scale_id, position=n)
            for n, entry in enumerate(entries, start=1)
        )
        _reject_duplicates(
            r, (level.value for level in levels), f'{r.where} has two levels with the value "{{}}".'
        )
        return cls(id=scale_id, title=title, levels=levels, description=description)


@dataclass(frozen=True)
class Column:
    """One column of a repeating-rows field; always a scalar type."""

    id: str
    label: str
    type: FieldType
    options: tuple[str, ...] = ()
    help: str = ""
    privacy: Privacy = Privacy.ORDINARY

    @property
    def personal(self) -> bool:
        """True when the column holds personal data that privacy mode hides."""
        return self.privacy is Privacy.PERSONAL

    @classmethod
    def from_table(cls, table: object, *, source: str, owner: str, position: int) -> Column:
        """Build a column from entry ``position`` (from 1) of a rows field's ``columns`` list.

        ``owner`` names the field for messages, e.g. ``field "actions" in section "plan"``.
        """
        hint = '{ id = "...", label = "...", type = "text" }'
        r = _Reader.of(table, source, f"column {position} of {owner}", hint=hint)
        column_id = r.slug("id")
        r.where = f'column "{column_id}" of {owner}'
        r.check_keys(_COLUMN_KEYS)
        label = r.text("label")
        column_type = r.field_type()
        if not column_type.is_scalar:
            r.fail(
                f'{r.where} has type "{column_type.value}", which cannot be used in a column; '
                f"use one of {_names(t for t in FieldType if t.is_scalar)}."
            )
        options = r.options(column_type)
        return cls(
            id=column_id,
            label=label,
            type=column_type,
            options=options,
            help=r.text("help", False),
            privacy=r.privacy(),
        )


@dataclass(frozen=True)
class GridItem:
    """One row or column a form lists by hand: a stable id (where cells are kept) and its label."""

    id: str
    label: str


@dataclass(frozen=True)
class GridRecords:
    """Rows or columns that are records: those of ``kind`` whose field ``link`` names the record
    reached from the grid's own record by ``of``.

    ``of`` is ``"id"`` for the grid's record itself, a reference field of it (``"cycle"``), or a
    path of them (``"lesson.cycle"``: the cycle of the lesson it names). Each record shows as its
    field ``label`` (its usual name when ""), ordered by its field ``order`` (the order they were
    made in when "").
    """

    kind: str
    link: str
    of: str = "id"
    label: str = ""
    order: str = ""


@dataclass(frozen=True)
class GridAxis:
    """The rows (or the columns) of a grid: listed in the form, or records of the store."""

    items: tuple[GridItem, ...] = ()
    records: GridRecords | None = None

    @classmethod
    def from_value(cls, value: object, *, source: str, owner: str, key: str) -> GridAxis:
        """Read ``rows`` or ``columns`` (``key``) of the grid field ``owner`` names."""
        hint = _grid_hint(key)
        if isinstance(value, Mapping):
            r = _Reader(value, source, f"the {key} of {owner}")
            r.check_keys(_GRID_RECORDS_KEYS)
            records = GridRecords(
                kind=r.slug("kind"),
                link=r.name("link"),
                of=r.path("of") or "id",
                label=r.name("label", required=False),
                order=r.name("order", required=False),
            )
            return cls(records=records)
        if not isinstance(value, list):
            raise FormError(f"{source}: {owner} needs {hint}.")
        if not value:
            raise FormError(f"{source}: {owner} has no {key}; list at least one, or name records.")
        items: list[GridItem] = []
        for n, entry in enumerate(value, start=1):
            r = _Reader.of(entry, source, f"entry {n} of the {key} of {owner}", '{ id = "..." }')
            item_id = r.slug("id")
            r.where = f'entry "{item_id}" of the {key} of {owner}'
            r.check_keys(_GRID_ITEM_KEYS)
            items.append(GridItem(id=item_id, label=r.text("label")))
        found = _Reader({}, source, owner)
        _reject_duplicates(
            found, (i.id for i in items), f'{owner} has two {key} with the id "{{}}".'
        )
        return cls(items=tuple(items))


@dataclass(frozen=True)
class GridDefinition:
    """A grid of text cells: rows down, columns across (lesson stages by case pupils)."""

    rows: GridAxis
    columns: GridAxis


@dataclass(frozen=True)
class Field:
    """One question or box on a form."""

    id: str
    label: str
    type: FieldType
    required: bool = False
    help: str = ""
    privacy: Privacy = Privacy.ORDINARY
    options: tuple[str, ...] = ()  # choice and checklist fields
    scale: Scale | None = None  # scale fields: the declared scale, resolved
    columns: tuple[Column, ...] = ()  # rows fields
    grid: GridDefinition | None = None  # grid fields

    @property
    def personal(self) -> bool:
        """True when the field holds personal data that privacy mode hides."""
        return self.privacy is Privacy.PERSONAL

    @classmethod
    def from_table(
        cls,
        table: object,
        *,
        source: str,
        section: str,
        position: int,
        scales: Mapping[str, Scale],
    ) -> Field:
        """Build a field from one ``[[section.field]]`` table.

        Args:
            table: the parsed table.
            source: the file name, for error messages.
            section: the id of the section the field is in.
            position: the field's place in its section, counting from 1.
            scales: the scales declared in the same file, by id.
        """
        r = _Reader.of(
            table, source, f'field {position} in section "{section}"', "[[section.field]]"
        )
        field_id = r.slug("id")
        r.where = f'field "{field_id}" in section "{section}"'
        r.check_keys(_GRID_FIELD_KEYS if r.table.get("type") == "grid" else _FIELD_KEYS)
        label = r.text("label")
        field_type = r.field_type()
        options = r.options(field_type)

        scale: Scale | None = None
        scale_id = r.slug("scale", required=False)
        if field_type is FieldType.SCALE:
            if not scale_id:
                r.fail(
                    f"{r.where} is a scale field but names no scale; "
                    'add scale = "..." with the id of a [[scale]] in this file.'
                )
            scale = scales.get(scale_id)
            if scale is None:
                r.fail(f'{r.where} uses scale "{scale_id}", which is not declared in this file.')
        elif scale_id:
            r.fail(f"{r.where} names a scale, but only scale fields take one.")

        columns: tuple[Column, ...] = ()
        if field_type is FieldType.ROWS:
            entries = r.tables("columns", required=False, hint=_COLUMNS_HINT)
            if not entries:
                r.fail(f"{r.where} is a rows field but has no columns; add {_COLUMNS_HINT}.")
            columns = tuple(
                Column.from_table(entry, source=source, owner=r.where, position=n)
                for n, entry in enumerate(entries, start=1)
            )
            _reject_duplicates(
                r, (c.id for c in columns), f'{r.where} has two columns with the id "{{}}".'
            )
        grid: GridDefinition | None = None
        if field_type is FieldType.GRID:
            axes = []
            for key in ("rows", "columns"):
                if key not in r.table:
                    r.fail(f"{r.where} is a grid field but has no {key}; add {_grid_hint(key)}.")
                axes.append(
                    GridAxis.from_value(r.table[key], source=source, owner=r.where, key=key)
                )
            grid = GridDefinition(rows=axes[0], columns=axes[1])
        elif field_type is not FieldType.ROWS and "columns" in r.table:
            r.fail(f"{r.where} has columns, but only rows fields take columns.")

        return cls(
            id=field_id,
            label=label,
            type=field_type,
            required=r.boolean("required", default=False),
            help=r.text("help", False),
            privacy=r.privacy(),
            options=options,
            scale=scale,
            columns=columns,
            grid=grid,
        )


_COLUMNS_HINT = 'columns = [{ id = "...", label = "...", type = "text" }, ...]'


def _grid_hint(key: str) -> str:
    """How to write a grid's rows or columns (``key``)."""
    listed = f'{key} = [{{ id = "...", label = "..." }}, ...]'
    return f'{listed} or {key} = {{ kind = "...", link = "..." }}'


@dataclass(frozen=True)
class Section:
    """A titled group of fields: one heading of a framework, one part of a proforma."""

    id: str
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    #: the kind of record this section's fields are kept on, when it is not the form's own kind
    #: (a lesson-study proforma's sections for the research lesson and each stage of it)
    record: str = ""

    @classmethod
    def from_table(
        cls, table: object, *, source: str, position: int, scales: Mapping[str, Scale]
    ) -> Section:
        """Build a section from one ``[[section]]`` table; ``position`` counts from 1."""
        r = _Reader.of(table, source, f"section {position}", hint="[[section]]")
        section_id = r.slug("id")
        r.where = f'section "{section_id}"'
        r.check_keys(_SECTION_KEYS)
        title = r.text("title")
        help_text = r.text("help", False)
        record = r.slug("record", required=False)
        entries = r.tables("field", required=False, hint="[[section.field]]")
        if not entries:
            r.fail(f"{r.where} has no fields; add at least one [[section.field]] table.")
        fields = tuple(
            Field.from_table(entry, source=source, section=section_id, position=n, scales=scales)
            for n, entry in enumerate(entries, start=1)
        )
        return cls(id=section_id, title=title, fields=fields, help=help_text, record=record)


@dataclass(frozen=True)
class FormDefinition:
    """One version of one form: its sections, fields and scales."""

    id: str
    version: int
    title: str
    kind: str  # the kind of record it describes: "school", "review", ...
    description: str
    sections: tuple[Section, ...]
    scales: tuple[Scale, ...]
    source: str = field(default="", compare=False)  # where it was read from, for messages

    @property
    def key(self) -> FormKey:
        """``(id, version)``: what a record stores to say which form it was made with."""
        return (self.id, self.version)

    @property
    def dynamic_prefix(self) -> str:
        """How the store names this form's answers that are not fields of the kind itself:
        ``<prefix>.<field id>`` (every version of a form shares them)."""
        return dynamic_prefix(self.id)

    def fields(self) -> Iterator[Field]:
        """Every field of the form, section by section, in order."""
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> Field:
        """The field called ``field_id`` (field ids are unique within a form).

        Raises:
            KeyError: the form has no such field.
        """
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        raise KeyError(f'form "{self.id}" version {self.version} has no field "{field_id}"')

    def sections_of(self, kind: str) -> tuple[Section, ...]:
        """The sections whose fields are kept on records of ``kind``, in order."""
        return tuple(s for s in self.sections if (s.record or self.kind) == kind)

    def store_field(self, field_id: str, declared: Collection[str]) -> str:
        """Where a record keeps this form's answer to ``field_id``.

        In the kind's declared field of that name (``declared``), else in a form field named
        ``<form id>.<field id>`` (hyphens as underscores), so two forms on one kind never clash
        and every version of one form keeps its answers.
        """
        if field_id in declared and field_id not in _RECORD_INTERNAL:
            return field_id
        return f"{self.dynamic_prefix}.{field_id}"

    def section(self, section_id: str) -> Section:
        """The section called ``section_id``.

        Raises:
            KeyError: the form has no such section.
        """
        for candidate in self.sections:
            if candidate.id == section_id:
                return candidate
        raise KeyError(f'form "{self.id}" version {self.version} has no section "{section_id}"')

    def scale(self, scale_id: str) -> Scale:
        """The scale declared as ``scale_id``.

        Raises:
            KeyError: the form declares no such scale.
        """
        for candidate in self.scales:
            if candidate.id == scale_id:
                return candidate
        raise KeyError(f'form "{self.id}" version {self.version} has no scale "{scale_id}"')

    @classmethod
    def from_toml(cls, text: str, *, source: str = "form") -> FormDefinition:
        """Parse and check one form definition written in TOML.

        Args:
            text: the TOML text.
            source: the file it came from, named at the start of every error message.

        Raises:
            FormError: the text is not valid TOML or not a valid form definition.
        """
        try:
            data = tomllib.loads(text.removeprefix("\ufeff"))
        except tomllib.TOMLDecodeError as exc:
            raise FormError(_describe_toml_error(source, text, exc)) from None
        return cls.from_mapping(data, source=source)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object], *, source: str = "form") -> FormDefinition:
        """Check and convert an already parsed definition (the tables TOML would give).

        Raises:
            FormError: the data is not a valid form definition.
        """
        top = _Reader(data, source, "the file")
        top.check_keys(_TOP_KEYS, what="top-level key")
        form_table = data.get("form")
        if form_table is None:
            top.fail(
                "the file has no [form] table; start it with [form] and its id, version and title."
            )
        if not isinstance(form_table, Mapping):
            top.fail("[form] must be a single table, written [form], not a list or a value.")
        r = _Reader(form_table, source, "the [form] table")
        r.check_keys(_FORM_KEYS)
        form_id = r.slug("id")
        version = r.positive_int("version")
        title = r.text("title")
        kind = r.slug("kind")
        description = r.text("description", False)

        scales = tuple(
            Scale.from_table(entry, source=source, position=n)
            for n, entry in enumerate(top.tables("scale", required=False, hint="[[scale]]"), 1)
        )
        _reject_duplicates(
            top, (s.id for s in scales), 'scale id "{}" is declared twice in this file.'
        )
        by_id = {s.id: s for s in scales}

        section_tables = top.tables("section", required=False, hint="[[section]]")
        if not section_tables:
            top.fail("the form has no sections; add at least one [[section]] table.")
        sections = tuple(
            Section.from_table(entry, source=source, position=n, scales=by_id)
            for n, entry in enumerate(section_tables, start=1)
        )
        _reject_duplicates(
            top, (s.id for s in sections), 'section id "{}" is used twice in this form.'
        )
        seen: dict[str, str] = {}
        for section in sections:
            for item in section.fields:
                if item.id in seen:
                    first = seen[item.id]
                    place = (
                        f'both in section "{first}"'
                        if first == section.id
                        else f'in section "{first}" and in section "{section.id}"'
                    )
                    top.fail(f'field id "{item.id}" is used twice in this form, {place}.')
                seen[item.id] = section.id

        return cls(
            id=form_id,
            version=version,
            title=title,
            kind=kind,
            description=description,
            sections=sections,
            scales=scales,
            source=source,
        )


def dynamic_prefix(form_id: str) -> str:
    """The prefix of the fields a record keeps a form's own answers in (a record stores the id of
    its form, so this is known without the form's file): ``lesson-study-dudley`` ->
    ``lesson_study_dudley``."""
    return re.sub(r"[^a-z0-9_]", "_", form_id)


class FormLibrary:
    """Every form definition available, keyed by ``(id, version)``."""

    __slots__ = ("_forms",)

    def __init__(self, forms: Iterable[FormDefinition] = ()) -> None:
        """Collect ``forms``.

        Raises:
            FormError: two definitions share an id and version, or versions of one form describe
                different kinds of record.
        """
        collected: dict[FormKey, FormDefinition] = {}
        kinds: dict[str, FormDefinition] = {}
        for form in forms:
            other = collected.get(form.key)
            if other is not None:
                raise FormError(
                    f'{form.source}: form "{form.id}" version {form.version} is already defined '
                    f"in {other.source}; give the copy a new id or a higher version."
                )
            first = kinds.setdefault(form.id, form)
            if first.kind != form.kind:
                raise FormError(
                    f'{form.source}: form "{form.id}" version {form.version} describes a '
                    f"{form.kind}, but version {first.version} in {first.source} describes a "
                    f"{first.kind}; every version of a form must describe the same kind of record."
                )
            collected[form.key] = form
        self._forms: Mapping[FormKey, FormDefinition] = MappingProxyType(
            dict(sorted(collected.items()))
        )

    def get(self, form_id: str, version: int | None = None) -> FormDefinition:
        """The form ``form_id`` at ``version``, or its latest version when ``version`` is None.

        Raises:
            FormError: no such form or version is installed.
        """
        versions = self.versions(form_id)
        if not versions:
            raise FormError(f'There is no form "{form_id}" in the forms folder.')
        if version is None:
            version = versions[-1]
        form = self._forms.get((form_id, version))
        if form is None:
            raise FormError(
                f'Form "{form_id}" version {version} is not installed; the forms folder has '
                f"{'version' if len(versions) == 1 else 'versions'} {_and(map(str, versions))}."
            )
        return form

    def versions(self, form_id: str) -> list[int]:
        """The versions of ``form_id`` available, oldest first (empty when there is none)."""
        return [version for (fid, version) in self._forms if fid == form_id]

    def latest(self, kind: str | None = None) -> list[FormDefinition]:
        """The newest version of every form (of ``kind`` only, when given), ordered by id."""
        newest: dict[str, FormDefinition] = {}
        for (form_id, _version), form in self._forms.items():  # sorted: later versions win
            newest[form_id] = form
        return [f for f in newest.values() if kind is None or f.kind == kind]

    def __iter__(self) -> Iterator[FormDefinition]:
        """Every definition, ordered by id then version."""
        return iter(self._forms.values())

    def __len__(self) -> int:
        return len(self._forms)

    def __contains__(self, item: object) -> bool:
        """``"school" in library`` (any version) or ``("school", 1) in library``."""
        if isinstance(item, str):
            return any(fid == item for (fid, _v) in self._forms)
        return item in self._forms

    def __repr__(self) -> str:
        return f"FormLibrary({[f'{fid} v{v}' for (fid, v) in self._forms]})"


def load_form(path: str | os.PathLike[str]) -> FormDefinition:
    """Read and check one form definition file.

    Raises:
        FormError: the file cannot be read, is not UTF-8, or is not a valid definition.
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise FormError(f"{file}: there is no such form file.") from None
    except OSError as exc:
        raise FormError(f"{file}: the form file could not be read ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as Windows Notepad writes, is fine
    except UnicodeDecodeError:
        raise FormError(
            f"{file}: the file is not saved as UTF-8 text; save it as UTF-8 and try again."
        ) from None
    return FormDefinition.from_toml(text, source=str(file))


def load_forms(directory: str | os.PathLike[str], *more: str | os.PathLike[str]) -> FormLibrary:
    """Read every ``*.toml`` file in ``directory`` (and any ``more`` folders) into one library.

    Passing the shipped folder and a partnership's own folder gives one library of both.

    Raises:
        FormError: a folder is missing, a file is not valid, or two files define the same form
            id and version.
    """
    forms: list[FormDefinition] = []
    for folder in (Path(directory), *(Path(m) for m in more)):
        if not folder.is_dir():
            raise FormError(f"{folder}: there is no forms folder here.")
        forms.extend(load_form(p) for p in sorted(folder.glob("*.toml")) if p.is_file())
    return FormLibrary(forms)


def forms_dir() -> Path:
    """The folder of form definitions shipped with PeerReview.

    An installed wheel carries them as ``peerreview/_data/forms``; a source checkout has ``forms/``
    at the top of the repository.

    Raises:
        FormError: neither folder exists (a broken installation).
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "_data" / "forms", package.parent / "forms"):
        if candidate.is_dir():
            return candidate
    raise FormError("The forms folder that comes with PeerReview is missing; reinstall PeerReview.")


class _Reader:
    """Reads the keys of one parsed table, naming the file and the place in every error."""

    __slots__ = ("table", "source", "where")

    def __init__(self, table: Mapping[str, object], source: str, where: str) -> None:
        self.table = table
        self.source = source
        self.where = where

    @classmethod
    def of(cls, table: object, source: str, where: str, hint: str) -> _Reader:
        if not isinstance(table, Mapping):
            raise FormError(
                f"{source}: {where} must be a table, written {hint}, not {_show(table)}."
            )
        return cls(table, source, where)

    def fail(self, problem: str) -> NoReturn:
        raise FormError(f"{self.source}: {problem}")

    def check_keys(self, allowed: Collection[str], what: str = "key") -> None:
        for key in self.table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                tip = f'; did you mean "{close[0]}"?' if close else f"; use {_names(allowed)}."
                self.fail(f'{self.where} has an unknown {what} "{key}"{tip}')

    def _wrong(self, key: str, expected: str, value: object) -> NoReturn:
        self.fail(f'"{key}" in {self.where} must be {expected}, not {_show(value)}.')

    def text(self, key: str, required: bool = True) -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(f'{self.where} is missing the required key "{key}".')
            return ""
        if not isinstance(value, str):
            self._wrong(key, "text in quotes", value)
        value = value.strip()
        if required and not value:
            self.fail(f'"{key}" in {self.where} is empty.')
        return value

    def slug(self, key: str, required: bool = True) -> str:
        value = self.text(key, required)
        if value and not _SLUG_RE.match(value):
            self.fail(
                f'"{key}" in {self.where} is "{value}", which is not a valid id; use lowercase '
                "letters and digits, starting with a letter, with words joined by - or _."
            )
        return value

    def name(self, key: str, required: bool = True) -> str:
        """A field name of a kind: lowercase words joined by underscores."""
        value = self.text(key, required)
        if value and not _FIELD_NAME_RE.match(value):
            self.fail(
                f'"{key}" in {self.where} is "{value}", which is not a field name; use lowercase '
                "letters and digits, starting with a letter, with words joined by _."
            )
        return value

    def path(self, key: str) -> str:
        """Field names joined by dots (``lesson.cycle``), or "" when absent."""
        value = self.text(key, False)
        if value and not _PATH_RE.match(value):
            self.fail(
                f'"{key}" in {self.where} is "{value}", which is not a field or a path of '
                'fields such as "lesson.cycle".'
            )
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self._wrong(key, "true or false", value)
        return value

    def positive_int(self, key: str) -> int:
        value = self.table.get(key)
        if value is None:
            self.fail(f'{self.where} is missing the required key "{key}".')
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self._wrong(key, "a whole number from 1 up", value)
        return value

    def tables(self, key: str, *, hint: str, required: bool = True) -> list[object]:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(f'{self.where} is missing the required key "{key}".')
            return []
        if not isinstance(value, list):
            self._wrong(key, f"a list of tables, written {hint}", value)
        return value

    def field_type(self) -> FieldType:
        name = self.text("type")
        try:
            return FieldType(name)
        except ValueError:
            self.fail(
                f'{self.where} has type "{name}", which is not a known field type; '
                f"use one of {_names(FieldType)}."
            )

    def options(self, field_type: FieldType) -> tuple[str, ...]:
        value = self.table.get("options")
        if not field_type.takes_options:
            if value is not None:
                self.fail(
                    f"{self.where} has options, but only choice and checklist fields take them."
                )
            return ()
        if value is None or value == []:
            self.fail(
                f"{self.where} is a {field_type.value} field but has no options; "
                'add options = ["...", "..."].'
            )
        if not isinstance(value, list) or not all(isinstance(o, str) and o.strip() for o in value):
            self._wrong("options", "a list of non-empty texts in quotes", value)
        options = tuple(o.strip() for o in value)
        _reject_duplicates(self, options, f'{self.where} lists the option "{{}}" twice.')
        return options

    def privacy(self) -> Privacy:
        value = self.table.get("privacy", Privacy.ORDINARY.value)
        try:
            return Privacy(value)
        except ValueError:
            self.fail(
                f'"privacy" in {self.where} must be "personal" (or left out), not {_show(value)}.'
            )


def _reject_duplicates(reader: _Reader, values: Iterable[str], message: str) -> None:
    """Fail with ``message`` (its ``{}`` filled with the value) on the first repeated value."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            reader.fail(message.format(value))
        seen.add(value)


def _describe_toml_error(source: str, text: str, exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc)
    match = _TOML_ERROR_RE.match(message)
    if match:
        problem = _lower_first(match["msg"])
        return (
            f"{source}: line {match['line']}, column {match['col']} is not valid TOML: {problem}."
        )
    problem = _lower_first(message.removesuffix(" (at end of document)"))
    last_line = max(1, len(text.splitlines()))
    return f"{source}: line {last_line} is not valid TOML: {problem} at the end of the file."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _show(value: object) -> str:
    """Describe a parsed TOML value the way its author wrote it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value[:60]}"'
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "a date or time"


def _names(items: Iterable[object]) -> str:
    """``text, longtext or choice`` from enum members or strings."""
    words = [item.value if isinstance(item, enum.Enum) else str(item) for item in items]
    return _and(words, last="or")


def _and(words: Iterable[str], last: str = "and") -> str:
    items: Sequence[str] = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
