"""File names and tokenisation shared by the ceiling experiment's two halves (`bench.neural_ceiling`, run with the
project, and `bench.neural_ceiling_train`, run on a GPU machine with PyTorch alone)."""

import re

CORPUS_FILE, TOKENS_FILE, SETS_FILE = "vi-legal.txt.gz", "tokens.json.gz", "sets.json.gz"
PREDICTIONS_FILE = "predictions.json.gz"
TOKEN_RE = re.compile(r"\w+|[^\w\s]")  # words (with digits) and single punctuation marks
