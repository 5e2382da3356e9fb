# The benchmark harness (bench/): `bench/run --quick --debug` runs every benchmark on small
# sizes against the debug build (Trainbook vs NumPy, OpenBLAS and ipykernel; PyTorch only if
# bench/.venv already has it) and fails if a figure is missing or a cell's result is wrong; then
# the harness's own unit tests (bench/tests). It proves the harness works and asserts no speed.
set -euo pipefail
bash bench/run --quick --debug
bench/.venv/bin/python -m pytest -q -p no:cacheprovider bench/tests
