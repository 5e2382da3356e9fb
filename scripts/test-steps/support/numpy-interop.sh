# The common part of the NumPy interop steps (44-csr-numpy, 49-int8-interop): a Swift test
# suite writes model files and their logits into a temporary directory named by an environment
# variable, then a NumPy-only Python script reads them by hand and reproduces the logits.
#
# Usage: bash scripts/test-steps/support/numpy-interop.sh ENV_VARIABLE SUITE SCRIPT [ARGUMENT...]
# (the directory is appended to the script's arguments).
set -euo pipefail
variable=$1 suite=$2 script=$3
shift 3
bash scripts/test-steps/30-python-venv.sh
python=.venv-test/bin/python
"$python" -c "import numpy"
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
swift build --build-tests
env "$variable=$directory" swift test --skip-build --filter "$suite"
"$python" "$script" "$@" "$directory"
