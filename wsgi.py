"""The WSGI entry point: `loopin serve`, or `python -m loopin.core.server --listen=0.0.0.0:8000 wsgi:app`
(waitress-serve's flags, on the server loopin/core/server.py builds; plain `waitress-serve` works too).

Bad settings end the process here with status 2 and every bad setting listed, not a traceback.
"""

import sys

from loopin import create_app
from loopin.core.settings import ConfigError

try:
    app = create_app()
except ConfigError as error:
    error.show()
    sys.exit(error.exit_code)
