#!/usr/bin/env python3
"""PyTorch counterpart of bench/model.bench.ts: the same policy model, batch shapes, loss and
optimizer, timed on the CPU so the TF.js figures can be read as a ratio of PyTorch's in one run.

The model mirrors electron/ml/model/ (params.ts, transformer.ts, attention.ts, layers.ts): learned
token and position tables, pre-LayerNorm blocks (eps 1e-5) with separate biased q/k/v/o
projections and a tanh-GELU MLP, a final LayerNorm, an untied biased LM head and a value head
(d -> 1). Its parameter count is printed so the caller can check the two models match.

Usage: policy_bench.py '<json>'  (or the JSON on stdin). Keys:
  vocab, d_model, n_layers, n_heads, ffn_mult, context   the model (ModelConfig)
  batch, seq, prompt, new_tokens                         seq = prompt + answer tokens; SFT trains on
                                                         seq - 1 positions, the loss on answer tokens
  steps (3), warmup (1), threads (1), lr (1e-4), max_grad_norm (1),
  beta1 (0.9), beta2 (0.98), eps (1e-8), weight_decay (0.01)
Prints one JSON line: torch_version, threads, params, attention, blas, sft_step_ms,
sft_tokens_per_s, gen_ms, gen_tokens_per_s. Needs torch only (any version with
F.gelu(approximate='tanh'), i.e. 1.12 or newer).
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

REQUIRED = ("vocab", "d_model", "n_layers", "n_heads", "ffn_mult", "context", "batch", "seq", "prompt", "new_tokens")
DEFAULTS = {
    "steps": 3, "warmup": 1, "threads": 1, "lr": 1e-4, "max_grad_norm": 1.0,
    "beta1": 0.9, "beta2": 0.98, "eps": 1e-8, "weight_decay": 0.01,
}

# Fused attention where this torch has it (2.0+), as a PyTorch user would write it; the explicit
# matmul-mask-softmax form otherwise. Which one ran is reported, since it changes the figure.
HAS_SDPA = hasattr(F, "scaled_dot_product_attention")


def attend(q, k, v, causal):
    """q [B,H,S,dh] against k, v [B,H,Sk,dh]; causal only when queries and keys are the same positions."""
    if HAS_SDPA:
        return F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    if causal:
        S = q.shape[-2]
        future = torch.ones(S, S, dtype=torch.bool, device=q.device).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    return torch.matmul(torch.softmax(scores, -1), v)


class Block(nn.Module):
    def __init__(self, d, heads, ffn):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.q = nn.Linear(d, d)
        self.k = nn.Linear(d, d)
        self.v = nn.Linear(d, d)
        self.o = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, ffn)
        self.fc2 = nn.Linear(ffn, d)

    def forward(self, x, past=None):
        B, S, d = x.shape
        split = lambda t: t.view(B, S, self.heads, d // self.heads).transpose(1, 2)
        h = self.ln1(x)
        q, k, v = split(self.q(h)), split(self.k(h)), split(self.v(h))
        if past is not None:
            k = torch.cat([past[0], k], 2)
            v = torch.cat([past[1], v], 2)
        # A decode step's one query may see every cached key, so only a pass from position 0 is masked.
        a = attend(q, k, v, causal=past is None)
        x = x + self.o(a.transpose(1, 2).reshape(B, S, d))
        x = x + self.fc2(F.gelu(self.fc1(self.ln2(x)), approximate="tanh"))
        return x, (k, v)


class Policy(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, L = c["d_model"], c["n_layers"]
        self.tok_emb = nn.Embedding(c["vocab"], d)
        self.pos_emb = nn.Embedding(c["context"], d)
        self.blocks = nn.ModuleList(Block(d, c["n_heads"], int(c["ffn_mult"] * d)) for _ in range(L))
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, c["vocab"])
        self.value = nn.Linear(d, 1)
        # params.ts's initialisation (values differ: its RNG is the workbench's own, not torch's).
        resid_std = 0.02 / math.sqrt(2 * L)
        for name, p in self.named_parameters():
            if name.endswith("bias") or name == "value.weight":
                nn.init.zeros_(p)
            elif ".ln" in name or name.startswith("ln_f"):
                nn.init.ones_(p)
            elif name == "pos_emb.weight":
                nn.init.normal_(p, std=0.01)
            elif name.endswith((".o.weight", ".fc2.weight")):
                nn.init.normal_(p, std=resid_std)
            else:
                nn.init.normal_(p, std=0.02)

    def decay_groups(self, weight_decay):
        """params.ts's decay flags: matrices decay; biases, norms, the position table and the zero value head do not."""
        decay, rest = [], []
        for name, p in self.named_parameters():
            is_matrix = p.dim() == 2 and name not in ("pos_emb.weight", "value.weight")
            (decay if is_matrix else rest).append(p)
        return [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]

    def forward(self, tokens, start=0, cache=None):
        """tokens [B,S] at text positions start..start+S; returns logits [B,S,V], values [B,S] and the new cache."""
        pos = torch.arange(start, start + tokens.shape[1])
        x = self.tok_emb(tokens) + self.pos_emb(pos)
        kv = []
        for i, block in enumerate(self.blocks):
            x, layer_kv = block(x, None if cache is None else cache[i])
            kv.append(layer_kv)
        h = self.ln_f(x)
        return self.head(h), self.value(h).squeeze(-1), kv


def median(xs):
    """The same element model.bench.ts's median picks (the upper one for an even count)."""
    return sorted(xs)[len(xs) // 2]


def timed(fn, warmup, steps):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def blas_in_use():
    """The BLAS libraries actually loaded. Debian's torch calls libblas.so.3, whose alternative may be
    the reference BLAS (about 20x slower than OpenBLAS, RECIPE.md): a poor baseline, so it is shown."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
        found = sorted(p for p in paths if "blas" in os.path.basename(p) or "mkl" in os.path.basename(p))
        if found:
            return ", ".join(found)
    except OSError:
        pass  # no /proc (not Linux): report what torch was built with
    return "mkl (built in)" if torch.backends.mkl.is_available() else "unknown"


def main():
    c = json.loads(sys.argv[1] if len(sys.argv) > 1 else sys.stdin.read())
    missing = [k for k in REQUIRED if k not in c]
    if missing:
        sys.exit(f"policy_bench.py: missing config keys {missing}")
    c = {**DEFAULTS, **c}
    B, seq, P, new = c["batch"], c["seq"], c["prompt"], c["new_tokens"]
    V = c["vocab"]
    if P + new - 1 > c["context"] or seq - 1 > c["context"]:
        sys.exit("policy_bench.py: the sequences exceed the context length")
    torch.set_num_threads(c["threads"])
    torch.manual_seed(0)

    model = Policy(c)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(
        model.decay_groups(c["weight_decay"]), lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"],
    )

    # model.bench.ts's SFT batch: random non-special tokens (ids >= 4), every row prompt + answer,
    # so no padding; inputs predict the next token and only answer targets count.
    seqs = torch.randint(4, V, (B, seq))
    inputs, targets = seqs[:, :-1], seqs[:, 1:]
    mask = (torch.arange(seq - 1) >= P - 1).float().expand(B, -1)

    def sft_step():
        opt.zero_grad(set_to_none=True)
        logits, _values, _kv = model(inputs)
        ce = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), reduction="none")
        loss = (ce * mask.reshape(-1)).sum() / mask.sum().clamp(min=1)
        loss.backward()
        # The value head is off the loss's path: no gradient, so clipping and AdamW skip it, as in train-step.ts.
        torch.nn.utils.clip_grad_norm_(model.parameters(), c["max_grad_norm"])
        opt.step()
        return loss.item()  # train-step.ts reads the loss back too

    prompts = torch.randint(4, V, (B, P))
    gen = torch.Generator().manual_seed(5)

    @torch.inference_mode()
    def generate():
        """generate.ts at temperature 1 with no stop token: prefill, then one cached step per token,
        keeping each token's log-prob and value as the rollout does."""
        logits, values, kv = model(prompts)
        logits, values = logits[:, -1], values[:, -1]
        out = []
        for n in range(new):
            logp = torch.log_softmax(logits, -1)
            tok = torch.multinomial(logp.exp(), 1, generator=gen)
            out.append((tok, logp.gather(1, tok), values))
            if n == new - 1:
                break
            logits, values, kv = model(tok, start=P + n, cache=kv)
            logits, values = logits[:, -1], values[:, -1]
        return out

    sft_ms = timed(sft_step, c["warmup"], c["steps"])
    gen_ms = timed(generate, c["warmup"], c["steps"])
    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "params": params,
        "attention": "sdpa" if HAS_SDPA else "manual",
        "blas": blas_in_use(),
        "sft_step_ms": sft_ms,
        "sft_tokens_per_s": B * (seq - 1) * 1000 / sft_ms,
        "gen_ms": gen_ms,
        "gen_tokens_per_s": B * new * 1000 / gen_ms,
    }))


if __name__ == "__main__":
    main()
