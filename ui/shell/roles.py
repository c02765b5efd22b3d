"""What a navigator row is (``Node.role``), apart from the navigator: the window reads it before
the navigator's model is imported (a window painted from its start note)."""

#: What a row is: the partnership at the top, a folder, a record in its own place, or a record
#: listed under another (a group's member school: also shown in Schools).
TOP, FOLDER, RECORD, MEMBER = "top", "folder", "record", "member"
