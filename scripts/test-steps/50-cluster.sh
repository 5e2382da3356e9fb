# The MPI cluster (issue 16): unit tests of the launcher, then a real kernel that starts
# `mpirun --oversubscribe -np 2 trainbook-worker` itself, driven by jupyter_client.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build --product trainbook
swift build --product trainbook-worker
export TRAINBOOK_BIN="$(swift build --show-bin-path)/trainbook"
.venv-test/bin/python -m pytest -q -p no:cacheprovider --timeout 300 Tests/Python/test_cluster.py
