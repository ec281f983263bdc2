"""The model: the domain's values and what an investigation is made of.

Municipalities, regions, actors and bodies; the checks every field passes where
it enters (``fields``); commands (what a user asks for) and events (the facts
an investigation is made of); the investigation's state and its fold;
violations and signals; bilingual text. Pure values and functions: no I/O, no
clock, no ``transitions``, no SQL. Internal: the public names are re-exported
by ``stepgate``.
"""
