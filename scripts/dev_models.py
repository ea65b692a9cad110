"""Development helper for `npm run dev-models` (never needed by users): the parity reference for one model folder that
scripts/dev-models.ts unpacked from the Maven jars. Runs inside the cached virtualenv that dev-models.ts creates
(tokenizers, onnxruntime and numpy only, pinned in scripts/dev-models-requirements.txt).

  python scripts/dev_models.py --model-dir models/Xenova/e5-small-v2 --pooling mean --prefix 'passage: ' \
      --max-tokens 512 --sentences scripts/parity-sentences.txt --out e5.reference.json

Writes {"maxTokens": int, "ids": [[int]], "embeddings": [[float]]}:
- ids: the `tokenizers` package's ids for each sentence as given (special tokens included, no padding, truncated at
  --max-tokens; tokenizer.json's own truncation and padding settings, e.g. MiniLM's 128, are replaced by these);
- embeddings: onnxruntime's run of the folder's onnx/model.onnx on each sentence with --prefix in front, one sentence
  at a time (so no padding), pooled (mean over the tokens, or the first token: [CLS]) and normalised to unit length.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", required=True, type=Path)
    parser.add_argument("--pooling", required=True, choices=["mean", "cls"])
    parser.add_argument("--prefix", default="")
    parser.add_argument("--max-tokens", required=True, type=int)
    parser.add_argument("--sentences", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()

    sentences = [line for line in args.sentences.read_text(encoding="utf-8").splitlines() if line.strip()]
    tokenizer = Tokenizer.from_file(str(args.model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=args.max_tokens)

    session = ort.InferenceSession(str(args.model_dir / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    wanted = {i.name for i in session.get_inputs()}
    # The token vectors, under the names the project's Embedder looks for, in its order.
    names = [o.name for o in session.get_outputs()]
    output = next((n for n in ("last_hidden_state", "token_embeddings", "logits") if n in names), names[0])
    embeddings = []
    for sentence in sentences:
        encoding = tokenizer.encode(args.prefix + sentence)
        feeds = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        hidden = session.run([output], {k: v for k, v in feeds.items() if k in wanted})[0][0]  # (tokens, dimensions)
        vector = hidden[0] if args.pooling == "cls" else hidden.mean(axis=0)
        embeddings.append((vector / np.linalg.norm(vector)).astype(float).tolist())

    ids = [tokenizer.encode(s).ids for s in sentences]
    args.out.write_text(json.dumps({"maxTokens": args.max_tokens, "ids": ids, "embeddings": embeddings}), encoding="utf-8")


if __name__ == "__main__":
    main()
