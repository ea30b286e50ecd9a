"""`python -m loopin ...`: the `loopin` command without its script (a venv's Scripts folder not on PATH)."""

from .command import main

main()
