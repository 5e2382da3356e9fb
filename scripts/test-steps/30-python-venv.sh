# The Python side of the tests (jupyter_kernel_test, nbclient, jsonschema, ipykernel) in a
# pinned venv at .venv-test, rebuilt when Tests/Python/requirements.txt changes.
set -euo pipefail
venv=.venv-test
stamp=$venv/requirements.stamp
if [ ! -f "$stamp" ] || ! cmp -s Tests/Python/requirements.txt "$stamp"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/Python/requirements.txt
    cp Tests/Python/requirements.txt "$stamp"
fi
"$venv/bin/python" -c "import jupyter_client, jupyter_kernel_test, nbclient, jsonschema, jupyterlab, selenium"
