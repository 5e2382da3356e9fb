# Int8 model files read with NumPy alone (docs/int8-safetensors.md): Swift quantizes models
# (static, dynamic, entropy-calibrated) and writes them with their logits; a NumPy-only script
# parses the safetensors files by hand, recomputes the integer forward pass and compares.
set -euo pipefail
bash scripts/test-steps/support/numpy-interop.sh TRAINBOOK_INT8_INTEROP Int8InteropTests \
    Tests/Python/int8_interop.py verify
