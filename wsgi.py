"""The WSGI entry point: `waitress-serve --listen=0.0.0.0:8000 wsgi:app` (or `loopin serve`).

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
