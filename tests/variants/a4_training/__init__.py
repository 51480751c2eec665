"""Variants of the a4_training functions: ``<function>.py`` holds ``correct_*`` and ``wrong_*``
definitions and ``EXPECTED_FAILURES`` (see ``tests/support/variants.py``)."""
