"""Variant submissions of a3_similarity: several correct ways and real misconceptions.

``variants.py`` holds them as plain functions named ``<function>__<variant>``;
``CORRECT`` and ``WRONG`` there list them per graded function. The checks' unit
tests call them directly, and the pipeline test puts them into notebooks and
grades them with nbgrader.
"""
