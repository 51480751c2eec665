"""Variants of the a6_pretraining functions: ``<function>.py`` holds ``correct_*`` and ``wrong_*``
definitions and ``EXPECTED_FAILURES`` (see ``tests/support/variants.py``)."""
