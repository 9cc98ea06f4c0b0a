"""Standards as data: the indicator frameworks and the published table layouts."""
