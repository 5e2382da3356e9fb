# The language tour (notebooks/00-language-tour.ipynb) run end to end by `trainbook run` on the
# debug build: every cell asserts what it computes, so any error fails the step.
set -euo pipefail
swift build --product trainbook
output=$(mktemp -d)
trap 'rm -rf "$output"' EXIT
TRAINBOOK_QUICK=1 .build/debug/trainbook run notebooks/00-language-tour.ipynb \
    --output "$output/00-language-tour.ipynb" --timeout 120
