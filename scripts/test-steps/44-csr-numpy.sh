# Pruned models' sparse files read with NumPy alone: Swift writes a pruned MLP as CSR
# safetensors with inputs and logits beside it; Tests/Python/csr_logits.py parses the file by
# hand, rebuilds the weights and reproduces the logits (docs/sparse-safetensors.md).
set -euo pipefail
bash scripts/test-steps/support/numpy-interop.sh TRAINBOOK_CSR_INTEROP CSRNumPyInteropTests \
    Tests/Python/csr_logits.py
