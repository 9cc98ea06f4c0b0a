"""Emitters: each turns a checked :class:`perfdsl.ast.Document` into one output format.

``table`` is the layout-driven table model the visual emitters (``docx``, ``html``) share, so a
merge or a label is decided once and both outputs agree.  No emitter reads source text, and
only ``docx`` imports python-docx (loading it costs time ``perfdsl check`` should not pay).
"""
