"""The store: the durable, tamper-evident record in SQLite.

``record`` is the format apart from any database (canonical bodies, the hash
chains, the ledger, checkpoints); ``schema`` the migrations; ``connections``
the per-thread connections and transactions; ``sqlite`` the backend that
appends, loads and lists; ``audit`` and ``verify`` check one investigation and
the whole store. The only importers of ``sqlite_utils``; nothing here knows a
rule. Internal: the public names are re-exported by ``stepgate``.
"""
