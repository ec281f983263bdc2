"""The rules: small, pure rule objects with stable ids and Nynorsk/English messages.

``rule`` makes a ``Rule`` from a check that yields findings; ``Policy`` holds a
process's knobs and ``Context`` is what a rule sees. The modules hold the 18
rules of the trust-reform method (people, steps, topics, gates) and the soft
signals. A rule reads the state and the command and changes nothing. Internal:
the public names are re-exported by ``stepgate``.
"""
