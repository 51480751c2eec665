"""Variants of the a2_linear functions: correct ones written differently, and wrong
ones that each embody one real misconception (see ``tests/support/variants.py``)."""
