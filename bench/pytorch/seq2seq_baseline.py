#!/usr/bin/python3
"""The same LSTM encoder-decoder in PyTorch, as a careful user would write it:
the baseline nmt is measured against (not part of the toolkit).

Model: embedding -> L-layer nn.LSTM encoder over a packed sequence (padding never
reaches the final state), whose final (h, c) of every layer seed an L-layer
nn.LSTM decoder (teacher forcing), dropout between layers and before the output
layer, output layer applied only at non-padding positions, cross-entropy with
label smoothing, Adam, gradient-norm clipping. The source is reversed, as nmt's
default. Input is subword ids (one sentence per line, from `nmt tokenize --ids`).

With --attention dot|general, nmt's Luong global attention (Luong et al., 2015)
without input feeding, read after the decoder LSTM so the LSTM still runs over
all target steps at once: scores h_t . e_s (dot) or h_t . (W_a e_s) (general)
over the encoder's top-layer outputs e_s at real source positions, context
c_t = sum_s a(t, s) e_s, and tanh(W_c [c_t; h_t]) (no biases) in place of h_t
before dropout and the output layer. The encoder's final states still seed
the decoder.

  seq2seq_baseline.py train --src F --tgt F --vocab V --model OUT [--steps N | --minutes M]
                            [--attention none|dot|general]
  seq2seq_baseline.py translate --model M --src F --out F [--beam-size K] [--batch-size N]

Every command prints one JSON line with its figures on stdout.
"""
import argparse
import json
import random
import resource
import time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, UNK, BOS, EOS = 0, 1, 2, 3
ATTENTION_TYPES = ("none", "dot", "general")


class Memory:
    """What attention reads of a batch's source, batch-first: the encoder's
    top-layer outputs [N, S, H], the keys they are scored by (themselves for
    dot, W_a e_s for general, computed once per batch rather than per decoder
    step) and where the padding is [N, 1, S]."""

    def __init__(self, values, keys, padding):
        self.values, self.keys, self.padding = values, keys, padding

    def repeat_interleave(self, k):
        """Each sentence's rows k times, as beam search lays out its beams."""
        return Memory(*(x.repeat_interleave(k, dim=0) for x in (self.values, self.keys, self.padding)))


class LuongAttention(nn.Module):
    def __init__(self, kind, hidden):
        super().__init__()
        self.score = nn.Linear(hidden, hidden, bias=False) if kind == "general" else None
        self.combine = nn.Linear(2 * hidden, hidden, bias=False)

    def memory(self, outputs, lengths):
        """outputs [S, N, H] of the encoder, lengths [N] -> Memory."""
        values = outputs.transpose(0, 1)
        keys = self.score(values) if self.score is not None else values
        positions = torch.arange(values.size(1)).unsqueeze(0)
        padding = (positions >= torch.as_tensor(lengths).unsqueeze(1)).unsqueeze(1)
        return Memory(values, keys, padding)

    def forward(self, states, memory):
        """Decoder states [T, N, H] -> tanh(W_c [c_t; h_t]) [T, N, H], all steps at once."""
        queries = states.transpose(0, 1)
        scores = torch.bmm(queries, memory.keys.transpose(1, 2)).masked_fill(memory.padding, float("-inf"))
        context = torch.bmm(torch.softmax(scores, dim=-1), memory.values)
        return torch.tanh(self.combine(torch.cat([context, queries], dim=-1))).transpose(0, 1)


class Seq2Seq(nn.Module):
    def __init__(self, vocab, embedding, hidden, layers, dropout, attention="none"):
        super().__init__()
        self.src_embedding = nn.Embedding(vocab, embedding, padding_idx=PAD)
        self.tgt_embedding = nn.Embedding(vocab, embedding, padding_idx=PAD)
        self.encoder = nn.LSTM(embedding, hidden, layers, dropout=dropout)
        self.decoder = nn.LSTM(embedding, hidden, layers, dropout=dropout)
        self.dropout = nn.Dropout(dropout)
        self.output = nn.Linear(hidden, vocab)
        self.attention = LuongAttention(attention, hidden) if attention != "none" else None

    def initialize(self):
        """Uniform in [-0.1, 0.1]; attention keeps nn.Linear's own
        [-1/sqrt(in), 1/sqrt(in)], as nmt initializes it."""
        for name, p in self.named_parameters():
            if not name.startswith("attention."):
                nn.init.uniform_(p, -0.1, 0.1)

    def encode(self, src, lengths):
        """src [T, N] padded at the end, lengths sorted descending -> ((h, c), Memory or None)."""
        packed = pack_padded_sequence(self.src_embedding(src), lengths)
        outputs, state = self.encoder(packed)
        if self.attention is None:
            return state, None
        outputs, _ = pad_packed_sequence(outputs, total_length=src.size(0))
        return state, self.attention.memory(outputs, lengths)

    def decode(self, tgt_in, state, memory=None):
        out, state = self.decoder(self.tgt_embedding(tgt_in), state)
        if self.attention is not None:
            out = self.attention(out, memory)
        return self.dropout(out), state


def read_ids(path):
    with open(path) as f:
        return [[int(t) for t in line.split()] for line in f]


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_batches(pairs, batch_size, rng):
    """Sorted by source length so batches hold similar lengths, then shuffled."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]))
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def tensors(pairs, indices):
    batch = sorted((pairs[i] for i in indices), key=lambda p: -len(p[0]))
    lengths = [len(s) for s, _ in batch]
    t_src, t_tgt = max(lengths), max(len(t) for _, t in batch) + 1
    src = torch.full((t_src, len(batch)), PAD, dtype=torch.long)
    tgt_in = torch.full((t_tgt, len(batch)), PAD, dtype=torch.long)
    tgt_out = torch.full((t_tgt, len(batch)), PAD, dtype=torch.long)
    for n, (s, t) in enumerate(batch):
        src[:len(s), n] = torch.tensor(s[::-1])
        tgt_in[:len(t) + 1, n] = torch.tensor([BOS] + t)
        tgt_out[:len(t) + 1, n] = torch.tensor(t + [EOS])
    return src, lengths, tgt_in, tgt_out


def train(args):
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    pairs = [(s, t) for s, t in zip(read_ids(args.src), read_ids(args.tgt))
             if s and t and len(s) <= args.max_length and len(t) <= args.max_length]
    model = Seq2Seq(args.vocab, args.embedding_size, args.hidden_size, args.layers, args.dropout, args.attention)
    model.initialize()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing, reduction="sum")
    model.train()
    steps = tokens = 0
    start = time.time()
    done = False
    while not done:
        for indices in make_batches(pairs, args.batch_size, rng):
            src, lengths, tgt_in, tgt_out = tensors(pairs, indices)
            out, _ = model.decode(tgt_in, *model.encode(src, lengths))
            mask = tgt_out != PAD
            logits = model.output(out[mask])  # only real positions reach the output layer
            n_tokens = int(mask.sum())
            loss = loss_fn(logits, tgt_out[mask]) / n_tokens
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), args.clip_norm)
            optimizer.step()
            steps += 1
            tokens += n_tokens
            elapsed = time.time() - start
            if (args.steps and steps >= args.steps) or (args.minutes and elapsed >= args.minutes * 60):
                done = True
                break
    elapsed = time.time() - start
    torch.save({"args": vars(args), "state": model.state_dict()}, args.model)
    print(json.dumps({"system": "pytorch", "steps": steps, "target_tokens": tokens, "seconds": elapsed,
                      "target_tokens_per_second": tokens / elapsed, "peak_mib": peak_mib(),
                      "threads": torch.get_num_threads()}))


@torch.no_grad()
def greedy(model, src, lengths, max_len):
    (h, c), memory = model.encode(src, lengths)
    n = src.size(1)
    prev = torch.full((1, n), BOS, dtype=torch.long)
    outputs = torch.zeros((max_len, n), dtype=torch.long)
    finished = torch.zeros(n, dtype=torch.bool)
    for t in range(max_len):
        out, (h, c) = model.decode(prev, (h, c), memory)
        token = model.output(out[0]).argmax(-1)
        token = torch.where(finished, torch.full_like(token, PAD), token)
        outputs[t] = token
        finished |= token == EOS
        if bool(finished.all()):
            return outputs[:t + 1]
        prev = token.unsqueeze(0)
    return outputs


@torch.no_grad()
def beam(model, src, lengths, max_len, k, alpha=0.6):
    """Batched beam search: batch x beam rows advance together; states of
    surviving beams are gathered; a sentence is done when k hypotheses ended.
    Rows i * k .. i * k + k - 1 belong to sentence i, so the encoder outputs,
    repeated per beam once, never need gathering."""
    (h, c), memory = model.encode(src, lengths)
    n = src.size(1)
    h = h.repeat_interleave(k, dim=1)
    c = c.repeat_interleave(k, dim=1)
    if memory is not None:
        memory = memory.repeat_interleave(k)
    scores = torch.full((n, k), float("-inf"))
    scores[:, 0] = 0.0
    prev = torch.full((1, n * k), BOS, dtype=torch.long)
    history = torch.zeros((n, k, 0), dtype=torch.long)
    finished = [[] for _ in range(n)]
    for t in range(max_len):
        out, (h, c) = model.decode(prev, (h, c), memory)
        logp = torch.log_softmax(model.output(out[0]), -1)
        vocab = logp.size(-1)
        total = (scores.unsqueeze(-1) + logp.view(n, k, vocab)).view(n, -1)
        best, flat = total.topk(2 * k, dim=-1)
        origin, token = flat // vocab, flat % vocab
        new_scores = torch.full((n, k), float("-inf"))
        new_tokens = torch.zeros((n, k), dtype=torch.long)
        new_origin = torch.zeros((n, k), dtype=torch.long)
        for i in range(n):
            kept = 0
            for j in range(2 * k):
                if len(finished[i]) >= k or kept == k:
                    break
                if int(token[i, j]) == EOS:
                    finished[i].append((float(best[i, j]), history[i, origin[i, j]].tolist()))
                else:
                    new_scores[i, kept], new_tokens[i, kept], new_origin[i, kept] = best[i, j], token[i, j], origin[i, j]
                    kept += 1
        if all(len(f) >= k for f in finished):
            break
        gather = (new_origin + torch.arange(n).unsqueeze(1) * k).view(-1)
        h, c = h[:, gather], c[:, gather]
        history = torch.cat([history.view(n * k, -1)[gather].view(n, k, -1), new_tokens.unsqueeze(-1)], -1)
        scores = new_scores
        prev = new_tokens.view(1, -1)
    # Ranked as nmt's default does: GNMT length normalization, alpha 0.6, length
    # counting the output tokens and </s>.
    def normalized(candidate):
        return candidate[0] / ((5 + len(candidate[1]) + 1) / 6) ** alpha

    results = []
    for i in range(n):
        candidates = finished[i] or [(float(scores[i, 0]), history[i, 0].tolist())]
        results.append(max(candidates, key=normalized)[1])
    return results


def translate(args):
    saved = torch.load(args.model)
    a = saved["args"]
    model = Seq2Seq(a["vocab"], a["embedding_size"], a["hidden_size"], a["layers"], a["dropout"],
                    a.get("attention", "none"))  # models saved before attention have none
    model.load_state_dict(saved["state"])
    model.eval()
    sources = read_ids(args.src)
    order = sorted((i for i in range(len(sources)) if sources[i]), key=lambda i: -len(sources[i]))
    outputs = [[] for _ in sources]
    tokens = 0
    start = time.time()
    for b in range(0, len(order), args.batch_size):
        indices = order[b:b + args.batch_size]
        lengths = [len(sources[i]) for i in indices]
        src = torch.full((lengths[0], len(indices)), PAD, dtype=torch.long)
        for n, i in enumerate(indices):
            src[:lengths[n], n] = torch.tensor(sources[i][::-1])
        max_len = min(args.max_length, int(2 * lengths[0]) + 5)
        if args.beam_size == 1:
            out = greedy(model, src, lengths, max_len).t().tolist()
        else:
            out = beam(model, src, lengths, max_len, args.beam_size)
        for n, i in enumerate(indices):
            ids = []
            for token in out[n]:
                if token in (EOS, PAD):
                    break
                ids.append(token)
            outputs[i] = ids
            tokens += len(ids) + 1
    elapsed = time.time() - start
    with open(args.out, "w") as f:
        for ids in outputs:
            f.write(" ".join(map(str, ids)) + "\n")
    print(json.dumps({"system": "pytorch", "sentences": len(sources), "seconds": elapsed,
                      "sentences_per_second": len(sources) / elapsed, "target_tokens_per_second": tokens / elapsed,
                      "beam_size": args.beam_size, "peak_mib": peak_mib(), "threads": torch.get_num_threads()}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--src", required=True)
    t.add_argument("--tgt", required=True)
    t.add_argument("--vocab", type=int, required=True)
    t.add_argument("--model", required=True)
    t.add_argument("--steps", type=int, default=0)
    t.add_argument("--minutes", type=float, default=0)
    t.add_argument("--embedding-size", type=int, default=256)
    t.add_argument("--hidden-size", type=int, default=512)
    t.add_argument("--layers", type=int, default=2)
    t.add_argument("--dropout", type=float, default=0.2)
    t.add_argument("--label-smoothing", type=float, default=0.1)
    t.add_argument("--learning-rate", type=float, default=1e-3)
    t.add_argument("--clip-norm", type=float, default=5.0)
    t.add_argument("--batch-size", type=int, default=64)
    t.add_argument("--max-length", type=int, default=100)
    t.add_argument("--attention", choices=ATTENTION_TYPES, default="none",
                   help="Luong attention over the encoder's outputs, as nmt train --attention")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--threads", type=int, default=1)
    d = sub.add_parser("translate")
    d.add_argument("--model", required=True)
    d.add_argument("--src", required=True)
    d.add_argument("--out", required=True)
    d.add_argument("--beam-size", type=int, default=1)
    d.add_argument("--batch-size", type=int, default=64)
    d.add_argument("--max-length", type=int, default=250)
    d.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train(args) if args.command == "train" else translate(args)


if __name__ == "__main__":
    main()
