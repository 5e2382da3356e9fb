"""The Jupyter team's own conformance suite (jupyter_kernel_test) against the installed Trainbook
kernelspec, with every sample attribute it supports filled in for the cell language."""

from __future__ import annotations

import unittest

import jupyter_kernel_test
from conftest import KERNEL_NAME


class TrainbookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "swift"
    file_extension = ".swift"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'print("to standard error", to: &standardError)'

    completion_samples = [
        {"text": "debugPr", "matches": {"debugPrint"}},
        {"text": "Double.p", "matches": {"pi"}},
        # Letters in order, when nothing starts with them.
        {"text": "Double.uOne", "matches": {"ulpOfOne"}},
        {"text": "pri"},
    ]

    complete_code_samples = ["1", 'print("hello, world")', "func f() {}", "let x = [1, 2]"]
    incomplete_code_samples = ["func f() {", "let x = [1,", "for i in 0..<3 {", "1 +"]
    invalid_code_samples = ["let x = }", "let = 3", "x = )"]

    code_page_something = "%help print"

    code_generate_error = "undefinedName + 1"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": '"ab"'},
        {"code": "[1, 2, 3].map { $0 * 2 }", "result": "[2, 4, 6]"},
    ]
    code_history_pattern = "1 ? 2"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'display(html: "<b>bold</b>")', "mime": "text/html"},
        {"code": 'display(svg: "<svg xmlns=\\"http://www.w3.org/2000/svg\\"/>")', "mime": "image/svg+xml"},
        {"code": "display([1, 2])", "mime": "text/plain"},
    ]

    code_inspect_sample = "print"

    code_clear_output = 'print("soon gone")\nclearOutput()'


class TrainbookIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = KERNEL_NAME
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
