# Rich output over the wire (issue 5): live training progress (display_data, then
# update_display_data with the same display_id within the throttle, then execute_result), the
# text kernelspec and %progress, and charts' SVG (parsed as XML) and PNG (decoded with zlib and
# struct); then every message received validated against protocol/schemas.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build --product trainbook
export TRAINBOOK_BIN="$(swift build --show-bin-path)/trainbook"
.venv-test/bin/python -m pytest -q -p no:cacheprovider --timeout 180 \
    Tests/Python/test_display.py \
    Tests/Python/test_zz_schemas.py
# The tour of the views on Fashion-MNIST (quick sizes), end to end through the terminal client.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
TRAINBOOK_QUICK=1 "$TRAINBOOK_BIN" run notebooks/charts-and-progress.ipynb \
    --output "$work/charts-and-progress.ipynb" --timeout 600 >/dev/null
