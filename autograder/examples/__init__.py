"""Bundled example submissions: the demo's students and the variants the tests grade."""
