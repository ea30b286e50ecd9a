"""The WSGI entry point: `waitress-serve --listen=0.0.0.0:8000 wsgi:app`."""

from loopin import create_app

app = create_app()
