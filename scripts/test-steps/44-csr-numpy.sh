# Pruned models' sparse files read with NumPy alone: Swift writes a pruned MLP as CSR
# safetensors with inputs and logits beside it; Tests/Python/csr_logits.py parses the file by
# hand, rebuilds the weights and reproduces the logits (docs/sparse-safetensors.md).
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
python=.venv-test/bin/python
"$python" -c "import numpy"
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
swift build --build-tests
TRAINBOOK_CSR_INTEROP="$directory" swift test --skip-build --filter CSRNumPyInteropTests
"$python" Tests/Python/csr_logits.py "$directory"
