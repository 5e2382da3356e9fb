# The tutorial notebooks, executed end to end on small data (TRAINBOOK_QUICK=1) by a release
# build: with `trainbook run` and with nbclient (`jupyter execute`) on a kernelspec installed in
# a temporary prefix. Each notebook asserts its own results (accuracy reached, gap closed, …).
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build -c release --product trainbook
trainbook="$(swift build -c release --show-bin-path)/trainbook"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$trainbook" install --prefix "$work" --name trainbook-notebooks >/dev/null
export JUPYTER_PATH="$work/share/jupyter"
export JUPYTER_RUNTIME_DIR="$work/runtime"
export JUPYTER_DATA_DIR="$work/data"
export TRAINBOOK_HISTORY="$work/history.jsonl"
export TRAINBOOK_QUICK=1
for notebook in notebooks/01-first-model.ipynb notebooks/02-gradient-descent-and-regularization.ipynb \
    notebooks/03-hyperparameter-tuning.ipynb notebooks/07-quantization.ipynb; do
    name=$(basename "$notebook" .ipynb)
    echo "--- trainbook run $notebook"
    start=$SECONDS
    "$trainbook" run "$notebook" --output "$work/$name.run.ipynb" --timeout 900
    echo "--- $name with trainbook run: $((SECONDS - start)) s"
    echo "--- jupyter execute $notebook"
    start=$SECONDS
    cp "$notebook" "$work/$name.ipynb"
    .venv-test/bin/jupyter execute --kernel_name=trainbook-notebooks --timeout=900 --inplace \
        "$work/$name.ipynb"
    echo "--- $name with nbclient: $((SECONDS - start)) s"
done
