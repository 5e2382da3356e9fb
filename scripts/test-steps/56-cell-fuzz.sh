# The cell language's fuzzer (Sources/cell-fuzz) on the release build: 17,000 generated and
# mutated cells with a fixed seed, including library calls with bad shapes and indexes. Every
# cell must end in a value or an error; a cell still running 20 s after its interrupt (sent at
# 2 s) is a hang and a crash ends the process: either fails the step. Then the differential
# check of the compiler's fast paths: its self-test (a planted divergence must be reported),
# and 3,000 cells run with and without the fast paths, which must print, return and fail
# alike. About a minute of CPU.
set -euo pipefail
swift build -c release --product cell-fuzz
.build/release/cell-fuzz --differential-self-test
.build/release/cell-fuzz --cells 17000 --differential 3000 --seed 1 --time-limit 2 --hang-limit 20
