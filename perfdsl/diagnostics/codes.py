"""The registry of diagnostic codes: the stable interface users suppress, grep and read about.

Numbering: PD0xxx reading the file, PD1xxx syntax, PD2xxx structure the parser checks, PD3xxx
indicator frameworks, PD4xxx money, PD5xxx values, PD9xxx the tool itself.  A code is never
reused for a different meaning.  ``perfdsl explain CODE`` and docs/diagnostics/ read from here.
"""

from __future__ import annotations

import attrs

from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg, Severity


@attrs.frozen(slots=True)
class Code:
    code: str
    name: str
    severity: Severity
    title: Msg
    explanation: Msg
    #: Lints can be suppressed with "# perfdsl: ignore[name]"; errors of the language cannot.
    suppressible: bool = False

    def at(
        self,
        span: Span | None,
        message: Msg | None = None,
        help: Msg | None = None,
        notes: tuple[Msg, ...] = (),
        severity: Severity | None = None,
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            message=message or self.title,
            span=span,
            help=help,
            notes=notes,
        )


REGISTRY: dict[str, Code] = {}
BY_NAME: dict[str, Code] = {}


def register(code: Code) -> Code:
    if code.code in REGISTRY or code.name in BY_NAME:
        raise ValueError(f"diagnostic {code.code} / {code.name} registered twice")
    REGISTRY[code.code] = code
    BY_NAME[code.name] = code
    return code


def lookup(code_or_name: str) -> Code | None:
    key = code_or_name.strip()
    return REGISTRY.get(key.upper()) or BY_NAME.get(key.lower())


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE


def _code(
    code: str,
    name: str,
    severity: Severity,
    zh: str,
    en: str,
    explain_zh: str,
    explain_en: str,
    suppressible: bool = False,
) -> Code:
    return register(
        Code(code, name, severity, Msg(zh, en), Msg(explain_zh, explain_en), suppressible)
    )


# --- reading the file ------------------------------------------------------------------------

IO_ERROR = _code(
    "PD0001",
    "io-error",
    E,
    "无法读取文件",
    "cannot read the file",
    "文件不存在、没有读权限，或者是一个目录。检查路径是否正确。",
    "The file does not exist, cannot be read, or is a directory. Check the path.",
)
NOT_UTF8 = _code(
    "PD0002",
    "not-utf8",
    W,
    "文件不是 UTF-8 编码",
    "the file is not UTF-8",
    "perfdsl 的源文件应保存为 UTF-8。Windows 记事本或 Excel 常把中文存为 GBK（GB18030）；"
    "perfdsl 会按 GBK 读入并给出本警告。请用编辑器“另存为 UTF-8”，或运行 "
    "`iconv -f GB18030 -t UTF-8 旧文件 > 新文件`。`perfdsl fmt` 会以 UTF-8 写回。",
    "perfdsl sources should be saved as UTF-8. Windows Notepad and Excel often save Chinese as "
    "GBK (GB18030); perfdsl then reads the file as GBK and gives this warning. Save it as UTF-8 "
    "in your editor, or run `iconv -f GB18030 -t UTF-8 old > new`. `perfdsl fmt` writes UTF-8.",
)
UNDECODABLE = _code(
    "PD0003",
    "undecodable",
    E,
    "无法识别文件编码",
    "cannot decode the file",
    "文件既不是 UTF-8 也不是 GBK/GB18030 文本，可能是 Word 或 Excel 文件而不是纯文本。"
    "perfdsl 读的是纯文本源文件（.pdsl）。",
    "The file is neither UTF-8 nor GBK/GB18030 text; it may be a Word or Excel file rather "
    "than plain text. perfdsl reads plain-text sources (.pdsl).",
)

# --- syntax ----------------------------------------------------------------------------------

MISSING_COLON = _code(
    "PD1001",
    "missing-colon",
    E,
    "这一行缺少冒号",
    "this line has no colon",
    "每一行都写成“名称: 值”或“名称:”（下面跟缩进的内容）。名称和值之间要有冒号，"
    "半角 `:` 或全角 `：` 都可以。编号的目标条目（`1.……`）除外。",
    "Every line is `name: value`, or `name:` followed by an indented block. Put a colon "
    "(half-width `:` or full-width `：`) between the name and the value. Numbered goal items "
    "(`1.…`) are the exception.",
)
TAB_INDENT = _code(
    "PD1002",
    "tab-indentation",
    E,
    "缩进里有制表符（Tab）",
    "a tab in the indentation",
    "层级靠缩进表示，而制表符在不同编辑器里宽度不同，所以只能用空格缩进（建议每级两个空格）。"
    "`perfdsl fmt` 输出的文件只用空格。",
    "Levels are shown by indentation, and a tab is a different width in every editor, so "
    "indent with spaces only (two per level is the canonical form `perfdsl fmt` writes).",
)
BAD_DEDENT = _code(
    "PD1003",
    "inconsistent-indentation",
    E,
    "缩进与上面任何一级都对不齐",
    "the indentation matches no enclosing level",
    "退回上一级时，缩进必须与那一级的某一行完全对齐。多一个或少一个空格，perfdsl 就无法判断"
    "这一行属于哪一级。",
    "When a line goes back out a level, its indentation must equal that of a line at that "
    "level. One space more or less and perfdsl cannot tell which level the line belongs to.",
)
UNEXPECTED_INDENT = _code(
    "PD1004",
    "unexpected-indent",
    E,
    "这里不应该缩进",
    "unexpected indentation",
    "只有以冒号结尾的行（或带值的指标、预算数）下面可以有缩进的内容；编号的目标条目下面不能再缩进。",
    "Only a line ending in a colon (or an indicator or 预算数 with a value) can have an indented "
    "block under it; a numbered goal item cannot.",
)
SYNTAX_ERROR = _code(
    "PD1005",
    "syntax-error",
    E,
    "无法理解这一行",
    "cannot read this line",
    "这一行不符合“名称: 值”的写法。错误信息会说明此处期待什么。",
    "This line is not of the form `name: value`; the message says what was expected here.",
)
EMPTY_TEXT_BLOCK = _code(
    "PD1006",
    "empty-text-block",
    E,
    "多行文本 `|` 下面没有内容",
    "a `|` text block has no lines",
    "`名称: |` 表示下面缩进的若干行是一段多行文本。`|` 之后至少要有一行缩进的文字。",
    "`name: |` means the indented lines below are one multi-line text; write at least one "
    "indented line after it.",
)

# --- structure -------------------------------------------------------------------------------

UNKNOWN_KEY = _code(
    "PD2001",
    "unknown-key",
    E,
    "未知的字段名",
    "unknown key",
    "perfdsl 不会悄悄丢弃看不懂的内容：拼错的字段名是错误，并会提示最接近的正确写法。"
    "各级可用的字段见语言参考（docs/language.md）。",
    "perfdsl never silently drops what it does not understand: a misspelt key is an error, "
    "with the closest correct spelling as a suggestion. docs/language.md lists the keys of "
    "each level.",
)
DUPLICATE_KEY = _code(
    "PD2002",
    "duplicate-key",
    E,
    "同一字段写了两次",
    "the same key is written twice",
    "一个字段只能出现一次，否则无法知道哪一个算数。删掉其中一个。",
    "A key may appear once; with two, it is unclear which one counts. Remove one of them.",
)
MISSING_HEADER = _code(
    "PD2003",
    "missing-header",
    E,
    "文件头缺少必填字段",
    "the header lacks a required key",
    "每个文件开头要写明 单位（编码和名称）、年度 和 金额单位，因为表格的抬头和所有金额的换算都依赖它们。",
    "Every file starts with 单位 (code and name), 年度 and 金额单位: the tables' headings and "
    "every money conversion depend on them.",
)
INVALID_HEADER = _code(
    "PD2004",
    "invalid-header-value",
    E,
    "文件头的值无效",
    "invalid header value",
    "年度 是四位数的年份（如 2024）；金额单位 是 元、万元 或 亿元 之一；单位 写作“编码 名称”。",
    "年度 is a four-digit year (2024); 金额单位 is one of 元, 万元, 亿元; 单位 is `code name`.",
)
INVALID_AMOUNT = _code(
    "PD2005",
    "invalid-amount",
    E,
    "金额不是数字",
    "the amount is not a number",
    "预算数和各资金来源写数字，可带金额单位：`146.00`、`4137280元`、`1.5亿元`。"
    "不写单位时按文件头的 金额单位 计。千分位逗号可以写，比较和换算都是精确的。",
    "预算数 and the funding lines take a number, optionally with a money unit: `146.00`, "
    "`4137280元`, `1.5亿元`. Without a unit the file's 金额单位 applies. Thousands separators "
    "are allowed; all arithmetic is exact.",
)
MISPLACED_ITEM = _code(
    "PD2006",
    "misplaced-item",
    E,
    "条目放错了位置",
    "a list item in the wrong place",
    "编号条目（`1.……`）只能写在 绩效目标 或 中期目标 下面；这两个字段下面只能写编号条目。",
    "Numbered items (`1.…`) belong under 绩效目标 or 中期目标, and those take nothing else.",
)
INVALID_ATTRIBUTE = _code(
    "PD2007",
    "invalid-attribute",
    E,
    "指标属性的值无效",
    "invalid indicator attribute",
    "权重/分值 是数字；方向 是 正向 或 反向。",
    "权重 (weight) is a number; 方向 (direction) is 正向 or 反向.",
)
TOO_DEEP = _code(
    "PD2008",
    "unexpected-block",
    E,
    "这里不能再有下一级内容",
    "nothing can be nested here",
    "层级是固定的：项目 → 一级指标 → 二级指标 → 三级指标 → 指标属性。属性和文本字段下面不能再缩进内容。",
    "The levels are fixed: project → 一级 → 二级 → 三级 → indicator attributes. Attributes "
    "and text fields take no block under them.",
)
MISSING_NAME = _code(
    "PD2009",
    "missing-project-name",
    E,
    "项目没有名称",
    "the project has no name",
    "项目写作 `项目 名称:`，名称就是表格里的“项目名称”。",
    "A project is written `项目 <name>:`; the name is the table's 项目名称.",
)
MISSING_BUDGET = _code(
    "PD2010",
    "missing-budget",
    E,
    "项目缺少预算数",
    "the project has no 预算数",
    "每张绩效目标表都要写预算数（预算规模），金额检查也以它为准。",
    "Every table states its 预算数 (budget); the money checks are measured against it.",
)
BLOCK_EXPECTED = _code(
    "PD2011",
    "block-expected",
    E,
    "这里应该是缩进的下一级，而不是值",
    "an indented block is expected here, not a value",
    "一级指标下面是二级指标，二级指标下面是三级指标及其指标值。一级、二级指标自身不带值。",
    "A 一级 holds 二级 blocks, a 二级 holds indicators with their values; 一级 and 二级 "
    "themselves take no value.",
)

# --- the tool itself --------------------------------------------------------------------------

INTERNAL = _code(
    "PD9001",
    "internal-error",
    E,
    "perfdsl 内部错误",
    "internal error in perfdsl",
    "这是 perfdsl 的缺陷，不是你的文件有错。其他检查照常运行。请把文件和这条信息报告给维护者。",
    "This is a defect in perfdsl, not in your file; the other checks still ran. Please report "
    "the file and this message.",
)
