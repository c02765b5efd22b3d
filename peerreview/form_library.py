"""The forms this laptop uses: the shipped ones, plus the partnership's own in the user data folder.

A partnership adapts a framework without code: ``peerreview forms copy review-estimates --as
our-review`` writes a copy with a new id into the user's forms folder, where it can be edited; it is
read beside the shipped forms from then on. Records keep the form id and version they were made
with.
"""

from __future__ import annotations

import re
from pathlib import Path

from peerreview.errors import FormError
from peerreview.forms import FormDefinition, FormLibrary, forms_dir, load_form, load_forms
from peerreview.paths import data_dir

_SLUG = re.compile(r"^[a-z][a-z0-9-]*$")


def user_forms_dir() -> Path:
    """Where this laptop keeps the partnership's own forms."""
    return data_dir() / "forms"


def library(extra: Path | None = None) -> FormLibrary:
    """The shipped forms and the partnership's own (a bad file of its own is named in the error)."""
    folders = [forms_dir()]
    own = extra or user_forms_dir()
    if own.is_dir() and any(own.glob("*.toml")):
        folders.append(own)
    return load_forms(*folders)


def copy_form(
    form_id: str, new_id: str, *, title: str | None = None, folder: Path | None = None
) -> Path:
    """Copy a form (its latest version) to a new id, version 1, ready to edit.

    Raises:
        FormError: no such form, a bad or taken new id, or the copy would not load.
    """
    if not _SLUG.match(new_id):
        raise FormError(
            f"{new_id!r} cannot be a form id: use lowercase letters, digits and hyphens, "
            "starting with a letter (for example our-review)."
        )
    lib = library(folder)
    source = lib.get(form_id)
    if new_id in lib:
        raise FormError(f"There is already a form called {new_id!r}. Choose another id.")
    text = Path(source.source).read_text(encoding="utf-8") if source.source else ""
    if not text:
        raise FormError(f"The form {form_id!r} has no file to copy.")
    text = _replace_key(text, "id", new_id, form_id)
    text = _replace_key(text, "version", "1", str(source.version), quoted=False)
    if title:
        text = _replace_key(text, "title", title, source.title)
    target_dir = folder or user_forms_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{new_id}.toml"
    header = f"# Copied from {form_id} version {source.version}. Edit freely; keep the id unique.\n"
    target.write_text(header + text, encoding="utf-8")
    try:
        load_form(target)
    except FormError:
        target.unlink()
        raise
    return target


def _replace_key(text: str, key: str, new: str, old: str, *, quoted: bool = True) -> str:
    """Change the first ``key = old`` of the [form] table (the form's own id, version or title)."""
    start = text.index("[form]")
    pattern = re.compile(
        rf"^{key}\s*=\s*{re.escape(chr(34) + old + chr(34)) if quoted else re.escape(old)}\s*$",
        re.M,
    )
    match = pattern.search(text, start)
    if match is None:
        raise FormError(f"Could not find the form's {key} to change in its file.")
    shown = '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"' if quoted else new
    return text[: match.start()] + f"{key} = {shown}" + text[match.end() :]


def describe(form: FormDefinition) -> str:
    return f"{form.id} (version {form.version}, {form.kind}): {form.title}"
