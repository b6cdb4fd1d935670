#!/usr/bin/env bash
# The GPU check, for the day RunThru gets a machine with an NVIDIA GPU (not run yet:
# no GPU was lent while it was written). One command:
#
#   bash bench/gpu_check.sh            # installs two environments, then runs everything
#   SKIP_INSTALL=1 bash bench/gpu_check.sh
#
# It installs each neural engine with the commands of docs/neural-engines.md (CUDA torch
# pair first), then prints for Chatterbox and IndexTTS2, with random checkpoints and with
# the real weights when they are in data/models/: load time, real-time factor (seconds of
# work per second of audio), peak GPU memory; and the batched Chatterbox benchmark
# (target: aggregate RTF <= 0.03 on one H100/H200, >= 20x upstream's one-line-at-a-time).
# Results land in bench/results/ (gpu_chatterbox.json, gpu_indextts2.json, chatterbox_batch.json).
set -euo pipefail
cd "$(dirname "$0")/.."
TORCH=(torch==2.11.0 torchaudio==2.11.0)  # a matching CUDA pair from PyPI
CB=.venv-gpu-chatterbox
IX=.venv-gpu-indextts
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv || echo "nvidia-smi not found"

if [ -z "${SKIP_INSTALL:-}" ]; then
  [ -x $CB/bin/python ] || python3.11 -m venv $CB
  $CB/bin/pip install -q "${TORCH[@]}"
  $CB/bin/pip install -q -e ".[chatterbox]" -c constraints/chatterbox.txt
  $CB/bin/pip install -q --no-deps chatterbox-tts==0.1.7
  [ -x $IX/bin/python ] || python3.11 -m venv $IX
  $IX/bin/pip install -q "${TORCH[@]}"
  $IX/bin/pip install -q -e ".[indextts]" -c constraints/indextts.txt
  $IX/bin/pip install -q --no-deps tts-webui-index-tts==2.0.1
fi

echo "== Chatterbox =="
$CB/bin/python bench/gpu_engines.py chatterbox
echo "== IndexTTS2 =="
$IX/bin/python bench/gpu_engines.py indextts2
echo "== Chatterbox batched vs upstream (full-size random checkpoint, 64 lines) =="
$CB/bin/python bench/chatterbox_batch.py --full --lines 64
