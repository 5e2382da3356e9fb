# PyTorch state-dict interop of the NN module, checked with NumPy and safetensors: Python writes
# torch-layout weights and NumPy reference outputs; Swift loads them into the equivalent models,
# runs them and saves its own models; Python checks the outputs and that Trainbook's files have
# torch's names, shapes and dtypes. Then a CNN trained by PyTorch itself becomes the frozen body
# of a new Trainbook model (Tests/Python/torch_transfer.py, PyTorchTransferTests).
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

# A CNN trained in PyTorch (Debian's python3-torch) and saved with safetensors.torch.save_file
# loads as the frozen body of a new Trainbook model (PyTorchTransferTests).
torch_venv=.venv-torch
torch_stamp=$torch_venv/requirements.stamp
if [ ! -f "$torch_stamp" ] || ! cmp -s Tests/Python/requirements-torch.txt "$torch_stamp"; then
    rm -rf "$torch_venv"
    # Debian's own Python, whose dist-packages hold python3-torch (not a python3 of pyenv).
    /usr/bin/python3 -m venv --system-site-packages "$torch_venv"
    "$torch_venv/bin/pip" install --quiet --disable-pip-version-check \
        -r Tests/Python/requirements-torch.txt
    cp Tests/Python/requirements-torch.txt "$torch_stamp"
fi
"$torch_venv/bin/python" Tests/Python/torch_transfer.py "$directory/torch"
TRAINBOOK_TORCH_TRANSFER="$directory/torch" swift test --skip-build --filter PyTorchTransferTests
