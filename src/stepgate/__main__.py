"""``python -m stepgate``: the command line, where the ``stepgate`` script is not on PATH."""

from stepgate.cli import main

main()
