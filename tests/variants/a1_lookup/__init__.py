"""Variants of the a1_lookup functions: correct ones written differently, and wrong
ones that each embody one real misconception.

One module per function. Each wrong variant's docstring names its misconception, and
the module's ``EXPECTED_FAILURES`` names exactly the test cells (grade_ids) it must
fail; correct variants must pass every cell. ``tests/checks`` and the nbgrader
pipeline proof in ``tests/assignments`` both hold the variants to that.
"""
