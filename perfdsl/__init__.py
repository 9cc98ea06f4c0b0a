"""perfdsl: performance-target tables (项目支出绩效目标表) as code."""

__version__ = "0.1.0"
