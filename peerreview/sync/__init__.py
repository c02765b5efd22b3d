"""The sync engine: the store, the change log, kinds machinery, migrations, bundles, devices."""
