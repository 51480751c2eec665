"""Variants of the a5_pretrained functions: ``<function>.py`` holds ``correct_*`` and ``wrong_*``
definitions and ``EXPECTED_FAILURES`` (see ``tests/support/variants.py``)."""
