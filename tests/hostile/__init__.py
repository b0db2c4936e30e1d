"""Hostile and broken inputs, crash-safe reruns, bounded resources (issue 7).

What the pipeline does with what the provinces send:

- quarantined (one line in the log and in errors.csv, the file listed, never modified or deleted): empty files;
  truncated, corrupt and encrypted PDFs; PDFs with no pages or more than ``--max-pages``; images over
  ``--max-image-pixels`` or Pillow's decompression-bomb limit; files whose content is not what their suffix says
  and cannot be read as what it is; binary junk named ``.txt``; files of nothing but NUL bytes; file names that
  are not valid UTF-8; symbolic links that leave the raw folder, loop or dangle; documents in another language
  (not Latin script, or too few valid Vietnamese syllables); any file that makes a stage fail.
- processed: text in legacy (TCVN3, VNI, Windows-1258) or mixed UTF-8/legacy encodings, stray NUL bytes (dropped),
  megabyte lines (restored in chunks of ``--max-restore-chars``), and any file name that is valid UTF-8 (spaces,
  Vietnamese letters in NFC or NFD, leading dashes, ``..``); hidden files (a leading dot) are skipped as before.
"""
