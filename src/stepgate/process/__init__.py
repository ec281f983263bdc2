"""Process definitions: the declarative DSL a process author writes, and its validation.

A ``Process`` declares its parties, phases and steps, its gate and its ending,
its rules and its policy; building one checks everything and lists every
problem at once. ``trust_reform()`` is written with the same DSL. Nothing here
runs an investigation. Internal: the public names are re-exported by ``stepgate``.
"""
