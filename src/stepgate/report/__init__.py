"""Reports as strings: the case document (Markdown, a self-contained HTML page, JSON), the log.

``model`` builds one typed ``Report`` from an investigation (now, or as of a
date or version); ``render`` gives its faces through the Jinja2 templates in
``templates/``; ``words`` puts the words of one language around it;
``pictures`` draws the process diagram and the timeline; ``timeline`` is the
record as readable lines (``stepgate log``); ``safe`` keeps people's text as
text. Nothing here writes a file.
"""
