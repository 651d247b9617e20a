"""Reading and cleaning raw exports into the canonical tables.

The flow is one-way: :mod:`~cchc_analysis.ingest.readers` opens a file safely and returns its sheets
with provenance; :mod:`~cchc_analysis.ingest.detect` finds each sheet's header; one module per kind
(:mod:`~cchc_analysis.ingest.dossiers`, :mod:`~cchc_analysis.ingest.report06a`, …) turns the rows
into canonical frames following the protocol of :mod:`~cchc_analysis.ingest.base`; and
:mod:`~cchc_analysis.ingest.pipeline` runs it all for ``cchc clean``.
"""
