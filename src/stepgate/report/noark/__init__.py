"""Noark 5 v5.0 as strings and streams: what each part of the record becomes, and its XML.

``mapping`` says what each part of the record becomes (a saksmappe per
investigation, a journalpost per registered decision and document, the
changes); ``structure``, ``changes``, ``journal`` and ``addml`` write
``arkivstruktur.xml``, ``endringslogg.xml``, the two journals and the ADDML
description to the streams they are given, one element at a time (``xml``);
``record`` reads the verified record and makes the public journal of a
period (``stepgate journal``). Nothing here opens a file: the package folder
is written by ``stepgate.archive``. ``docs/archive.md`` documents the mapping
element by element.
"""
