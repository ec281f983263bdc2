"""Into the archive: a Noark 5 v5.0 extraction and the public journal, from the verified record.

``package`` writes an extraction (``arkivuttrekk``) of closed investigations into
a new folder — ``arkivstruktur.xml`` with one saksmappe per investigation and a
journalpost per registered decision and document, the change log, the running
and the public journal of the period, the ADDML description with every file's
checksum and the counts an archivist checks, the standard's schemas unchanged,
and every document's bytes — after verifying the record, one investigation at a
time, so memory does not grow with their number. ``mapping`` says what each part
of the record becomes (the pure part, shared with ``stepgate journal``);
``xml`` writes it; ``docs/archive.md`` documents it element by element.
"""
