# Int8 model files read with NumPy alone (docs/int8-safetensors.md): Swift quantizes models
# (static, dynamic, entropy-calibrated) and writes them with their logits; a NumPy-only script
# parses the safetensors files by hand, recomputes the integer forward pass and compares.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
python=.venv-test/bin/python
"$python" -c "import numpy"
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
swift build --build-tests
TRAINBOOK_INT8_INTEROP="$directory" swift test --skip-build --filter Int8InteropTests
"$python" Tests/Python/int8_interop.py verify "$directory"
