"""Process plumbing: settings, the database, logging, lifecycle, the pre-flight check. Nothing here
names a feature."""
