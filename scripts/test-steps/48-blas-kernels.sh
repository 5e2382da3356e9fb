# The BLAS start-up on the real OpenBLAS (docs/blas.md): with OPENBLAS_CORETYPE set, the user's
# kernels stay; without it, OpenBLAS runs a vector core whenever the CPU has AVX2 + FMA; and
# rehearsed from the generic Prescott kernels (what Debian's OpenBLAS 0.3.21 loads on Sapphire
# Rapids Xeons), the start-up switches to the kernels this CPU's flags call for and its
# self-check agrees with the float64 reference. Seconds on the debug build.
set -euo pipefail
swift build --product trainbook-bench
python3 - .build/debug/trainbook-bench <<'PYTHON'
import json, os, subprocess, sys

binary = sys.argv[1]


def blas(*arguments, **environment):
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    env.update(environment)
    output = subprocess.run([binary, "blas", *arguments], env=env, capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in output.stdout.splitlines() if line.startswith("{")]
    return lines[-1], output.stderr


flags = set()
with open("/proc/cpuinfo") as cpuinfo:
    for line in cpuinfo:
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
avx2 = {"avx2", "fma"} <= flags
avx512 = avx2 and {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags
wanted = ("Cooperlake" if "avx512_bf16" in flags else "SkylakeX") if avx512 else "Haswell" if avx2 else None

user, _ = blas(OPENBLAS_CORETYPE="Prescott")
assert user["core"] == "Prescott" and "(OPENBLAS_CORETYPE)" in user["kernels"], user
print("user's variable wins:", user["kernels"])

plain, _ = blas()
vector = {"haswell", "zen", "skylakex", "cooperlake", "sapphirerapids"}
assert not avx2 or plain["core"].lower() in vector, plain
print("start-up:", plain["description"])

rehearsal, stderr = blas("--rehearse-from", "Prescott")
if wanted is None:
    assert rehearsal["rehearsal_core"] == "Prescott", rehearsal
else:
    expected = f"{wanted} (OpenBLAS chose its generic Prescott kernels)"
    assert rehearsal["rehearsal"] == expected, (rehearsal, stderr)
print("rehearsed from Prescott:", rehearsal["rehearsal"])
PYTHON
