"""Standards as data: the field registry, the indicator frameworks and the templates."""
