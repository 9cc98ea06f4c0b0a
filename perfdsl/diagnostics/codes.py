"""The registry of diagnostic codes: the stable interface users suppress, grep and read about.

Numbering: PD0xxx reading the file, PD1xxx syntax, PD2xxx structure the parser checks, PD3xxx
indicator frameworks, PD4xxx money, PD5xxx values, PD6xxx suppressions, PD7xxx year over year
(``check --baseline``), PD9xxx the tool itself.  A code is never
reused for a different meaning.  ``perfdsl explain CODE`` and docs/diagnostics/ read from here.
"""

from __future__ import annotations

import attrs

from perfdsl import limits as L
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
        related: tuple[tuple[Span, Msg], ...] = (),
    ) -> Diagnostic:
        return Diagnostic(
            code=self.code,
            severity=severity or self.severity,
            message=message or self.title,
            span=span,
            help=help,
            notes=notes,
            related=related,
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


def _vague_list(lang: str) -> str:
    """PD5005's word list with the reason for each (perfdsl.standards.vague is the data)."""
    from perfdsl.standards.vague import VAGUE

    head = "列入的词和原因：" if lang == "zh" else "The words, and why each is listed:"
    lines = [
        f"- {word}：{zh}" if lang == "zh" else f"- {word}: {en}" for word, (zh, en) in VAGUE.items()
    ]
    return "\n".join([head, *lines])


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
TOO_LARGE = _code(
    "PD0004",
    "too-large",
    E,
    "文件超过大小上限，未读取",
    "the file is over the size limit and was not read",
    "perfdsl 读取的内容都有大小上限：源文件（包括标准输入和 `perfdsl diff` 从 git 取出的版本）"
    f"和 perfdsl.toml 不超过 {L.describe(L.MAX_SOURCE_BYTES)}；`perfdsl textconv` 读的 .docx "
    f"文件本身不超过 {L.describe(L.MAX_DOCX_BYTES)}，解压后每个部件不超过 "
    f"{L.describe(L.MAX_DOCX_PART_BYTES)}、合计不超过 {L.describe(L.MAX_DOCX_TOTAL_BYTES)}、"
    f"部件不超过 {L.MAX_DOCX_MEMBERS} 个、部件列表不超过 {L.describe(L.MAX_DOCX_DIRECTORY_BYTES)}。一万个项目的源文件也只有约 30 MB，所以超过上限的输入"
    "不会是绩效目标表：多半是路径写错了（例如 /dev/zero、一个管道或别的大文件），或者是一个"
    "解压炸弹。读到上限就停止，不会耗尽内存。",
    "Everything perfdsl reads has a size limit: a source (including standard input and the "
    f"versions `perfdsl diff` takes from git) and perfdsl.toml at most "
    f"{L.describe(L.MAX_SOURCE_BYTES)}; a .docx read by `perfdsl textconv` at most "
    f"{L.describe(L.MAX_DOCX_BYTES)} as stored, each of its parts at most "
    f"{L.describe(L.MAX_DOCX_PART_BYTES)} inflated, {L.describe(L.MAX_DOCX_TOTAL_BYTES)} in all, "
    f"at most {L.MAX_DOCX_MEMBERS:,} parts and a list of parts of at most "
    f"{L.describe(L.MAX_DOCX_DIRECTORY_BYTES)}. A source of 10,000 projects is about 30 MB, so "
    "input over a limit is not a performance-target table: usually a wrong path (/dev/zero, a "
    "pipe, some other large file) or a zip bomb. Reading stops at the limit, so memory never "
    "runs out.",
)

CONTROL_CHARACTER = _code(
    "PD0005",
    "control-character",
    E,
    "文件里有控制字符",
    "the file holds a control character",
    "控制字符（U+0000–U+001F 中除制表符和换行以外的字符、U+007F–U+009F，以及 U+FFFE、U+FFFF "
    "等非字符）看不见，Word 文件和网页里也写不进去，通常是从别的系统复制文字时带进来的。"
    "perfdsl 在检查时就指出它的位置，而不是等到生成文档时失败。删掉它即可；文字里需要换行时，"
    "用 `|` 多行文本，或在引号里写 `\\n`。",
    "Control characters (U+0000–U+001F other than tab and line breaks, U+007F–U+009F, and "
    "non-characters such as U+FFFE and U+FFFF) are invisible and cannot be written into a Word "
    "file or a web page; they usually arrive with text pasted from another system. perfdsl "
    "points at them when checking rather than failing when it builds the documents. Delete "
    "them; for a line break inside a text, use a `|` block, or `\\n` inside quotes.",
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

# --- indicator frameworks (rules: each can be suppressed with "# perfdsl: ignore[name]") ------

UNKNOWN_FRAMEWORK = _code(
    "PD3001",
    "unknown-framework",
    E,
    "未知的指标体系",
    "unknown indicator framework",
    "指标体系 写 2015（财预〔2015〕88号）、2021（财预〔2021〕101号），或在 perfdsl.toml 的 "
    "[frameworks] 里定义的本地体系名称。",
    "指标体系 is 2015 (财预〔2015〕88号), 2021 (财预〔2021〕101号), or the name of a local "
    "variant defined under [frameworks] in perfdsl.toml.",
)
UNKNOWN_LEVEL1 = _code(
    "PD3002",
    "unknown-level1",
    E,
    "指标体系里没有这个一级指标",
    "the framework has no such 一级 indicator",
    "一级指标必须是所选指标体系中的名称（2015：产出指标、效益指标、满意度指标；2021 另有成本指标）。"
    "各地常见的叫法（预期产出指标、效果指标）当作同一个一级；一个一级下面的二级全是一级的名称时"
    "（中央预算内投资表的“实施效果指标”下有产出指标、效益指标），它是上面的一层，不算错。"
    "别的本地叫法可以在模板或 perfdsl.toml 的指标体系里写 synonyms 或 categories。",
    "A 一级 must be one of the chosen framework's (2015: 产出指标, 效益指标, 满意度指标; 2021 adds "
    "成本指标). Common regional names (预期产出指标, 效果指标) count as the same 一级; a 一级 whose "
    "二级 are all 一级 names (the NDRC's 实施效果指标 over 产出指标 and 效益指标) is a level above "
    "them, not a mistake. Other local names go in a template's or perfdsl.toml's framework, as "
    "synonyms or categories.",
    suppressible=True,
)
UNKNOWN_LEVEL2 = _code(
    "PD3003",
    "unknown-level2",
    E,
    "指标体系里没有这个二级指标",
    "the framework has no such 二级 indicator",
    "二级指标必须是所选指标体系中的名称，例如 数量指标、质量指标、时效指标、社会效益指标、"
    "服务对象满意度指标。各地常见的叫法当作同一个二级：环境效益指标（生态效益指标）、"
    "社会公众或服务对象满意度指标（服务对象满意度指标，也可以放在效益指标下，88号文时期湖南、"
    "湖北等地的表样如此）、预算(或投资规模)控制指标（2015 体系的成本指标）；表样上预先印的"
    "“…”一行不是二级。别的本地叫法可以在模板或 perfdsl.toml 的指标体系里声明。",
    "A 二级 must be one of the chosen framework's, such as 数量指标, 质量指标, 时效指标, "
    "社会效益指标, 服务对象满意度指标. Common regional names count as the same 二级: 环境效益指标 "
    "(生态效益指标), 社会公众或服务对象满意度指标 (服务对象满意度指标, which may also stand under "
    "效益指标, as 88号-era templates of Hunan, Hubei and others print it), 预算(或投资规模)控制指标 "
    "(the 2015 成本指标); a pre-printed “…” row is not a 二级. Other local names can be declared "
    "in a template's or perfdsl.toml's framework.",
    suppressible=True,
)
WRONG_PARENT = _code(
    "PD3004",
    "level2-wrong-parent",
    E,
    "二级指标放在了错误的一级指标下",
    "a 二级 under the wrong 一级",
    "每个二级指标只属于一个一级指标：数量/质量/时效指标属于产出指标，经济/社会/生态效益和"
    "可持续影响指标属于效益指标。2021 体系中成本指标是一级指标，不再放在产出指标下。",
    "Each 二级 belongs to one 一级: 数量/质量/时效 under 产出指标, the 效益 kinds under 效益指标. "
    "In the 2021 framework 成本指标 is a 一级 of its own, not under 产出指标.",
    suppressible=True,
)
MISSING_LEVEL1 = _code(
    "PD3005",
    "missing-level1",
    E,
    "缺少必需的一级指标",
    "a required 一级 is missing",
    "每张绩效目标表都要有产出、效益和满意度指标（2021 体系还要有成本指标），缺一不可。"
    "只算有指标的：下面只有空白行的一级不算有。满意度的二级放在效益指标下也算有满意度指标。",
    "Every table needs 产出, 效益 and 满意度 indicators (and 成本 under 2021). Only blocks "
    "holding an indicator count (blank rows alone do not); a satisfaction 二级 filed under "
    "效益指标 counts as 满意度指标.",
    suppressible=True,
)
EMPTY_BLOCK = _code(
    "PD3006",
    "empty-block",
    E,
    "一级指标下面是空的",
    "an empty 一级 block",
    "写了一级指标，却没有写其下的二级和三级指标。要么补上，要么删掉它。（二级指标下面空着不是"
    "错误：那是表样里预先印好、这个单位不填的空白行，照样打印。）",
    "A 一级 with nothing under it: add its indicators or remove it. (A 二级 with nothing under "
    "it is no mistake: it is a row the template pre-prints and the unit leaves blank, and it "
    "prints as such.)",
    suppressible=True,
)
EMPTY_VALUE = _code(
    "PD3007",
    "empty-value",
    E,
    "指标没有指标值",
    "an indicator has no value",
    "每个三级指标都要有指标值，表格里不能留空。",
    "Every indicator needs a value; the table cannot have an empty 指标值.",
    suppressible=True,
)
PLACEHOLDER = _code(
    "PD3008",
    "placeholder",
    E,
    "模板占位符没有替换",
    "a template placeholder was left in",
    "`≥**人`、`XX`、`××` 之类是模板里的占位符，说明这一格还没有填写真实内容。",
    "`≥**人`, `XX`, `××` and the like are template placeholders: the cell was never filled in.",
    suppressible=True,
)
DUPLICATE_INDICATOR = _code(
    "PD3009",
    "duplicate-indicator",
    E,
    "同一项目里三级指标重复",
    "the same indicator twice in one project",
    "一张表里同名的三级指标出现两次，通常是复制时忘了修改。合并它们，或改成不同的名称。",
    "An indicator name appears twice in one table, usually a copy that was never edited. "
    "Merge them or give them distinct names.",
    suppressible=True,
)
DUPLICATE_PROJECT = _code(
    "PD3010",
    "duplicate-project",
    W,
    "文件里有同名的项目",
    "two projects with the same name",
    "同一文件中两个项目同名（实际公开文件中确有此事，例如两笔不同的中央转移支付）。这是合法的，"
    "但读者无法区分，建议在名称中加以区分。",
    "Two projects in a file share a name. Real documents do this (two separate transfers, say); "
    "it is legal but readers cannot tell them apart, so consider distinct names.",
    suppressible=True,
)
INCONSISTENT_CATEGORY = _code(
    "PD3011",
    "inconsistent-category",
    W,
    "同名指标在不同项目里归在不同的二级指标下",
    "the same indicator is filed under different 二级",
    "同一个三级指标在一个项目里属于某个二级指标，在另一个项目里却属于另一个二级指标，"
    "多半是其中一处归错了类。提示同时指出两处。同一个项目里重复的名称是 PD3009，不在这里报。",
    "An indicator filed under one 二级 in one project and under another in a different project: "
    "one of the two is probably misfiled. Both rows are shown. A name repeated within one "
    "project is PD3009, not this.",
    suppressible=True,
)

MISSING_COST = _code(
    "PD3014",
    "missing-cost",
    W,
    "表里没有成本指标",
    "the table has no cost indicator",
    "一张表没有一个成本指标（2015 体系的“成本指标”二级，或名称里有“成本”的二级）。预算安排的钱"
    "花在哪里、花多少，是审核最先看的；2021 体系把成本指标列为一级（缺了是 PD3005），有的地方"
    "（如上海 2025 年的规则）要求每个项目都有。体系写了 `cost_required = true` 时这是错误，否则是警告。",
    "A table without a single cost indicator (the 2015 成本指标 二级, or any 二级 named 成本). How "
    "much the budget costs is what reviewers read first; the 2021 framework makes 成本指标 a 一级 "
    "(PD3005 when missing), and some regions (Shanghai's 2025 rules) require one on every project. "
    "An error when the framework says `cost_required = true`, a warning otherwise.",
    suppressible=True,
)
EMPTY_FIELD = _code(
    "PD3015",
    "empty-field",
    W,
    "表头的必填栏目是空的",
    "a header cell that must be filled is empty",
    "主管部门、实施单位这类栏目写了却是空的。表样上印着这一格，公开的表里空着，审核会退回。",
    "A cell such as 主管部门 or 实施单位 is written but empty. The form prints it, and a published "
    "table with it blank is sent back.",
    suppressible=True,
)
UNKNOWN_TEMPLATE = _code(
    "PD3012",
    "unknown-template",
    E,
    "未知的模板",
    "unknown template",
    "`模板:`（旧写法 `版式:`）写内置模板的名称——tianjin（天津，默认）、mof2015（财政部申报表，"
    "财预〔2015〕88号）、mof2021（财预〔2021〕101号）、department（部门整体支出）、flat（一体化平铺表）、"
    "ndrc（中央预算内投资）——或在 perfdsl.toml 的 [templates] 里、`<名称>.template.toml` 文件里定义的"
    "模板。模板决定表里有哪些栏目、怎样检查、怎样打印，所以名称写错时整个文件都无法按它读取。",
    "`模板:` (formerly `版式:`) names a built-in template — tianjin (the default), mof2015 (the "
    "MoF 申报表 of 财预〔2015〕88号), mof2021 (财预〔2021〕101号), department (部门整体支出), flat "
    "(a 一体化 system's flat sheet), ndrc (中央预算内投资) — or one defined under [templates] in "
    "perfdsl.toml or in a `<name>.template.toml` file. The template says which cells a table "
    "has, how it is checked and how it prints, so a misspelt name stops the file from being read "
    "by it.",
)
TEMPLATE_ERROR = _code(
    "PD3013",
    "template-error",
    E,
    "模板有错误",
    "the template has a mistake",
    "模板（perfdsl.toml 的 [templates]、`.template.toml` 文件或文件头 `模板:` 下面的改动）里有写错的"
    "项：未知的键、不存在的字段、类型不对的值。诊断指出模板文件里的位置；docs/language.md 的"
    "“模板”一节列出模板能写的每一项。",
    "A template (under [templates] in perfdsl.toml, in a `.template.toml` file, or under "
    "`模板:` in a file's header) has a mistake: an unknown key, a field that does not exist, a "
    "value of the wrong type. The diagnostic points into the template; the templates section of "
    "docs/language.md lists everything a template can say.",
)

# --- money ----------------------------------------------------------------------------------

BUDGET_MISMATCH = _code(
    "PD4001",
    "budget-mismatch",
    E,
    "预算数不等于各资金来源之和",
    "预算数 is not the sum of its funding lines",
    "预算数 = 财政资金 + 其他资金（及其他写出的资金来源）。比较是精确的，元、万元、亿元之间按精确换算。",
    "预算数 must equal 财政资金 + 其他资金 (and any other funding line written). The comparison "
    "is exact, converting between 元, 万元 and 亿元 exactly.",
    suppressible=True,
)
MONEY_ABOVE_BUDGET = _code(
    "PD4002",
    "money-above-budget",
    E,
    "单项成本超过预算数",
    "a cost above the whole budget",
    "一个成本指标的金额（上限）比整个项目的预算数还大，通常是单位写错（元和万元混淆）或数字写错。",
    "One cost indicator's amount (upper bound) is larger than the project's whole budget: "
    "usually 元 written for 万元, or a wrong figure.",
    suppressible=True,
)
COSTS_EXCEED_BUDGET = _code(
    "PD4003",
    "costs-exceed-budget",
    W,
    "成本指标合计超过预算数",
    "the cost indicators together exceed the budget",
    "各成本指标的上限相加超过了预算数。成本指标描述的是预算的用途，合计一般不应超过预算数；"
    "请核对各项金额。",
    "The upper bounds of the cost indicators add up to more than the budget. They describe how "
    "the budget is spent and should not normally exceed it; check each amount. A row that names "
    "a total (总成本, 成本合计, 年度预算总成本) is the total of the others, not one more part: "
    "the parts are added without it, and PD4005 compares them with it.",
    suppressible=True,
)
MONEY_UNIT_DIFFERS = _code(
    "PD4004",
    "money-unit-differs",
    N,
    "金额单位与文件的金额单位不同",
    "an amount in a unit other than the file's",
    "表头写着“单位：万元”，某一格却写了元（或亿元）。perfdsl 按精确换算比较，并给出换算后的数字，"
    "便于核对。",
    "The table says 单位：万元 but a cell is written in 元 (or 亿元). perfdsl converts exactly "
    "when comparing and shows the converted figure so it can be checked.",
    suppressible=True,
)

COST_PARTS_EXCEED_TOTAL = _code(
    "PD4005",
    "cost-parts-exceed-total",
    W,
    "成本分项合计超过总成本",
    "the cost items add up to more than the total cost",
    "表里有一行总成本（总成本、成本合计、年度预算总成本等），其余成本指标是它的分项；分项的上限"
    "相加超过了总成本，两处至少有一处写错。",
    "The table has a total-cost row (总成本, 成本合计, 年度预算总成本 …) and the other cost "
    "indicators are its parts; their upper bounds add up to more than the total, so one of them "
    "is wrong.",
    suppressible=True,
)
BLOCK_TOTAL = _code(
    "PD4006",
    "block-total",
    W,
    "若干行的金额与合计或预算数不符",
    "the amounts of a block of rows do not add up",
    "成本测算、年度履职目标这类若干行的栏目：写了“合计”一行的，其余各行的金额之和应当等于它；"
    "没有合计行的，各行金额之和不应超过预算数（年度履职目标的各项支出合起来就是部门的预算）。",
    "Blocks of rows such as a cost breakdown or the 年度履职目标: with a 合计 row, the other "
    "rows must add up to it; without one, the rows must not add up to more than the budget (a "
    "department's 履职 spending items together are its budget).",
    suppressible=True,
)

# --- values ---------------------------------------------------------------------------------

PERCENT_OVER_100 = _code(
    "PD5001",
    "percent-over-100",
    E,
    "比率超过 100%",
    "a rate above 100%",
    "合格率、及时率、满意度等比率不可能超过 100%。增长率等名称含“增长”“增幅”的指标不在此列。",
    "Rates such as 合格率, 及时率 or satisfaction cannot exceed 100%. Growth rates (names with "
    "增长 or 增幅) are exempt.",
    suppressible=True,
)
SATISFACTION_NOT_PERCENT = _code(
    "PD5002",
    "satisfaction-not-percent",
    E,
    "满意度指标不是百分比",
    "a satisfaction indicator is not a percentage",
    "满意度指标应当写成百分比，如 `≥90%`，以便评价时可以衡量。",
    "Satisfaction indicators are written as percentages, such as `≥90%`, so they can be measured.",
    suppressible=True,
)
DATE_OUTSIDE_YEAR = _code(
    "PD5003",
    "date-outside-year",
    W,
    "时间不在预算年度（或实施期）内",
    "a date outside the budget year (or the project period)",
    "年度绩效目标里的完成时间应当落在预算年度之内；项目写了实施期的，落在实施期之内。"
    "例如 2024 年的预算里写“2023年底前”多半是沿用了上一年的表。",
    "The deadlines of an annual target fall within the budget year (or the project's 实施期 when "
    "given). 2023年底前 in a 2024 budget is usually last year's table carried over.",
    suppressible=True,
)
QUALITATIVE_QUANTITY = _code(
    "PD5004",
    "qualitative-quantity",
    E,
    "数量或成本指标写成了定性描述",
    "a 数量 or 成本 indicator with a qualitative value",
    "数量指标和成本指标必须是可以计量的数字（带单位），例如 `≥400次`、`≤80万元`。",
    "数量 and 成本 indicators must be measurable numbers with a unit, such as `≥400次` or `≤80万元`.",
    suppressible=True,
)
VAGUE_WORDING = _code(
    "PD5005",
    "vague-wording",
    W,
    "指标值用词笼统，无法衡量",
    "vague wording that cannot be measured",
    "“提高”“改善”“有效促进”“持续保障”这类说法无法在年终评价时衡量。绩效目标管理要求指标尽量量化；"
    "能写数字的请写数字（如满意度、比率、次数），确实只能定性的可以用 "
    "`# perfdsl: ignore[vague-wording]` 标明已经考虑过。\n\n" + _vague_list("zh"),
    "Words such as 提高, 改善, 有效促进, 持续保障 cannot be measured at year end. The rules ask "
    "for quantified indicators wherever possible; write a number where one exists, and mark a "
    "deliberate qualitative value with `# perfdsl: ignore[vague-wording]`."
    "\n\n" + _vague_list("en"),
    suppressible=True,
)
NUMBER_WITHOUT_UNIT = _code(
    "PD5007",
    "number-without-unit",
    W,
    "指标值是数字却没有单位",
    "a number with no unit",
    "`10`、`=8`、`≥180` 这样的值没有单位：10 个、10 次还是 10%？年终核对时无从比较。写上单位；"
    "表里另有“计量单位”一列（`计量单位:`）的不算。",
    "A value such as `10`, `=8` or `≥180` has no unit: 10 what? Write the unit; a row with its "
    "own 计量单位 column is fine.",
    suppressible=True,
)
ODD_UNIT = _code(
    "PD5008",
    "odd-unit",
    W,
    "看不懂的单位",
    "a unit that is not a known one",
    "单位是拉丁字母、又不是常见的计量单位（km、m、kg、t、kW、GB 等）：例如 `80M` 多半是想写“米”"
    "（m 或 米），`M` 在计量里是“兆”。写成中文单位或标准符号。",
    "A unit in Latin letters that is not a common one (km, m, kg, t, kW, GB …): `80M` is "
    "probably meant as metres (m or 米); M is the prefix mega. Use the Chinese unit or the "
    "standard symbol.",
    suppressible=True,
)
EXCEL_DATE = _code(
    "PD5009",
    "excel-date",
    W,
    "时间指标的值像 Excel 的日期序号",
    "a time value that looks like an Excel date serial",
    "从 Excel 复制出来的日期有时变成序号（45291 就是 2023年12月31日）。时效指标的值是 30000 到 "
    "60000 之间的整数、没有单位时，多半是这样；改写成日期。",
    "Dates copied out of Excel sometimes become serial numbers (45291 is 31 December 2023). A "
    "timeliness value that is a whole number between 30000 and 60000 with no unit is most "
    "likely one; write the date.",
    suppressible=True,
)
INSTRUCTION_TEXT = _code(
    "PD5010",
    "instruction-text",
    W,
    "单元格里留着表样的填写说明",
    "instructions of the form left in a cell",
    "“请填写…”“根据实际情况填写”“例如：”“（可选）”这类字是表样给填表人的说明，留在公开的表里说明"
    "这一格没有填。",
    "Text such as 请填写…, 根据实际情况填写, 例如： or （可选） is the form's instruction to the "
    "person filling it in; left in a published table it means the cell was never filled.",
    suppressible=True,
)
COST_NOT_CEILING = _code(
    "PD5011",
    "cost-not-ceiling",
    W,
    "成本指标不是上限",
    "a cost indicator that is not a ceiling",
    "成本指标是反向指标，写的是“不超过多少”（≤80万元）。写成 `=80万元` 或 `≥80万元`，年终花得"
    "少了反而算没达到。",
    "A cost is a ceiling (a 反向 indicator): ≤80万元. Written `=80万元` or `≥80万元`, spending "
    "less would count as missing the target.",
    suppressible=True,
)
UNIT_CONTRADICTS = _code(
    "PD5012",
    "unit-contradicts",
    W,
    "计量单位一栏与指标值的单位不一致",
    "the unit column contradicts the value",
    "表里单列了计量单位（`计量单位: 个`），指标值自己又带了另一个单位（`95%`）。两者总有一个是错的。",
    "The row has its own unit column (`计量单位: 个`) and the value carries another unit "
    "(`95%`). One of them is wrong.",
    suppressible=True,
)
UNREADABLE_PERIOD = _code(
    "PD5013",
    "unreadable-period",
    W,
    "时间写法无法识别",
    "a period or date that cannot be read",
    "时效指标的值里有一串数字，却读不出年月（`20246-202516`）：多半是打错了。写成 `2024年6月-2025年6月`、"
    "`2024.06-2025.06` 或 `2024年底前`。",
    "A timeliness value holds digits that read as no date (`20246-202516`): most likely a typo. "
    "Write `2024年6月-2025年6月`, `2024.06-2025.06` or `2024年底前`.",
    suppressible=True,
)
SATISFACTION_MISFILED = _code(
    "PD5014",
    "satisfaction-misfiled",
    W,
    "满意度指标放在了满意度以外的二级下",
    "a satisfaction indicator filed outside the satisfaction 二级",
    "名称是“……满意度”的指标，放在了质量指标之类的二级下，而所用的指标体系有专门的满意度二级"
    "（服务对象满意度指标）。满意度单独考核，放错了会被退回。体系里没有满意度二级的不报。",
    "An indicator named …满意度 is filed under another 二级 (质量指标, say) while the framework "
    "has a satisfaction 二级 of its own (服务对象满意度指标). Not reported when the framework has "
    "none.",
    suppressible=True,
)
GOAL_QUANTITY = _code(
    "PD5015",
    "goal-quantity",
    N,
    "绩效目标里的数量没有对应的指标",
    "a quantity in the goals that no indicator carries",
    "绩效目标写了“完成 120 公里”，指标里却没有 120 公里这个值。目标里的数字年终要考核，通常应有一个"
    "指标承载它。这是提示，不是错误。",
    "The goals promise a quantity (完成 120 公里) that no indicator's value carries. What the "
    "goals promise is assessed at year end, so an indicator usually holds it. A note, not an "
    "error.",
    suppressible=True,
)
SCORE_ROLLUP = _code(
    "PD5016",
    "score-rollup",
    W,
    "指标的分值合起来不等于上一级的分值",
    "the indicators' scores do not add up to their category's",
    "一级或二级指标写了分值（`分值: 30`，或表样印的范围 `(40-50)分`），下面各三级指标也写了分值："
    "三级的分值相加应当等于它（或落在范围内）。项目写了“绩效指标分值”的，全部三级的分值之和也应当"
    "等于它。",
    "A 一级 or 二级 with a score (`分值: 30`, or a printed range such as `(40-50)分`) whose "
    "indicators carry scores too: theirs must add up to it (or fall within the range). A "
    "project's 绩效指标分值 must likewise equal the sum of all its indicators' scores.",
    suppressible=True,
)
WEIGHTS_SUM = _code(
    "PD5006",
    "weights-sum",
    W,
    "权重合计与指标体系规定的总分不符",
    "the weights do not add up to the framework's total",
    "按财预〔2020〕10号，预算执行率 10 分不在指标表里，所以表内权重（分值）合计为 90（给全部打分的"
    "表为 100）。模板可以另行规定（`[framework.scores] total = …`）。写了权重的，每个指标都要写。",
    "Per 财预〔2020〕10号 budget execution takes 10 points outside the indicator table, so the "
    "table's weights (scores) add up to 90 (or 100 where the table scores everything). A template "
    "may say otherwise (`[framework.scores] total = …`). If weights are used, every indicator "
    "needs one.",
    suppressible=True,
)
SCORE_SPLIT = _code(
    "PD5017",
    "score-split",
    W,
    "一级指标的分值与模板的规定不符",
    "a 一级's score differs from the template's share",
    "有的地区在表样里规定了各一级指标的分值（如产出指标 50、效益指标 30、满意度指标 10，或印着"
    "(40-50)分 的范围）和预算执行率的分值。一级写了分值的看它，没写的看下面各指标的分值之和。"
    '规定写在模板的 `[framework.scores]` 里：`level1 = { 产出指标 = 50, 效益指标 = "25-30" }`，'
    '几个一级共用一个分值的写作 `"成本指标+产出指标" = 50`；`execution = 10` 是预算执行率的分值。',
    "Some regions' templates fix each 一级's score (产出指标 50, 效益指标 30, 满意度指标 10, or a "
    "printed range such as (40-50)分) and budget execution's. A 一级's stated score is compared, "
    "or else the sum of its indicators' scores. The shares are written in the template's "
    '`[framework.scores]`: `level1 = { 产出指标 = 50, 效益指标 = "25-30" }`, several 一级 '
    'sharing one score as `"成本指标+产出指标" = 50`; `execution = 10` is budget execution\'s.',
    suppressible=True,
)

# --- suppressions ---------------------------------------------------------------------------

UNUSED_SUPPRESSION = _code(
    "PD6001",
    "unused-suppression",
    W,
    "这条忽略注释没有起作用",
    "this suppression matches nothing",
    "`# perfdsl: ignore[规则]` 所在的行（或项目）上并没有这条规则的问题。问题已修好的话，请删掉注释，"
    "免得以后掩盖新的问题。",
    "The line (or project) of this `# perfdsl: ignore[rule]` has no finding of that rule. If the "
    "problem was fixed, remove the comment so it cannot hide a new one later.",
)
UNKNOWN_RULE = _code(
    "PD6002",
    "unknown-rule",
    W,
    "忽略注释里写了不存在的规则",
    "a suppression names an unknown rule",
    "`ignore[...]` 里写规则名（如 vague-wording）或代码（如 PD5005）；只有检查规则可以忽略，"
    "语法和结构错误不能忽略。`perfdsl explain` 列出所有规则。",
    "`ignore[...]` takes rule names (vague-wording) or codes (PD5005); only checker rules can be "
    "suppressed, not syntax or structure errors. `perfdsl explain` lists them all.",
)

# --- year over year (check --baseline) --------------------------------------------------------

TARGET_LOWERED = _code(
    "PD7001",
    "target-lowered",
    N,
    "目标比上年低",
    "a target is lower than last year's",
    "与 `--baseline` 给出的上年文件比，同一项目的同一指标今年定得更低：下限（≥、以上、正向指标）"
    "降低了，或上限（≤、以内、成本、反向指标）放宽了。目标可以有理由地调低（预算减少、阶段完成），"
    "所以这是提示：把上年的值放在旁边，由审核的人判断。预算也变了的，提示里一并写出。",
    "Compared with last year's file (`--baseline`), the same indicator of the same project is "
    "set lower this year: a floor (≥, 以上, a positive indicator) went down or a ceiling (≤, "
    "以内, a cost, a negative indicator) went up. A target may be lowered for a reason (less "
    "money, a finished phase), so this is a note that puts last year's value beside this "
    "year's for the reviewer; a changed budget is mentioned too.",
    suppressible=True,
)
COPIED_FROM_BASELINE = _code(
    "PD7002",
    "copied-from-baseline",
    N,
    "照抄了上年的表",
    "copied from last year's table",
    "复制上年：项目的绩效目标和全部指标与上年一字不差，或者绩效目标一字不差，或者某个指标与上年"
    "完全相同、里面还写着上年（或更早）的年份（如 2025 年的表里“2024年12月底前完成”）。只在上年"
    "文件的年度早于本文件时检查。",
    "Copied from last year (复制上年): a project's goals and every indicator are last year's word "
    "for word, or its goals are, or an indicator is last year's unchanged and still names last "
    "year (or earlier), as “2024年12月底前完成” in a 2025 table. Checked only when the baseline's "
    "year is before this file's.",
    suppressible=True,
)
INDICATOR_DROPPED = _code(
    "PD7003",
    "indicator-dropped",
    N,
    "去掉了上年的指标",
    "an indicator of last year's table was dropped",
    "上年同一项目有、今年没有的指标（按二级和名称对应，名称里的年份和小的改动不算不同）。指标去掉"
    "有时是对的，但常常是表改坏了或把难完成的指标拿掉了，审核时会问。",
    "Indicators the same project had last year and has not this year (matched by 二级 and "
    "name; a year in the name and small edits do not count). Dropping one is sometimes right, "
    "but often a table edited badly or a hard target quietly removed; reviewers ask.",
    suppressible=True,
)

# --- importing Word, Excel and PDF tables -------------------------------------------------

IMPORT_UNREADABLE = _code(
    "PD8001",
    "import-unreadable",
    E,
    "无法导入这个文件",
    "the file cannot be imported",
    "`perfdsl import` 读不了这个文件：不存在、类型不认识、加了密码、已损坏、超过大小上限（可能是解压炸弹），"
    "是没有文字层的扫描 PDF（先做 OCR），或者缺少读取它所需的库（pip install 'perfdsl[import]'）或 "
    "LibreOffice（.doc/.xls）。信息里说明是哪一种、怎么办。退出码 2。",
    "`perfdsl import` cannot read the file: it does not exist, is of an unknown type, is "
    "encrypted, corrupt or over a size limit (perhaps a zip bomb), is a scanned PDF with no text "
    "layer (run OCR first), or needs a library (pip install 'perfdsl[import]') or LibreOffice "
    "(.doc/.xls). The message says which and what to do. Exit code 2.",
)
IMPORT_NO_TABLE = _code(
    "PD8002",
    "import-no-table",
    E,
    "文件里没有找到绩效目标表",
    "no performance-target table in the file",
    "文件读得出来，但没有一个表格像绩效目标表：没有表格，或者表格里没有一级指标、二级指标、三级指标、"
    "指标值这样的表头，也没有项目名称等栏目。检查是不是选错了文件；表头叫法特别的，可以用自己的模板"
    "（--template）说明标签。",
    "The file reads, but no table in it looks like a target table: no tables, or none with "
    "headers such as 一级指标/二级指标/三级指标/指标值 or fields such as 项目名称. Check the file; "
    "for unusual labels, describe them in a template of your own (--template).",
)
IMPORT_LEFTOVER = _code(
    "PD8003",
    "import-leftover",
    W,
    "有一格没有放进源文件",
    "a cell was not placed in the source",
    "表格里这一格的文字既不是模板或字段注册表认得的标签，也不是某个标签的值，所以没有写进源文件。"
    "信息给出第几个表格、第几行、第几列；请手工补上（多半写成 `栏目 <标签>: …`）。有这样的格子时 "
    "`perfdsl import` 退出码为 1。",
    "This cell's text is neither a label the template or the field registry knows nor the value "
    "of one, so it was not written into the source. The message gives the grid, row and column; "
    "add it by hand (usually as `栏目 <label>: …`). `perfdsl import` exits 1 when there is one.",
)
IMPORT_GUESS = _code(
    "PD8004",
    "import-guess",
    N,
    "导入时按推测读出的值",
    "a value the import had to guess",
    "表上没有直接印出的值（年度、金额单位、单位名称），导入时从别处推得，或者写出的源文件在解析时"
    "有问题；信息说明推测的依据。请核对。",
    "A value the table does not print directly (the year, the money unit, the unit) was inferred "
    "from elsewhere, or the written source has a problem when parsed; the message says how. "
    "Check it.",
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
