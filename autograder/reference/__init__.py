"""Reference solutions, one module per assignment (instructor install only).

They are what hidden checks compare student code against; the source notebooks'
solution cells hold the same solutions for the instructor to read.
"""
