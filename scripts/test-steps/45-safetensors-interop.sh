# safetensors interop with Hugging Face's reference implementation (Python `safetensors.numpy`):
# Python writes a file that Swift reads and compares value by value; Swift writes a file that
# Python reads, compares, and writes again to check the bytes are identical.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
python=.venv-test/bin/python
"$python" -c "import numpy, safetensors"
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
"$python" Tests/Python/safetensors_interop.py write "$directory"
swift build --build-tests
TRAINBOOK_SAFETENSORS_INTEROP="$directory" swift test --skip-build --filter SafeTensorsInteropTests
"$python" Tests/Python/safetensors_interop.py verify "$directory"
