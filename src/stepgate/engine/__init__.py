"""The engine: a process compiled into a ``transitions`` machine, commands in, events out.

``machine`` is the only importer of ``transitions``; ``engine`` checks who may
issue a command and which rules block it (``explain`` returns every
violation), then turns it into events and folds them. Time and actors come in
as arguments: nothing here reads a clock or touches a database. Internal: the
public names are re-exported by ``stepgate``.
"""
