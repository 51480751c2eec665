"""The quiz's model: options, practice checking by salted hash, and the answer line.

Graded questions never carry their key (it lives only in the instructor's
reference); the model of a graded question can only say which line records an
answer in the notebook. Practice questions store ``sha256:<salt>:<hex>`` so the
key is not plain text in the notebook (a determined student can still try every
option: for practice that is fine, the widget tells them anyway).
"""
from __future__ import annotations

import hashlib
import hmac
import keyword
import secrets
import string
from typing import Mapping, Sequence

LETTERS = string.ascii_lowercase


def hash_answer(answer: str, salt: str | None = None) -> str:
    """The practice key for ``answer`` (an option letter): ``"sha256:<salt>:<hexdigest>"``.

    Run this once when writing a practice question and paste the result as
    ``practice_key=``; a fresh random salt is used unless one is given.
    """
    salt = secrets.token_hex(8) if salt is None else salt
    if ":" in salt:
        raise ValueError("the salt must not contain ':'")
    digest = hashlib.sha256(f"{salt}:{answer}".encode()).hexdigest()
    return f"sha256:{salt}:{digest}"


def _parse_key(practice_key: str) -> tuple[str, str]:
    parts = practice_key.split(":") if isinstance(practice_key, str) else []
    if len(parts) != 3 or parts[0] != "sha256" or len(parts[2]) != 64:
        raise ValueError("practice_key must come from widgets.hash_answer(letter): "
                         '"sha256:<salt>:<64 hex digits>"')
    return parts[1], parts[2]


class QuizModel:
    """A multiple-choice question, in practice mode (with a hashed key) or graded mode (named).

    ``options`` is a list of texts (lettered a, b, c, ...) or a ``{letter: text}`` dict.
    Exactly one of ``name`` (graded: the notebook variable that records the answer)
    and ``practice_key`` (practice: from :func:`hash_answer`) must be given.
    """

    def __init__(self, question: str, options: Sequence[str] | Mapping[str, str], *,
                 name: str | None = None, practice_key: str | None = None):
        if (name is None) == (practice_key is None):
            raise ValueError("give name= for a graded question or practice_key= for a practice "
                             "question (exactly one of them)")
        if isinstance(options, Mapping):
            self.options = {str(k): str(v) for k, v in options.items()}
        elif isinstance(options, str):
            raise TypeError("options must be a list of texts or a {letter: text} dict, not a str")
        else:
            self.options = dict(zip(LETTERS, map(str, options)))
            if len(options) > len(LETTERS):
                raise ValueError(f"at most {len(LETTERS)} options")
        if len(self.options) < 2:
            raise ValueError("a multiple-choice question needs at least two options")
        if name is not None and (not name.isidentifier() or keyword.iskeyword(name)):
            raise ValueError(f"name must be a Python variable name; got {name!r}")
        self.question, self.name = question, name
        self._salt_digest = None if practice_key is None else _parse_key(practice_key)

    @property
    def graded(self) -> bool:
        return self.name is not None

    def is_correct(self, letter: str) -> bool:
        """Practice mode only: whether ``letter`` is the right option."""
        if self._salt_digest is None:
            raise ValueError("a graded question does not know its answer")
        salt, digest = self._salt_digest
        candidate = hashlib.sha256(f"{salt}:{letter}".encode()).hexdigest()
        return hmac.compare_digest(candidate, digest)

    def answer_line(self, letter: str) -> str:
        """Graded mode: the exact line that records ``letter`` in the answer cell."""
        if not self.graded:
            raise ValueError("a practice question records no answer")
        if letter not in self.options:
            raise ValueError(f"{letter!r} is not one of the options {list(self.options)}")
        return f'{self.name} = "{letter}"'

    def recorded_status(self, namespace: Mapping[str, object]) -> tuple[str, str | None]:
        """What the notebook currently records for this question.

        Returns ``("missing", None)``, ``("valid", letter)`` or ``("invalid", repr)``.
        Case and surrounding spaces are forgiven (``" C"`` records ``c``), as the
        assignments' visible answer checks do.
        """
        if not self.graded or self.name not in namespace:
            return "missing", None
        value = namespace[self.name]
        if isinstance(value, str):
            for letter in (value, value.strip().lower()):
                if letter in self.options:
                    return "valid", letter
        return "invalid", repr(value)
