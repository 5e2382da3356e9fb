# Notebooks and clients: nbclient (`jupyter execute`) on the Trainbook kernel, `trainbook run` on
# it, and the terminal client proven against a kernel nobody here wrote: `trainbook run` and
# `trainbook console` (in a pseudo-terminal) on the test venv's ipykernel.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build --product trainbook
export TRAINBOOK_BIN="$(swift build --show-bin-path)/trainbook"
.venv-test/bin/python -m pytest -q -p no:cacheprovider --timeout 180 \
    Tests/Python/test_notebooks.py \
    Tests/Python/test_trainbook_run.py \
    Tests/Python/test_run_pipes_and_pages.py \
    Tests/Python/test_console.py \
    Tests/Python/test_zz_schemas.py
