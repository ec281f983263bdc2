"""The facade users touch: ``open_store``, ``Store`` and ``Investigation``, and clocks.

A store creates, loads, lists and verifies investigations; an investigation
runs its commands (one transaction each), explains them and shows its state,
always equal to the record. Nothing here prints. Internal: the public names are
re-exported by ``stepgate``.
"""
