"""The sync engine: the store, the change log, kinds machinery, migrations, bundles, devices."""

import sys

# sqlite-utils imports numpy and pandas when they are installed, only to map their scalar types to
# column types; we never hand it either. matplotlib (the charts) installs numpy, and importing it
# cost every start about 40 ms (bench/run.py (b), bench/ui_bench.py (c)). Load sqlite-utils with
# both hidden unless something already imported them; nothing else is affected, since the hiding
# is undone straight after.
_hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
for _name in _hidden:
    sys.modules[_name] = None  # type: ignore[assignment]
try:
    import sqlite_utils  # noqa: F401
finally:
    for _name in _hidden:
        sys.modules.pop(_name, None)
del _hidden
