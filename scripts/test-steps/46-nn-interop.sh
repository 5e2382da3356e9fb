# PyTorch state-dict interop of the NN module, checked with NumPy and safetensors: Python writes
# torch-layout weights and NumPy reference outputs; Swift loads them into the equivalent models,
# runs them and saves its own models; Python checks the outputs and that Trainbook's files have
# torch's names, shapes and dtypes.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
python=.venv-test/bin/python
"$python" -c "import numpy, safetensors"
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
"$python" Tests/Python/nn_interop.py write "$directory"
swift build --build-tests
TRAINBOOK_NN_INTEROP="$directory" swift test --skip-build --filter PyTorchInteropTests
"$python" Tests/Python/nn_interop.py verify "$directory"
