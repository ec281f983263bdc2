"""Reports as strings: Markdown for a case document, a self-contained HTML page, JSON, a timeline.

``data`` gathers what a report says; ``text`` and ``html`` render it; ``safe``
keeps people's text as text (escaped for Markdown, control characters shown,
never obeyed, in a terminal). Nothing here writes a file. Internal: the public
names are re-exported by ``stepgate``.
"""
