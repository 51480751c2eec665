"""Variant submissions of a4_training: several correct ways and real misconceptions.

``variants.py`` holds them as plain functions named ``<function>__<variant>``;
``CORRECT`` and ``WRONG`` there list them per graded function.
"""
