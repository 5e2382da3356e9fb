# The real `trainbook kernel` over the wire: raw-ZeroMQ tests (signatures, replays, malformed
# frames, pipelining, SIGINT, shutdown), the Jupyter team's jupyter_kernel_test conformance suite,
# interrupts in both modes, the protocol side of the hostile-input corpus (heartbeat garbage,
# corrupt and shared history files, connection files without keys or ports), 200 start →
# execute → shutdown cycles with every core busy (about 3 minutes; TRAINBOOK_STRESS_CYCLES
# changes the count), then every message received from the kernel validated against
# protocol/schemas. The kernelspec and the history file live in a temporary directory.
set -euo pipefail
bash scripts/test-steps/30-python-venv.sh
swift build --product trainbook
export TRAINBOOK_BIN="$(swift build --show-bin-path)/trainbook"
.venv-test/bin/python -m pytest -q -p no:cacheprovider --timeout 120 \
    Tests/Python/test_raw_zmq.py \
    Tests/Python/test_conformance.py \
    Tests/Python/test_interrupts.py \
    Tests/Python/test_hostile_kernel.py \
    Tests/Python/test_lifecycle_stress.py \
    Tests/Python/test_lazy_libraries.py \
    Tests/Python/test_zz_schemas.py
