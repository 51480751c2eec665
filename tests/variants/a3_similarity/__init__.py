"""Variants of the a3_similarity functions: ``<function>.py`` holds ``correct_*`` and ``wrong_*``
definitions and ``EXPECTED_FAILURES`` (see ``tests/support/variants.py``)."""
