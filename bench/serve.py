"""`waitress-serve`'s flags on the server `loopin serve` runs (loopin/core/server.py), for every app of
a run, the references included: a ratio compares the apps, not two servers.

The module is loaded from its file, not imported as `loopin.core.server`: importing the package would
load all of Loopin (Flask, SQLAlchemy, every feature) into the reference apps' processes too."""

import importlib.util
import sys
from pathlib import Path

SERVER = Path(__file__).resolve().parent.parent / "loopin" / "core" / "server.py"

if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("loopin_server", SERVER)
    server = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(server)
    sys.exit(server.main())
