"""Train a bidirectional transformer over unmarked syllables on a GPU machine, and write what it reads in the sets
that `bench.neural_ceiling prepare` wrote (the ceiling experiment of bench/RESULTS.md, forty-first session).

    python3 -m bench.neural_ceiling_train --data DIR --out DIR [--width 768 --layers 8 --seconds 145]

Needs only PyTorch and NumPy, not the project's packages: ``DIR`` holds the training text (`CORPUS_FILE`: the
corpus without the lines `diacritics.build.is_held_out` reserves), the analysis of its tokens and the sets' tokens
(`TOKENS_FILE`) and the evaluation sets (`SETS_FILE`). The model reads each token's unmarked key and its case, and
scores the marked forms its key was seen with in the training text; it is trained for a fixed time. Writes
`PREDICTIONS_FILE`: per set, per line, per token, the forms and their probabilities (none for a token without
letters or unknown to the training text).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from bench.neural_ceiling_format import CORPUS_FILE, PREDICTIONS_FILE, SETS_FILE, TOKEN_RE, TOKENS_FILE

SEQUENCE, FORMS_PER_KEY, MIN_COUNT = 256, 12, 3
PAD, UNK, SEP = 0, 1, 2  # key and form ids; a paragraph or line ends with SEP
BATCH, PEAK_LR, WARMUP = 128, 6e-4, 300


class Model(nn.Module):
    """Key and case embeddings, a pre-norm transformer encoder, and a vector and bias per marked form."""

    def __init__(self, keys: int, forms: int, width: int, layers: int) -> None:
        super().__init__()
        self.key_emb, self.case_emb, self.pos_emb = (
            nn.Embedding(keys, width),
            nn.Embedding(4, width),
            nn.Embedding(SEQUENCE, width),
        )
        layer = nn.TransformerEncoderLayer(
            width, width // 64, 4 * width, dropout=0.1, batch_first=True, norm_first=True, activation="gelu"
        )
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.form_emb, self.form_bias = nn.Embedding(forms, width), nn.Embedding(forms, 1)
        for emb in (self.key_emb, self.case_emb, self.pos_emb, self.form_emb):
            nn.init.normal_(emb.weight, std=0.02)
        nn.init.zeros_(self.form_bias.weight)

    def logits(self, keys: torch.Tensor, cases: torch.Tensor, table: torch.Tensor) -> torch.Tensor:
        """Scores of each position's candidate forms (``table``: per key its form ids, 0-padded)."""
        pos = torch.arange(keys.shape[1], device=keys.device)
        hidden = self.norm(self.encoder(self.key_emb(keys) + self.case_emb(cases) + self.pos_emb(pos)[None]))
        cand = table[keys]
        score = (hidden.unsqueeze(-2) * self.form_emb(cand)).sum(-1) + self.form_bias(cand).squeeze(-1)
        return score.masked_fill(cand == PAD, -1e4)


def read_training(data: Path, analysis: dict[str, list]) -> list[list[list]]:
    """The analysed tokens ([key, form, case]) of each paragraph of the training text."""
    paragraphs = []
    with gzip.open(data / CORPUS_FILE, "rt", encoding="utf-8") as fh:
        for raw in fh:
            line = raw.rstrip("\n")
            if line:
                paragraphs.append([analysis[t] for t in TOKEN_RE.findall(line)])
    return paragraphs


def vocabularies(paragraphs: list[list[list]]) -> tuple[dict[str, int], list[str], np.ndarray, dict]:
    """Key ids, forms, per key id its form ids (most frequent first), and each (key id, form id)'s rank there."""
    keys, forms, pairs = Counter(), Counter(), Counter()
    for paragraph in paragraphs:
        for key, form, _ in paragraph:
            keys[key] += 1
            forms[form] += 1
            pairs[key, form] += 1
    key_ids = {k: i for i, k in enumerate(["<pad>", "<unk>", "<sep>"] + [k for k, c in keys.items() if c >= MIN_COUNT])}
    form_list = ["<pad>", "<unk>", "<sep>"] + [f for f, c in forms.items() if c >= MIN_COUNT]
    form_ids = {f: i for i, f in enumerate(form_list)}
    table = np.zeros((len(key_ids), FORMS_PER_KEY), dtype=np.int64)
    table[SEP, 0] = SEP
    filled = Counter()
    for (key, form), count in pairs.most_common():
        k = key_ids.get(key)
        if count >= MIN_COUNT and k is not None and form in form_ids and filled[k] < FORMS_PER_KEY:
            table[k, filled[k]] = form_ids[form]
            filled[k] += 1
    rank = {(k, int(f)): r for k in range(len(table)) for r, f in enumerate(table[k]) if f}
    return key_ids, form_list, table, {"form_ids": form_ids, "rank": rank}


def encode(paragraphs: list[list[list]], key_ids: dict[str, int], table: np.ndarray, index: dict) -> tuple:
    """One stream of key ids, case ids and targets (the form's rank among its key's, -100 where not scored)."""
    keys, cases, targets = [], [], []
    for paragraph in paragraphs:
        for key, form, case in paragraph:
            k = key_ids.get(key, UNK)
            keys.append(k)
            cases.append(case)
            ambiguous = table[k, 1] != PAD
            targets.append(index["rank"].get((k, index["form_ids"].get(form, -1)), -100) if ambiguous else -100)
        keys.append(SEP)
        cases.append(3)
        targets.append(-100)
    return np.array(keys), np.array(cases), np.array(targets)


def train(model: Model, stream: tuple, table: torch.Tensor, seconds: float, device: str) -> int:
    """AdamW on random windows of the stream for ``seconds``, the learning rate warmed up then cosine by time."""
    keys, cases, targets = (torch.from_numpy(a).long().to(device) for a in stream)
    optimiser = torch.optim.AdamW(model.parameters(), lr=PEAK_LR, betas=(0.9, 0.98), weight_decay=0.01)
    generator = torch.Generator(device=device).manual_seed(0)
    offsets = torch.arange(SEQUENCE, device=device)[None]
    step, began = 0, time.time()
    while (done := (time.time() - began) / seconds) < 1:
        rows = torch.randint(0, len(keys) - SEQUENCE, (BATCH,), device=device, generator=generator)[:, None] + offsets
        for group in optimiser.param_groups:
            group["lr"] = PEAK_LR * min(1.0, (step + 1) / WARMUP) * 0.5 * (1 + math.cos(math.pi * done))
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            scores = model.logits(keys[rows], cases[rows], table)
        wanted = targets[rows] >= 0
        loss = F.cross_entropy(scores[wanted].float(), targets[rows][wanted])
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        step += 1
        if step % 500 == 0:
            print(f"step {step}: loss {loss.item():.4f}, {time.time() - began:.0f} s", flush=True)
    return step


@torch.no_grad()
def read_set(model: Model, lines: list[str], analysis: dict, key_ids: dict, forms: list[str], table: torch.Tensor,
             device: str) -> list[list[dict[str, float]]]:  # fmt: skip
    """Per line, per token, its candidate forms' probabilities (none for a token without letters or unknown to the
    corpus): the lines read as one stream, in windows of
    `SEQUENCE` tokens overlapping by half, each token scored by the window it stands nearest the middle of."""
    tokens = [TOKEN_RE.findall(line) for line in lines]
    keys, cases = [], []
    for line in tokens:
        for tok in line:
            key, _, case = analysis.get(tok) or [tok.lower(), tok.lower(), 3]
            keys.append(key_ids.get(key, UNK))
            cases.append(case)
        keys.append(SEP)
        cases.append(3)
    keys_t, cases_t = torch.tensor(keys, device=device), torch.tensor(cases, device=device)
    nearest = torch.full((len(keys),), math.inf, device=device)
    probs = torch.zeros((len(keys), FORMS_PER_KEY), device=device)
    for start in range(0, max(1, len(keys) - SEQUENCE // 2), SEQUENCE // 2):
        end = min(len(keys), start + SEQUENCE)
        first = max(0, end - SEQUENCE)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):
            scores = model.logits(keys_t[first:end][None], cases_t[first:end][None], table)[0].float()
        pos = torch.arange(first, end, device=device)
        distance = (pos - (first + end) / 2).abs()
        closer = distance < nearest[pos]
        nearest[pos[closer]] = distance[closer]
        probs[pos[closer]] = torch.softmax(scores[closer], -1)
    cand, probs = table[keys_t].cpu().numpy(), probs.cpu().numpy()
    out, i = [], 0
    for line in tokens:
        row = []
        for _ in line:
            known = cand[i, 0] != PAD and keys[i] != UNK and cases[i] != 3  # a word the corpus knows
            row.append(
                {forms[f]: round(float(p), 5) for f, p in zip(cand[i], probs[i], strict=True) if f} if known else {}
            )
            i += 1
        out.append(row)
        i += 1
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--width", type=int, default=768)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=145.0)
    args = parser.parse_args(argv)
    began = time.time()
    with gzip.open(args.data / TOKENS_FILE, "rt", encoding="utf-8") as fh:
        analysis = json.load(fh)
    with gzip.open(args.data / SETS_FILE, "rt", encoding="utf-8") as fh:
        sets = json.load(fh)
    paragraphs = read_training(args.data, analysis)
    key_ids, forms, table, index = vocabularies(paragraphs)
    stream = encode(paragraphs, key_ids, table, index)
    del paragraphs
    print(f"{len(stream[0])} tokens, {len(key_ids)} keys, {len(forms)} forms, {time.time() - began:.0f} s", flush=True)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    model = Model(len(key_ids), len(forms), args.width, args.layers).to(device)
    table_t = torch.from_numpy(table).to(device)
    steps = train(model, stream, table_t, args.seconds, device)
    print(f"{steps} steps, {steps * BATCH * SEQUENCE / len(stream[0]):.1f} epochs", flush=True)
    model.eval()
    read = {name: read_set(model, s["inputs"], analysis, key_ids, forms, table_t, device) for name, s in sets.items()}
    args.out.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out / PREDICTIONS_FILE, "wt", encoding="utf-8") as fh:
        json.dump({"width": args.width, "layers": args.layers, "steps": steps, "sets": read}, fh, ensure_ascii=False)


if __name__ == "__main__":
    main()
