"""Into the archive: a Noark 5 extraction written as a new folder, from the verified record.

An edge, like ``cli``: the one layer besides the command line that writes
files of its own. ``package.extract`` verifies the record, writes the
package's files (``arkivstruktur.xml``, the change log, both journals, the
ADDML description, the schemas in ``schemas/`` and every document's bytes)
into a temporary folder beside the target and moves it into place at the end.
What each part of the record becomes is decided in ``report.noark``, which
writes XML to streams and opens no file; ``docs/archive.md`` documents it.
"""
