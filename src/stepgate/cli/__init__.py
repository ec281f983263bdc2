"""The ``stepgate`` command line: run the demo; read, explain, verify and report any record.

Every command that reads a record opens it read-only (it never creates or
changes a file, and works on a copy in a read-only folder), finds the process
the record names (registered in the ``stepgate.processes`` entry-point group,
or given with ``--process NAME|module:factory``: a name in a record is never
imported), rebuilds the investigation from its first event with everything
checked, and only then prints. ``app`` is the frame (the group, its options,
errors in one language), ``files`` where output may be written; the commands
live in ``demo``, ``reading``, ``record`` and ``archive``. The edge of the house: nothing
imports it but ``__main__``.
"""

from stepgate.cli import archive, demo, reading, record
from stepgate.cli.app import cli, main

__all__ = ["archive", "cli", "demo", "main", "reading", "record"]
