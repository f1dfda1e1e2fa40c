//! What the compiler knows exists: namespaces, their aliases and refers, and
//! vars (clojure.core, vars defined through earlier evaluations, and vars the
//! page reports). A symbol none of these know is a compile-time error, never a
//! crash in the page.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use crate::ast::{Expr, Unit};
use crate::eval::{
    self, Interp, BUILTINS, CLASS_BUILTINS, HASH_BUILTINS, MATCHER_BUILTINS, SORTED_BUILTINS,
    TEXT_BUILTINS, TYPE_BUILTINS,
};
use crate::form::{Form, FormKind, Pos};

/// Names (aliases, or referred vars) and the namespace each stands for.
pub type Links = Vec<(String, String)>;

/// clojure.core as the runtime provides it (runtime/src/core.cpp); a Node test
/// checks that every name here exists in the runtime.
pub const CORE_VARS: &[&str] = &[
    "completing",
    "ensure-reduced",
    "reduced",
    "reduced?",
    "sequence",
    "transduce",
    "unreduced",
    "cat",
    "sorted-map",
    "sorted-map-by",
    "sorted-set",
    "sorted-set-by",
    "sorted?",
    "map-entry?",
    "map-entry*",
    "denominator",
    "disj",
    "numerator",
    "ratio?",
    "rational?",
    "doall",
    "dorun",
    "hash",
    "pr",
    "print-str",
    "println-str",
    "prn-str",
    "+",
    "-",
    "*",
    "/",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "=",
    "not=",
    "inc",
    "dec",
    "mod",
    "rem",
    "quot",
    "max",
    "min",
    "nil?",
    "some?",
    "not",
    "number?",
    "integer?",
    "string?",
    "keyword?",
    "symbol?",
    "vector?",
    "map?",
    "set?",
    "fn?",
    "seq?",
    "zero?",
    "pos?",
    "neg?",
    "even?",
    "odd?",
    "empty?",
    "identity",
    "str",
    "pr-str",
    "println",
    "print",
    "prn",
    "vector",
    "list",
    "hash-map",
    "hash-set",
    "map-literal*",
    "set-literal*",
    "vec",
    "set",
    "get",
    "assoc",
    "dissoc",
    "conj",
    "contains?",
    "count",
    "first",
    "second",
    "rest",
    "next",
    "nthnext",
    "seq",
    "cons",
    "nth",
    "map",
    "filter",
    "remove",
    "reduce",
    "range",
    "into",
    "concat",
    "keys",
    "vals",
    "apply",
    "keyword",
    "symbol",
    "name",
    "deref",
    "throw",
    "atom",
    "volatile!",
    "reset!",
    "vreset!",
    "swap!",
    "vswap!",
    "swap-vals!",
    "reset-vals!",
    "compare-and-set!",
    "add-watch",
    "remove-watch",
    "set-validator!",
    "lazy-seq*",
    "delay*",
    "force",
    "realized?",
    "ex-info",
    "ex-message",
    "method-target*",
    "ex-data",
    "ex-cause",
    "Throwable->map",
    "StackTraceElement->vec",
    "intern",
    "bound?",
    "push-thread-bindings",
    "pop-thread-bindings",
    "with-out-str*",
    "current-time-ms",
    "*print-length*",
    "*math-context*",
    "booleans",
    "bytes",
    "chars",
    "shorts",
    "ints",
    "longs",
    "floats",
    "doubles",
    "bytes?",
    "to-array-2d",
    "aset-boolean",
    "aset-byte",
    "aset-char",
    "aset-short",
    "aset-int",
    "aset-long",
    "aset-float",
    "aset-double",
    "inst?",
    "uri?",
    "tagged-literal?",
    "reader-conditional?",
    "tagged-literal",
    "reader-conditional",
    "class?",
    "class-named*",
    "class-name*",
    "supers",
    "bases",
    "find-keyword",
    "special-symbol?",
    "char-name-string",
    "char-escape-string",
    "*warn-on-reflection*",
    "*unchecked-math*",
    "*loaded-libs*",
    "*print-dup*",
    "*print-meta*",
    "*print-namespace-maps*",
    "*verbose-defrecords*",
    "*command-line-args*",
    "*compile-files*",
    "*print-readably*",
    "*flush-on-newline*",
    "*data-readers*",
    "*default-data-reader-fn*",
    "*read-eval*",
    "unchecked-byte",
    "unchecked-short",
    "unchecked-char",
    "unchecked-double",
    "unchecked-float",
    "unchecked-divide-int",
    "unchecked-remainder-int",
    "cast",
    "with-bindings*",
    "test",
    "*file*",
    "*clojure-version*",
    "hash-ordered-coll",
    "hash-unordered-coll",
    "mix-collection-hash",
    "hash-combine",
    "java-hash-code*",
    "java-equals*",
    "get-validator",
    "thread-bound?",
    "get-thread-bindings",
    "bound-fn*",
    "munge",
    "namespace-munge",
    "replicate",
    "vector-of",
    "clojure-version",
    "*out*",
    "*err*",
    "var-set",
    "alter-var-root",
    "halt-when",
    "decimal?",
    "bigdec",
    "big-decimal-new*",
    "big-integer-new*",
    "extend",
    "ref",
    "alter",
    "commute",
    "ref-set",
    "ensure",
    "sync*",
    "in-transaction?*",
    "ref-history-count",
    "ref-min-history",
    "ref-max-history",
    "loaded-libs",
    "print-simple",
    "var-method*",
    "watches*",
    "agent",
    "send",
    "*agent*",
    "send-off",
    "agent-error",
    "agent-errors",
    "clear-agent-errors",
    "error-handler",
    "set-error-handler!",
    "error-mode",
    "set-error-mode!",
    "await1",
    "restart-agent",
    "await",
    "future-call",
    "future-done?",
    "slurp",
    "file*",
    "file?*",
    "file-writer*",
    "delete-file*",
    "make-dirs*",
    "file-seq",
    "spit",
    "future-cancel",
    "future-cancelled?",
    "await-for",
    "send-via",
    "shutdown-agents",
    "release-pending-sends",
    "pmap",
    "pcalls",
    "add-tap",
    "remove-tap",
    "tap>",
    "resolve",
    "replace",
    "unchecked-add",
    "unchecked-subtract",
    "unchecked-multiply",
    "unchecked-add-int",
    "unchecked-subtract-int",
    "unchecked-multiply-int",
    "unchecked-inc",
    "unchecked-dec",
    "unchecked-negate",
    "unchecked-inc-int",
    "unchecked-dec-int",
    "unchecked-negate-int",
    "unchecked-int",
    "unchecked-long",
    "*print-level*",
    "the-ns",
    "find-ns",
    "create-ns",
    "code-ns*",
    "all-ns",
    "ns-name",
    "ns-interns",
    "ns-publics",
    "ns-aliases",
    "ns-refers",
    "string-new*",
    "ns-map",
    "ns-imports",
    "alias",
    "refer",
    "ns-unalias",
    "ns-unmap",
    "remove-ns",
    "find-var",
    "ns-resolve",
    "eval",
    "macroexpand",
    "macroexpand-1",
    "read",
    "read*",
    "read-string*",
    "load-string",
    "ns-links*",
    "meta",
    "with-meta",
    "vary-meta",
    "reset-meta!",
    "alter-meta!",
    "rand",
    "rand-int",
    "infinite?",
    "NaN?",
    "re-pattern",
    "re-find",
    "re-matches",
    "re-seq",
    "re-matcher",
    "re-groups",
    "namespace",
    "multi-fn*",
    "multi-fn?*",
    "add-method*",
    "remove-method",
    "remove-all-methods",
    "get-method",
    "methods",
    "prefer-method",
    "prefers",
    "protocol*",
    "protocol-method*",
    "add-protocol-impl*",
    "satisfies?",
    "extends?*",
    "extenders",
    "implemented-inline*",
    "write-to*",
    "write*",
    "string-writer*",
    "string-builder*",
    "string-buffer*",
    "text-buffer-method*",
    "new-object*",
    "java-util-new*",
    "java-random-new*",
    "atomic-new*",
    "lisp-string-reader*",
    "thread-new*",
    "future-task-new*",
    "url-new*",
    "uuid-new*",
    "uri-new*",
    "locale-new*",
    "upper-case-in*",
    "lower-case-in*",
    "reference-new*",
    "reference-queue-new*",
    "count-down-latch-new*",
    "thread-local-new*",
    "enumeration-seq",
    "host-class*",
    "host-field*",
    "host-static-call*",
    "stack-trace-text*",
    "stack-trace-elements*",
    "iterator-seq",
    "jvm-method*",
    "print-method",
    "print-dup",
    "record-type*",
    "make-record*",
    "record-to-string*",
    "map->record*",
    "random-uuid",
    "parse-uuid",
    "uuid?",
    "read-instant*",
    "read+string",
    "date*",
    "inst-ms",
    "make-instance*",
    "field-of*",
    "interop-method*",
    "defined-type?*",
    "set-field!*",
    "local-var*",
    "chunk-split*",
    "chunked-seq?",
    "chunk-buffer",
    "chunk-append",
    "chunk",
    "chunk-first",
    "chunk-rest",
    "chunk-next",
    "chunk-cons",
    "requiring-resolve",
    "string-reader*",
    "reader-line*",
    "reader-char*",
    "reader-unread*",
    "pushback-reader*",
    "line-numbering-reader*",
    "buffered-reader*",
    "line-seq",
    "read-line",
    "*in*",
    "type-method*",
    "type-interface*",
    "close*",
    "reify-type*",
    "record?",
    "instance?",
    "keep",
    "mapcat",
    "map-indexed",
    "take",
    "drop",
    "take-while",
    "drop-while",
    "iterate",
    "repeat",
    "repeatedly",
    "iteration",
    "cycle",
    "partition",
    "partition-all",
    "partitionv",
    "partitionv-all",
    "splitv-at",
    "interpose",
    "interleave",
    "distinct",
    "reverse",
    "last",
    "butlast",
    "some",
    "every?",
    "update",
    "update-in",
    "assoc-in",
    "get-in",
    "merge",
    "merge-with",
    "select-keys",
    "find",
    "key",
    "val",
    "zipmap",
    "frequencies",
    "group-by",
    "mapv",
    "filterv",
    "not-empty",
    "empty",
    "peek",
    "pop",
    "subvec",
    "compare",
    "sort",
    "sort-by",
    "max-key",
    "min-key",
    "comp",
    "partial",
    "complement",
    "constantly",
    "juxt",
    "fnil",
    "subs",
    "format",
    "not-any?",
    "not-every?",
    "split-at",
    "split-with",
    "nthrest",
    "reductions",
    "dedupe",
    "flatten",
    "keep-indexed",
    "partition-by",
    "shuffle",
    "rand-nth",
    "memoize",
    "trampoline",
    "every-pred",
    "some-fn",
    "long",
    "int",
    "short",
    "byte",
    "rationalize",
    "double",
    "abs",
    "reduce-kv",
    "rseq",
    "subseq",
    "rsubseq",
    "update-vals",
    "update-keys",
    "counted?",
    "bounded-count",
    "take-nth",
    "random-sample",
    "list*",
    "ffirst",
    "fnext",
    "nfirst",
    "nnext",
    "coll?",
    "sequential?",
    "associative?",
    "ifn?",
    "seqable?",
    "int?",
    "pos-int?",
    "neg-int?",
    "nat-int?",
    "double?",
    "float?",
    "boolean?",
    "char?",
    "true?",
    "false?",
    "any?",
    "list?",
    "var?",
    "indexed?",
    "reversible?",
    "delay?",
    "future?",
    "volatile?",
    "ident?",
    "simple-ident?",
    "qualified-ident?",
    "simple-keyword?",
    "qualified-keyword?",
    "simple-symbol?",
    "qualified-symbol?",
    "identical?",
    "distinct?",
    "boolean",
    "char",
    "gensym",
    "bigint",
    "biginteger",
    "exception*",
    "exception-instance?*",
    "+'",
    "-'",
    "*'",
    "inc'",
    "dec'",
    "bit-and",
    "bit-or",
    "bit-xor",
    "bit-and-not",
    "bit-not",
    "bit-shift-left",
    "bit-shift-right",
    "unsigned-bit-shift-right",
    "bit-set",
    "bit-clear",
    "bit-flip",
    "bit-test",
    "newline",
    "flush",
    "parse-long",
    "parse-double",
    "parse-boolean",
    "printf",
    "transient",
    "persistent!",
    "conj!",
    "assoc!",
    "dissoc!",
    "disj!",
    "pop!",
    "take-last",
    "drop-last",
    "run!",
    "tree-seq",
    "xml-seq",
    "comparator",
    "num",
    "var-get",
    "array-map",
    "seq-to-map-for-destructuring",
    "create-struct",
    "struct-map",
    "struct",
    "accessor",
    "seque",
    "eduction",
    "float",
    "with-redefs-fn",
    "derive",
    "underive",
    "make-hierarchy",
    "global-hierarchy",
    "isa?",
    "parents",
    "ancestors",
    "descendants",
    "promise",
    "deliver",
    "object-array",
    "long-array",
    "int-array",
    "double-array",
    "float-array",
    "boolean-array",
    "char-array",
    "byte-array",
    "short-array",
    "make-array",
    "into-array",
    "to-array",
    "aget",
    "aset",
    "alength",
    "aclone",
    "class",
    "type",
    "read-string",
];

/// The runtime's clojure.string (runtime/src/text.cpp).
pub const CLOJURE_STRING_VARS: &[&str] = &[
    "join",
    "split",
    "split-lines",
    "replace",
    "replace-first",
    "upper-case",
    "lower-case",
    "capitalize",
    "trim",
    "triml",
    "trimr",
    "blank?",
    "includes?",
    "starts-with?",
    "ends-with?",
    "index-of",
    "last-index-of",
    "reverse",
    "escape",
    "trim-newline",
    "re-quote-replacement",
];

/// The runtime's clojure.set (runtime/src/libraries.cpp).
pub const CLOJURE_SET_VARS: &[&str] = &[
    "union",
    "intersection",
    "difference",
    "subset?",
    "superset?",
    "select",
    "map-invert",
    "rename-keys",
    "rename",
    "project",
    "index",
    "join",
];

/// The runtime's clojure.walk (runtime/src/libraries.cpp).
pub const CLOJURE_WALK_VARS: &[&str] = &[
    "walk",
    "postwalk",
    "prewalk",
    "postwalk-demo",
    "prewalk-demo",
    "postwalk-replace",
    "prewalk-replace",
    "keywordize-keys",
    "stringify-keys",
    "macroexpand-all",
];

/// The runtime's clojure.math (runtime/src/libraries.cpp), as Clojure 1.11 has it.
pub const CLOJURE_MATH_VARS: &[&str] = &[
    "PI",
    "E",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "sinh",
    "cosh",
    "tanh",
    "exp",
    "expm1",
    "log",
    "log10",
    "log1p",
    "sqrt",
    "cbrt",
    "floor",
    "ceil",
    "rint",
    "signum",
    "to-radians",
    "to-degrees",
    "pow",
    "atan2",
    "hypot",
    "round",
    "floor-div",
    "floor-mod",
    "IEEE-remainder",
    "copy-sign",
    "next-after",
    "next-up",
    "next-down",
    "ulp",
    "get-exponent",
    "scalb",
    "random",
    "add-exact",
    "subtract-exact",
    "multiply-exact",
    "increment-exact",
    "decrement-exact",
    "negate-exact",
];

/// `Math/sqrt`, `Math/PI`: Java's (and ClojureScript's JavaScript's) Math
/// class, which code from either carries, answered by clojure.math and
/// clojure.core. None when `ns` is not the Math class.
fn math_class(ns: &str, name: &str) -> Option<Result<(String, String), String>> {
    if !matches!(ns, "Math" | "java.lang.Math" | "StrictMath") {
        return None;
    }
    let core = |n: &str| Some(Ok(("clojure.core".to_owned(), n.to_owned())));
    let math = |n: &str| Some(Ok(("clojure.math".to_owned(), n.to_owned())));
    match name {
        "abs" | "max" | "min" => core(name),
        "random" => core("rand"),
        "toRadians" => math("to-radians"),
        "toDegrees" => math("to-degrees"),
        "floorDiv" => math("floor-div"),
        "floorMod" => math("floor-mod"),
        "IEEEremainder" => math("IEEE-remainder"),
        "copySign" => math("copy-sign"),
        "nextAfter" => math("next-after"),
        "nextUp" => math("next-up"),
        "nextDown" => math("next-down"),
        "getExponent" => math("get-exponent"),
        "addExact" => math("add-exact"),
        "subtractExact" => math("subtract-exact"),
        "multiplyExact" => math("multiply-exact"),
        "incrementExact" => math("increment-exact"),
        "decrementExact" => math("decrement-exact"),
        "negateExact" => math("negate-exact"),
        _ if CLOJURE_MATH_VARS.contains(&name) && !name.contains('-') => math(name),
        _ => Some(Err(format!(
            "No such member: Math/{name} (Math/... is clojure.math here: sqrt, pow, sin, floor, \
             round, PI, ... and abs, max, min, random)"
        ))),
    }
}

/// For `Math/sqrt` and other JVM static calls: where the page has the same.
fn host_class_hint(ns: &str) -> &'static str {
    if ns.starts_with(|c: char| c.is_ascii_uppercase()) || ns.starts_with("java.") {
        " (host interop: the page has no JVM classes)"
    } else {
        ""
    }
}

/// `clojure.lang.PersistentQueue/EMPTY`, the queue Clojure code starts from
/// (runtime/src/queue.cpp).
pub const PERSISTENT_QUEUE_VARS: &[&str] = &["EMPTY"];

/// `clojure.lang.Compiler/specials`, the special forms by name, whose keys
/// code walkers such as tools.macro read, and `LOOP_LOCALS`, the var of the
/// loop locals that core.match's macros read: its value is the var
/// `loop-locals*`, which holds [] for a macro (the compiler gives a macro no
/// loop's locals) and nil in the page, as the JVM's (runtime/src/lang.cpp);
/// `munge` and `demunge`, with which spec names a fn (runtime/src/text.cpp).
pub const COMPILER_VARS: &[&str] = &[
    "specials",
    "CHAR_MAP",
    "LOOP_LOCALS",
    "loop-locals*",
    "munge",
    "demunge",
];

/// Clojure's special forms, as the keys of `clojure.lang.Compiler/specials`.
pub const SPECIAL_FORM_NAMES: &[&str] = &[
    "def",
    "loop*",
    "recur",
    "if",
    "case*",
    "let*",
    "letfn*",
    "do",
    "fn*",
    "quote",
    "var",
    "clojure.core/import*",
    ".",
    "set!",
    "deftype*",
    "reify*",
    "try",
    "throw",
    "monitor-enter",
    "monitor-exit",
    "catch",
    "finally",
    "new",
    "&",
];

/// `clojure.lang.AFn/applyToHelper`, which a deftype's `applyTo` calls
/// (runtime/src/core.cpp).
pub const AFN_VARS: &[&str] = &["applyToHelper"];

/// `clojure.lang.RT/nextID`, a fresh number each call, and the static field
/// `checkSpecAsserts` (runtime/src/core.cpp).
pub const RT_VARS: &[&str] = &["nextID", "checkSpecAsserts", "map", "baseLoader"];

/// `clojure.lang.Numbers`' statics (runtime/src/jvm_classes.cpp): reduceBigInt,
/// and clojure.core's arithmetic under its Java names.
pub const NUMBERS_VARS: &[&str] = &[
    "reduceBigInt",
    "add",
    "minus",
    "multiply",
    "divide",
    "inc",
    "dec",
    "isZero",
    "isPos",
    "isNeg",
    "lt",
    "lte",
    "gt",
    "gte",
    "equiv",
    "quotient",
    "remainder",
    "abs",
    "num",
];

/// `clojure.lang.BigInt`'s makers (runtime/src/jvm_classes.cpp), each bigint.
pub const BIG_INT_VARS: &[&str] = &["fromBigInteger", "fromLong", "valueOf"];

/// `clojure.lang.LazilyPersistentVector`'s vector makers (runtime/src/core.cpp).
pub const LAZILY_PERSISTENT_VECTOR_VARS: &[&str] = &["create", "createOwning"];

/// `clojure.lang.Util`'s hash, hasheq, equiv and equals (runtime/src/hash.cpp).
pub const UTIL_VARS: &[&str] = &["hash", "hasheq", "equiv", "equals", "hashCombine"];

/// `clojure.lang.PersistentArrayMap`'s makers and EMPTY (runtime/src/core.cpp).
pub const PERSISTENT_ARRAY_MAP_VARS: &[&str] = &["createWithCheck", "createAsIfByAssoc", "EMPTY"];

/// The other persistent collections' EMPTY and makers (runtime/src/core.cpp).
pub const PERSISTENT_HASH_MAP_VARS: &[&str] = &["EMPTY", "create", "createWithCheck"];
pub const PERSISTENT_HASH_SET_VARS: &[&str] = &["EMPTY", "create", "createWithCheck"];
pub const PERSISTENT_LIST_VARS: &[&str] = &["EMPTY", "create"];
pub const PERSISTENT_VECTOR_VARS: &[&str] = &["EMPTY", "create"];

/// `clojure.lang.Murmur3`'s hashes (runtime/src/hash.cpp).
pub const MURMUR3_VARS: &[&str] = &[
    "hashInt",
    "hashLong",
    "hashUnencodedChars",
    "mixCollHash",
    "hashOrdered",
    "hashUnordered",
];

/// The JVM static members Clojure code calls most, each class a namespace
/// of its name in the page (runtime/src/jvm_classes.cpp).
pub const JVM_CLASSES: &[(&str, &[&str])] = &[
    ("BigInteger", &["valueOf", "ZERO", "ONE", "TWO", "TEN"]),
    // BigDecimal's rounding modes as the ints older code passes to setScale.
    (
        "BigDecimal",
        &[
            "valueOf",
            "ROUND_UP",
            "ROUND_DOWN",
            "ROUND_CEILING",
            "ROUND_FLOOR",
            "ROUND_HALF_UP",
            "ROUND_HALF_DOWN",
            "ROUND_HALF_EVEN",
            "ROUND_UNNECESSARY",
        ],
    ),
    (
        "Integer",
        &[
            "bitCount",
            "numberOfTrailingZeros",
            "numberOfLeadingZeros",
            "highestOneBit",
            "lowestOneBit",
            "reverse",
            "signum",
            "compare",
            "parseInt",
            "valueOf",
            "toHexString",
            "toOctalString",
            "toBinaryString",
            "toString",
            "MAX_VALUE",
            "MIN_VALUE",
            "SIZE",
            "BYTES",
            "TYPE",
        ],
    ),
    (
        "Long",
        &[
            "bitCount",
            "numberOfTrailingZeros",
            "numberOfLeadingZeros",
            "highestOneBit",
            "lowestOneBit",
            "reverse",
            "signum",
            "compare",
            "parseLong",
            "valueOf",
            "toHexString",
            "toOctalString",
            "toBinaryString",
            "toString",
            "MAX_VALUE",
            "MIN_VALUE",
            "SIZE",
            "BYTES",
            "TYPE",
        ],
    ),
    ("Short", &["MAX_VALUE", "MIN_VALUE", "TYPE"]),
    ("Byte", &["MAX_VALUE", "MIN_VALUE", "TYPE"]),
    (
        "Double",
        &[
            "parseDouble",
            "valueOf",
            "isNaN",
            "isInfinite",
            "isFinite",
            "doubleToLongBits",
            "doubleToRawLongBits",
            "longBitsToDouble",
            "compare",
            "toString",
            "MAX_VALUE",
            "MIN_VALUE",
            "MIN_NORMAL",
            "MAX_EXPONENT",
            "MIN_EXPONENT",
            "SIZE",
            "BYTES",
            "POSITIVE_INFINITY",
            "NEGATIVE_INFINITY",
            "NaN",
            "TYPE",
        ],
    ),
    (
        "Float",
        &[
            "parseFloat",
            "valueOf",
            "isNaN",
            "isInfinite",
            "compare",
            "toString",
            "MAX_VALUE",
            "MIN_VALUE",
            "MIN_NORMAL",
            "MAX_EXPONENT",
            "MIN_EXPONENT",
            "SIZE",
            "BYTES",
            "POSITIVE_INFINITY",
            "NEGATIVE_INFINITY",
            "NaN",
            "TYPE",
        ],
    ),
    (
        "Pattern",
        &[
            "quote",
            "compile",
            "matches",
            "CASE_INSENSITIVE",
            "COMMENTS",
            "MULTILINE",
            "LITERAL",
            "DOTALL",
        ],
    ),
    ("Matcher", &["quoteReplacement"]),
    // java.lang.reflect.Array (runtime/src/arrays.cpp).
    ("Array", &["newInstance", "get", "set", "getLength"]),
    // java.util.concurrent.TimeUnit's units, as symbols (runtime/src/jvm_classes.cpp).
    (
        "TimeUnit",
        &[
            "NANOSECONDS",
            "MICROSECONDS",
            "MILLISECONDS",
            "SECONDS",
            "MINUTES",
            "HOURS",
            "DAYS",
        ],
    ),
    (
        "RoundingMode",
        &[
            "UP",
            "DOWN",
            "CEILING",
            "FLOOR",
            "HALF_UP",
            "HALF_DOWN",
            "HALF_EVEN",
            "UNNECESSARY",
        ],
    ),
    (
        "Boolean",
        &["parseBoolean", "toString", "TRUE", "FALSE", "TYPE"],
    ),
    (
        "Character",
        &[
            "isDigit",
            "isLetter",
            "isLetterOrDigit",
            "isAlphabetic",
            "isWhitespace",
            "isISOControl",
            "isSpace",
            "isUpperCase",
            "isLowerCase",
            "toUpperCase",
            "toLowerCase",
            "digit",
            "getNumericValue",
            "forDigit",
            "toString",
            "valueOf",
            "codePointAt",
            "toChars",
            "charCount",
            "TYPE",
        ],
    ),
    (
        "System",
        &[
            "arraycopy",
            "currentTimeMillis",
            "nanoTime",
            "getProperty",
            "getenv",
            "lineSeparator",
            "exit",
            "identityHashCode",
        ],
    ),
    ("Thread", &["sleep", "currentThread"]),
    ("Runtime", &["getRuntime"]),
    ("ThreadLocal", &["withInitial"]),
    // runtime/src/classes.cpp.
    ("Class", &["forName"]),
    // runtime/src/codecs.cpp.
    ("URLEncoder", &["encode"]),
    ("URLDecoder", &["decode"]),
    (
        "Base64",
        &["getEncoder", "getDecoder", "getUrlEncoder", "getUrlDecoder"],
    ),
    ("StandardCharsets", &["UTF_8"]),
    ("UUID", &["fromString", "randomUUID"]),
    ("URI", &["create"]),
    // runtime/src/locale.cpp.
    (
        "Locale",
        &[
            "getDefault",
            "setDefault",
            "forLanguageTag",
            "ROOT",
            "ENGLISH",
            "US",
            "UK",
            "CANADA",
            "FRENCH",
            "FRANCE",
            "CANADA_FRENCH",
            "GERMAN",
            "GERMANY",
            "ITALIAN",
            "ITALY",
            "JAPANESE",
            "JAPAN",
            "KOREAN",
            "KOREA",
            "CHINESE",
            "CHINA",
        ],
    ),
    (
        "String",
        &["valueOf", "join", "format", "CASE_INSENSITIVE_ORDER"],
    ),
    // java.util's (runtime/src/java_util.cpp).
    (
        "Arrays",
        &["sort", "fill", "asList", "toString", "equals", "copyOf"],
    ),
    (
        "Collections",
        &[
            "sort",
            "reverse",
            "shuffle",
            "max",
            "min",
            "frequency",
            "nCopies",
            "swap",
            "unmodifiableList",
            "unmodifiableSet",
            "unmodifiableMap",
            "synchronizedMap",
            "synchronizedList",
            "synchronizedSet",
            "emptyList",
            "singletonList",
        ],
    ),
];

/// The classes the runtime knows as values (runtime/src/classes.cpp, whose
/// table a test checks this against): `String` or `java.util.List` in page
/// code evaluates to one of them.
pub const RUNTIME_CLASSES: &[&str] = &[
    "java.lang.Object",
    "java.lang.Class",
    "java.lang.Comparable",
    "java.lang.CharSequence",
    "java.lang.Iterable",
    "java.lang.Runnable",
    "java.lang.AutoCloseable",
    "java.io.Closeable",
    "java.util.concurrent.Callable",
    "java.util.Collection",
    "java.util.List",
    "java.util.Set",
    "java.util.Map",
    "java.util.Map$Entry",
    "java.util.RandomAccess",
    "java.util.Queue",
    "java.util.Deque",
    "java.util.ArrayList",
    "java.util.LinkedList",
    "java.util.ArrayDeque",
    "java.util.PriorityQueue",
    "java.util.HashMap",
    "java.util.LinkedHashMap",
    "java.util.TreeMap",
    "java.util.HashSet",
    "java.util.LinkedHashSet",
    "java.util.TreeSet",
    "java.util.concurrent.ConcurrentHashMap",
    "java.lang.ref.Reference",
    "java.lang.ref.SoftReference",
    "java.lang.ref.WeakReference",
    "java.lang.ref.PhantomReference",
    "java.lang.ref.ReferenceQueue",
    "java.lang.Number",
    "java.lang.Long",
    "java.lang.Integer",
    "java.lang.Short",
    "java.lang.Byte",
    "java.lang.Double",
    "java.lang.Float",
    "clojure.lang.Ratio",
    "clojure.lang.BigInt",
    "java.math.BigInteger",
    "java.math.BigDecimal",
    "java.lang.String",
    "java.lang.Boolean",
    "java.lang.Character",
    "java.util.UUID",
    "java.util.Date",
    "java.util.regex.Pattern",
    "clojure.lang.IFn",
    "clojure.lang.Fn",
    "clojure.lang.IMeta",
    "clojure.lang.IObj",
    "clojure.lang.Named",
    "clojure.lang.Seqable",
    "clojure.lang.Counted",
    "clojure.lang.Sequential",
    "clojure.lang.Reversible",
    "clojure.lang.Sorted",
    "clojure.lang.ILookup",
    "clojure.lang.IDeref",
    "clojure.lang.IPending",
    "clojure.lang.IRef",
    "clojure.lang.IAtom",
    "clojure.lang.IRecord",
    "clojure.lang.IType",
    "clojure.lang.IExceptionInfo",
    "clojure.lang.IEditableCollection",
    "clojure.lang.IPersistentCollection",
    "clojure.lang.Associative",
    "clojure.lang.IPersistentStack",
    "clojure.lang.Indexed",
    "clojure.lang.ISeq",
    "clojure.lang.IPersistentList",
    "clojure.lang.IPersistentVector",
    "clojure.lang.IPersistentMap",
    "clojure.lang.IPersistentSet",
    "clojure.lang.IMapEntry",
    "clojure.lang.IReduceInit",
    "clojure.lang.IReduce",
    "clojure.lang.IChunkedSeq",
    "clojure.lang.Keyword",
    "clojure.lang.AFn",
    "clojure.lang.AFunction",
    "clojure.lang.MultiFn",
    "clojure.lang.Symbol",
    "clojure.lang.Obj",
    "clojure.lang.ASeq",
    "clojure.lang.PersistentList",
    "clojure.lang.PersistentList$EmptyList",
    "clojure.lang.Cons",
    "clojure.lang.LazySeq",
    "clojure.lang.APersistentVector",
    "clojure.lang.PersistentVector",
    "clojure.lang.PersistentVector$ChunkedSeq",
    "clojure.lang.LongRange",
    "clojure.lang.MapEntry",
    "clojure.lang.APersistentMap",
    "clojure.lang.PersistentArrayMap",
    "clojure.lang.PersistentHashMap",
    "clojure.lang.PersistentTreeMap",
    "clojure.lang.APersistentSet",
    "clojure.lang.PersistentHashSet",
    "clojure.lang.PersistentTreeSet",
    "clojure.lang.PersistentQueue",
    "clojure.lang.LazilyPersistentVector",
    "clojure.lang.Murmur3",
    "clojure.lang.ARef",
    "clojure.lang.Atom",
    "clojure.lang.Ref",
    "clojure.lang.Agent",
    "clojure.lang.Var",
    "clojure.lang.Volatile",
    "clojure.lang.Delay",
    "clojure.lang.Reduced",
    "clojure.lang.Namespace",
    "clojure.lang.ATransientMap",
    "clojure.lang.PersistentVector$TransientVector",
    "clojure.lang.PersistentHashSet$TransientHashSet",
    "[Ljava.lang.Object;",
    "java.lang.StringBuilder",
    "java.lang.StringBuffer",
    "java.lang.Math",
    "java.lang.System",
    "java.io.StringWriter",
    "java.io.Reader",
    "java.io.StringReader",
    "java.io.BufferedReader",
    "java.io.PushbackReader",
    "clojure.lang.LineNumberingPushbackReader",
    "java.io.File",
    "java.util.Random",
    "java.lang.Thread",
    "java.util.concurrent.CountDownLatch",
    "java.util.concurrent.FutureTask",
    "java.lang.ThreadLocal",
    "java.util.concurrent.atomic.AtomicLong",
    "java.util.concurrent.atomic.AtomicInteger",
    "java.util.concurrent.atomic.AtomicBoolean",
    "java.util.concurrent.atomic.AtomicReference",
    "java.lang.Runtime",
    "java.util.Base64$Encoder",
    "java.util.Base64$Decoder",
    "java.net.URI",
    "java.net.URL",
    "java.util.Locale",
    "clojure.core.Eduction",
    "java.io.BufferedWriter",
    "java.lang.Throwable",
    "java.lang.Exception",
    "java.lang.Error",
    "java.lang.AssertionError",
    "java.lang.LinkageError",
    "java.lang.IncompatibleClassChangeError",
    "java.lang.IllegalAccessError",
    "java.lang.VirtualMachineError",
    "java.lang.StackOverflowError",
    "java.lang.OutOfMemoryError",
    "java.lang.RuntimeException",
    "java.io.IOException",
    "java.io.FileNotFoundException",
    "java.io.EOFException",
    "java.lang.InterruptedException",
    "java.lang.ClassNotFoundException",
    "java.util.concurrent.TimeoutException",
    "java.util.concurrent.ExecutionException",
    "java.net.URISyntaxException",
    "java.net.MalformedURLException",
    "java.lang.ArithmeticException",
    "java.lang.IllegalArgumentException",
    "java.lang.NumberFormatException",
    "java.util.regex.PatternSyntaxException",
    "clojure.lang.ArityException",
    "java.lang.IllegalStateException",
    "java.lang.IndexOutOfBoundsException",
    "java.lang.StringIndexOutOfBoundsException",
    "java.lang.ArrayIndexOutOfBoundsException",
    "java.lang.NegativeArraySizeException",
    "java.lang.ClassCastException",
    "java.lang.NullPointerException",
    "java.lang.UnsupportedOperationException",
    "java.util.NoSuchElementException",
    "clojure.lang.ExceptionInfo",
];

/// Whether `name`, full (`java.lang.String`) or simple (`String`), names one
/// of the runtime's classes.
pub fn is_runtime_class(name: &str) -> bool {
    runtime_class_name(name).is_some()
}

/// The full name of the runtime's class `name` names, full or simple; a
/// simple name is java.lang's first, as the JVM imports java.lang.
pub fn runtime_class_name(name: &str) -> Option<&'static str> {
    if name.contains('.') || name.starts_with('[') {
        return RUNTIME_CLASSES.iter().copied().find(|full| *full == name);
    }
    let simple = |full: &&str| full.rsplit('.').next() == Some(name);
    RUNTIME_CLASSES
        .iter()
        .copied()
        .find(|full| full.starts_with("java.lang.") && simple(full))
        .or_else(|| RUNTIME_CLASSES.iter().copied().find(simple))
}

/// `Long` for `java.lang.Long`, `UUID` for `java.util.UUID`: the namespace of
/// a JVM class's statics written with its package.
fn jvm_class_namespace(ns: &str) -> Option<&str> {
    let (package, class) = ns.rsplit_once('.')?;
    (matches!(
        package,
        "java.lang"
            | "java.util"
            | "java.io"
            | "java.math"
            | "java.util.regex"
            | "java.util.concurrent"
            | "java.lang.reflect"
            | "java.net"
            | "java.nio.charset"
    ) && JVM_CLASSES.iter().any(|(name, _)| *name == class))
    .then_some(class)
}

/// The runtime's clojure.pprint (runtime/src/libraries.cpp): data's layout.
pub const CLOJURE_PPRINT_VARS: &[&str] = &[
    "pprint",
    "print-table",
    "write",
    "*print-right-margin*",
    "*print-pprint-dispatch*",
    "get-pretty-writer",
    "*print-miser-width*",
    "*print-suppress-namespaces*",
    "*print-pretty*",
    "*print-radix*",
    "*print-base*",
    "cl-format",
    "simple-dispatch",
    "code-dispatch",
    "write-out",
    "pprint-newline",
    "pprint-indent",
    "pprint-tab",
];

/// The runtime's clojure.data (runtime/src/libraries.cpp).
pub const CLOJURE_DATA_VARS: &[&str] = &["diff"];

/// The runtime's clojure.test (runtime/src/clojure_test.cpp); its macros are
/// in the prelude.
pub const CLOJURE_TEST_VARS: &[&str] = &[
    "report",
    "*report-counters*",
    "*initial-report-counters*",
    "*testing-vars*",
    "*testing-contexts*",
    "*test-out*",
    "*load-tests*",
    "*stack-trace-depth*",
    "*fixtures*",
    "inc-report-counter",
    "testing-vars-str",
    "testing-contexts-str",
    "do-report",
    "use-fixtures*",
    "test-var",
    "test-vars",
    "test-all-vars",
    "test-ns",
    "run-tests*",
    "successful?",
    "run-test-var",
    "run-all-tests",
    "compose-fixtures",
    "join-fixtures",
    "function?",
];

/// The runtime's clojure.edn (runtime/src/reader.cpp).
pub const CLOJURE_EDN_VARS: &[&str] = &["read-string", "read"];

/// The namespaces beside clojure.core that the page's runtime provides.
pub const LIBRARY_NAMESPACES: &[(&str, &[&str])] = &[
    ("clojure.string", CLOJURE_STRING_VARS),
    ("clojure.set", CLOJURE_SET_VARS),
    ("clojure.walk", CLOJURE_WALK_VARS),
    ("clojure.math", CLOJURE_MATH_VARS),
    ("clojure.edn", CLOJURE_EDN_VARS),
    ("clojure.pprint", CLOJURE_PPRINT_VARS),
    ("clojure.data", CLOJURE_DATA_VARS),
    ("clojure.test", CLOJURE_TEST_VARS),
    ("clojure.lang.PersistentQueue", PERSISTENT_QUEUE_VARS),
    ("clojure.lang.AFn", AFN_VARS),
    ("clojure.lang.RT", RT_VARS),
    ("clojure.lang.Numbers", NUMBERS_VARS),
    ("clojure.lang.BigInt", BIG_INT_VARS),
    (
        "clojure.lang.LazilyPersistentVector",
        LAZILY_PERSISTENT_VECTOR_VARS,
    ),
    ("clojure.lang.Util", UTIL_VARS),
    ("clojure.lang.Murmur3", MURMUR3_VARS),
    ("clojure.lang.PersistentArrayMap", PERSISTENT_ARRAY_MAP_VARS),
    ("clojure.lang.PersistentHashMap", PERSISTENT_HASH_MAP_VARS),
    ("clojure.lang.PersistentVector", PERSISTENT_VECTOR_VARS),
    ("clojure.lang.PersistentHashSet", PERSISTENT_HASH_SET_VARS),
    ("clojure.lang.PersistentList", PERSISTENT_LIST_VARS),
    ("clojure.lang.Compiler", COMPILER_VARS),
    ("jank.hot-reload", JANK_HOT_RELOAD_VARS),
];

/// The page's own settings (runtime/src/lang.cpp): how long one call from
/// JavaScript may run.
pub const JANK_HOT_RELOAD_VARS: &[&str] = &["*time-limit-ms*"];

/// A var's value inside the compiler: ready, or an analyzed init that is
/// evaluated the first time a macro needs it (so a `def` whose value only
/// makes sense in the page costs nothing unless a macro reads it).
#[derive(Debug)]
pub enum CtValue {
    Ready(Form),
    Pending(Arc<Expr>),
    Evaluating,
}

/// What the compiler knows of one var.
#[derive(Debug, Clone, Default)]
pub struct VarEntry {
    /// The page has it (or will, once this evaluation loads).
    pub in_page: bool,
    pub is_macro: bool,
    /// Its value for code that runs at compile time (macros and their helpers).
    pub value: Option<Arc<Mutex<CtValue>>>,
    /// Docstring, arglists and the rest of the var's metadata; set through
    /// [`VarEntry::set_meta`], which keeps `load_hooks` in step with it.
    meta: Option<Arc<Form>>,
    /// The `:dev/` load hooks its metadata names, worked out once when the
    /// metadata is set: every eval lists the page's hooks, and reading every
    /// var's metadata for that was a fifth of the server's time per eval.
    load_hooks: LoadHooks,
    /// The text of the top-level form that defined it, for clojure.repl's
    /// `source`; None for the runtime's own vars and the prelude's.
    pub source: Option<Arc<str>>,
    /// Where that form sits, for an editor's jump to the definition.
    pub defined_at: Option<DefinedAt>,
}

/// Where a var's defining form was read: the file the editor named (None for
/// code typed at the REPL), and its 1-based line and column there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinedAt {
    pub file: Option<Arc<str>>,
    pub line: u32,
    pub column: u32,
}

/// shadow-cljs's load hooks: `^:dev/before-load` and `^:dev/after-load` vars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadHook {
    BeforeLoad,
    AfterLoad,
}

/// Which load hooks a var is.
#[derive(Debug, Clone, Copy, Default)]
struct LoadHooks {
    before_load: bool,
    after_load: bool,
}

impl LoadHooks {
    fn of(meta: Option<&Form>) -> Self {
        meta.map_or_else(Self::default, |meta| Self {
            before_load: meta_flag_in(meta, "dev", "before-load"),
            after_load: meta_flag_in(meta, "dev", "after-load"),
        })
    }

    fn has(self, hook: LoadHook) -> bool {
        match hook {
            LoadHook::BeforeLoad => self.before_load,
            LoadHook::AfterLoad => self.after_load,
        }
    }
}

impl VarEntry {
    /// Its metadata: docstring, arglists and the rest.
    pub fn meta(&self) -> Option<&Arc<Form>> {
        self.meta.as_ref()
    }

    pub fn set_meta(&mut self, meta: Option<Arc<Form>>) {
        self.load_hooks = LoadHooks::of(meta.as_deref());
        self.meta = meta;
    }

    /// The value of `:key` (`:ns/key` when `ns` is not empty) in its metadata.
    pub fn meta_value(&self, ns: &str, key: &str) -> Option<&Form> {
        let FormKind::Map(items) = &*self.meta.as_deref()?.kind else {
            return None;
        };
        items.chunks(2).find_map(|kv| match &*kv[0].kind {
            FormKind::Keyword { ns: n, name, .. } if n == ns && name == key => kv.get(1),
            _ => None,
        })
    }

    /// Its `:arglists`, each a vector form; empty when it has none.
    pub fn arglists(&self) -> Vec<Form> {
        // defn writes `:arglists '([a b])`; take the list under the quote.
        self.meta_value("", "arglists")
            .map(|a| match &*a.kind {
                FormKind::List(items)
                    if items.len() == 2
                        && matches!(&*items[0].kind, FormKind::Symbol { ns, name } if ns.is_empty() && name == "quote") =>
                {
                    &items[1]
                }
                _ => a,
            })
            .and_then(Form::items)
            .map(<[Form]>::to_vec)
            .unwrap_or_default()
    }

    /// Defined `^:private` (or with defn-).
    pub fn is_private(&self) -> bool {
        self.meta
            .as_deref()
            .is_some_and(|m| meta_flag(m, "private"))
    }
}

/// What an editor shows about a var (nREPL's lookup, info and eldoc).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDoc {
    pub ns: String,
    pub name: String,
    pub doc: Option<String>,
    /// Each arglist as printed: `"[a b]"`, `"[x & more]"`.
    pub arglists: Vec<String>,
    pub is_macro: bool,
    pub defined_at: Option<DefinedAt>,
    /// The Clojure version that added it (`:added`), as cider's info shows.
    pub added: Option<String>,
}

/// One namespace's vars. Shared between copies of the knowledge until one
/// changes it: every compile works on a copy, and most touch one namespace.
type NsVars = Arc<VarTable>;

/// Var name to entry, hashed: the compile-time evaluator looks a var up by
/// name at every call, and clojure.core has a thousand-odd.
pub type VarTable = HashMap<String, VarEntry, foldhash::fast::FixedState>;

/// Finds the source of a namespace that `require` names and the compiler has
/// not seen, as Clojure's require searches the classpath. The server's is its
/// source path (`--source-path`).
pub trait SourceLoader: Send + Sync {
    fn source_of(&self, ns: &str) -> Option<LibSource>;
}

/// A namespace's source text and the file it came from (for messages).
#[derive(Debug, Clone)]
pub struct LibSource {
    pub file: String,
    pub text: String,
}

/// The loader a Knowledge asks after the libraries bundled with the compiler.
#[derive(Clone, Default)]
pub struct Loader(Option<Arc<dyn SourceLoader>>);

impl std::fmt::Debug for Loader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Loader(set)"
        } else {
            "Loader(none)"
        })
    }
}

#[derive(Debug, Clone)]
pub struct Knowledge {
    pub current_ns: String,
    /// Where `require` finds a namespace's source (see `find_source`).
    loader: Loader,
    /// The namespaces loaded from source into the pages now connected, so
    /// that a second require does not load them again.
    loaded: BTreeSet<String>,
    /// Every namespace ever loaded from source: for these, only `loaded`
    /// says whether the pages have them.
    from_source: BTreeSet<String>,
    vars: BTreeMap<String, NsVars>,
    aliases: HashMap<String, HashMap<String, String>>,
    refers: HashMap<String, HashMap<String, String>>,
    /// `(:require [clojure.set :refer [union] :rename {union u}])`: in each
    /// namespace, a local name to the namespace and name of the var it is.
    renamed: HashMap<String, HashMap<String, (String, String)>>,
    /// `(:refer-clojure :exclude [+])`: in each namespace, the clojure.core
    /// names it does not refer, so a syntax-quote of `+` there (before its own
    /// `+` is defined) is its own, as in Clojure.
    excluded: HashMap<String, BTreeSet<String>>,
    /// For each macro, the vars last compiled with its expansion.
    macro_users: BTreeMap<(String, String), BTreeSet<String>>,
    /// The fields of every record and deftype defined, by name: `(.lruS c)`
    /// reads one, where another camelCase name is a JVM method.
    type_fields: BTreeSet<String>,
}

impl Default for Knowledge {
    /// clojure.core as the runtime has it, plus the macros of the prelude.
    fn default() -> Self {
        crate::prelude::loaded().clone()
    }
}

impl Knowledge {
    /// The runtime's clojure.core and the evaluator's builtins, without the
    /// prelude's macros: what the prelude itself is compiled against.
    pub fn bare() -> Self {
        let mut core = VarTable::default();
        for name in CORE_VARS {
            core.entry((*name).to_owned()).or_default().in_page = true;
        }
        for b in BUILTINS {
            core.entry(b.name.to_owned()).or_default().value = Some(Arc::new(Mutex::new(
                CtValue::Ready(Form::value(FormKind::Builtin(b))),
            )));
        }
        // The namespace being compiled: for macros, its name (see
        // compile_time_value); in the page, the namespace value.
        core.insert(
            "*ns*".to_owned(),
            VarEntry {
                in_page: true,
                ..VarEntry::default()
            },
        );
        // The REPL's last values and exception: the page keeps them per
        // editor session (jank_hot_reload_run_eval).
        for name in ["*1", "*2", "*3", "*e"] {
            core.entry(name.to_owned()).or_default().in_page = true;
        }
        // Read by assert at expansion time, as in Clojure.
        core.insert(
            "*assert*".to_owned(),
            VarEntry {
                in_page: true,
                value: Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(
                    FormKind::Bool(true),
                ))))),
                ..VarEntry::default()
            },
        );
        let mut vars = BTreeMap::new();
        vars.insert("clojure.core".to_owned(), Arc::new(core));
        for (ns, names) in LIBRARY_NAMESPACES.iter().chain(JVM_CLASSES) {
            let entries = names
                .iter()
                .map(|name| {
                    let entry = VarEntry {
                        in_page: true,
                        ..VarEntry::default()
                    };
                    ((*name).to_owned(), entry)
                })
                .collect();
            vars.insert((*ns).to_owned(), Arc::new(entries));
        }
        // The numeric constants, which macros compute with as the JVM's do
        // (test.check's longify masks with Long/MAX_VALUE).
        let constants = [
            ("Long", "MAX_VALUE", FormKind::Int(i64::MAX)),
            ("Long", "MIN_VALUE", FormKind::Int(i64::MIN)),
            ("Integer", "MAX_VALUE", FormKind::Int(i64::from(i32::MAX))),
            ("Integer", "MIN_VALUE", FormKind::Int(i64::from(i32::MIN))),
            ("Short", "MAX_VALUE", FormKind::Int(i64::from(i16::MAX))),
            ("Short", "MIN_VALUE", FormKind::Int(i64::from(i16::MIN))),
            ("Byte", "MAX_VALUE", FormKind::Int(i64::from(i8::MAX))),
            ("Byte", "MIN_VALUE", FormKind::Int(i64::from(i8::MIN))),
            ("Double", "MAX_VALUE", FormKind::Float(f64::MAX)),
            ("Double", "MIN_VALUE", FormKind::Float(f64::from_bits(1))),
            (
                "Double",
                "POSITIVE_INFINITY",
                FormKind::Float(f64::INFINITY),
            ),
            (
                "Double",
                "NEGATIVE_INFINITY",
                FormKind::Float(f64::NEG_INFINITY),
            ),
            ("Double", "NaN", FormKind::Float(f64::NAN)),
        ];
        for (class, name, value) in constants {
            if let Some(entry) = vars
                .get_mut(class)
                .and_then(|table| Arc::make_mut(table).get_mut(name))
            {
                entry.value = Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(value)))));
            }
        }
        // Macros that walk code read the special forms' names at expansion.
        if let Some(table) = vars.get_mut("clojure.lang.Compiler") {
            let names = SPECIAL_FORM_NAMES.iter().flat_map(|full| {
                let symbol = match full.split_once('/') {
                    Some((ns, name)) => Form::qualified_symbol(ns, name, Pos::default()),
                    None => Form::symbol(full, Pos::default()),
                };
                [symbol, Form::nil()]
            });
            Arc::make_mut(table).insert(
                "loop-locals*".to_owned(),
                VarEntry {
                    in_page: true,
                    value: Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(
                        FormKind::Vector(Vec::new()),
                    ))))),
                    ..VarEntry::default()
                },
            );
            Arc::make_mut(table).insert(
                "LOOP_LOCALS".to_owned(),
                VarEntry {
                    in_page: true,
                    value: Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(
                        FormKind::Var {
                            ns: "clojure.lang.Compiler".to_owned(),
                            name: "loop-locals*".to_owned(),
                        },
                    ))))),
                    ..VarEntry::default()
                },
            );
            // Compiler.CHAR_MAP, which macros that munge read (schema's).
            let char_map = crate::eval::CHAR_MAP.iter().flat_map(|(c, name)| {
                [
                    Form::value(FormKind::Char(*c)),
                    Form::value(FormKind::Str((*name).to_owned())),
                ]
            });
            Arc::make_mut(table).insert(
                "CHAR_MAP".to_owned(),
                VarEntry {
                    in_page: true,
                    value: Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(
                        FormKind::Map(char_map.collect()),
                    ))))),
                    ..VarEntry::default()
                },
            );
            Arc::make_mut(table).insert(
                "specials".to_owned(),
                VarEntry {
                    in_page: true,
                    value: Some(Arc::new(Mutex::new(CtValue::Ready(Form::value(
                        FormKind::Map(names.collect()),
                    ))))),
                    ..VarEntry::default()
                },
            );
        }
        // The builtins of clojure.string (and clojure.core's in Rust beside
        // them) give those natives their values for macros.
        for b in TEXT_BUILTINS
            .iter()
            .chain(TYPE_BUILTINS)
            .chain(CLASS_BUILTINS)
            .chain(SORTED_BUILTINS)
            .chain(HASH_BUILTINS)
            .chain(MATCHER_BUILTINS)
        {
            let (ns, name) = b.name.split_once('/').unwrap_or(("clojure.core", b.name));
            let table = Arc::make_mut(vars.entry(ns.to_owned()).or_default());
            table.entry(name.to_owned()).or_default().value = Some(Arc::new(Mutex::new(
                CtValue::Ready(Form::value(FormKind::Builtin(b))),
            )));
        }
        vars.insert("user".to_owned(), NsVars::default());
        Self {
            current_ns: "user".into(),
            loader: Loader::default(),
            loaded: BTreeSet::new(),
            from_source: BTreeSet::new(),
            vars,
            aliases: HashMap::new(),
            refers: HashMap::new(),
            renamed: HashMap::new(),
            excluded: HashMap::new(),
            macro_users: BTreeMap::new(),
            type_fields: BTreeSet::new(),
        }
    }

    /// Gives the runtime's native vars and the prelude's macros the arglists
    /// JVM Clojure documents (arglists.rs) where their metadata has none, so
    /// an editor's eldoc and info, and `doc`, show them.
    /// Gives each native that prelude/macro_time.jank writes again in jank
    /// (`macro-time--name`, `macro-time--walk--name`, `macro-time--set--name`)
    /// that helper's value, for macros to call; the page keeps its native.
    pub(crate) fn lend_macro_time_fns(&mut self) {
        let helpers: Vec<(String, Arc<Mutex<CtValue>>)> = self
            .vars
            .get("clojure.core")
            .into_iter()
            .flat_map(|core| core.iter())
            .filter_map(|(name, entry)| {
                Some((
                    name.strip_prefix("macro-time--")?.to_owned(),
                    entry.value.clone()?,
                ))
            })
            .collect();
        for (stands_for, value) in helpers {
            let (ns, name) = match stands_for.split_once("--") {
                Some(("walk", name)) => ("clojure.walk", name),
                Some(("set", name)) => ("clojure.set", name),
                _ => ("clojure.core", stands_for.as_str()),
            };
            let entry = self.entry_mut(ns, name);
            if entry.value.is_none() {
                entry.value = Some(value);
            }
        }
    }

    pub(crate) fn fill_in_arglists(&mut self) {
        for (ns, name, arglists, doc, added) in crate::arglists::ARGLISTS {
            let Some(entry) = self
                .vars
                .get_mut(*ns)
                .and_then(|v| Arc::make_mut(v).get_mut(*name))
            else {
                continue;
            };
            let mut items = match entry.meta.as_deref().map(|m| &*m.kind) {
                Some(FormKind::Map(items)) => items.clone(),
                _ => Vec::new(),
            };
            let has = |items: &[Form], key: &str| {
                items.chunks(2).any(|kv| {
                    matches!(&*kv[0].kind, FormKind::Keyword { ns, name, .. } if ns.is_empty() && name == key)
                })
            };
            let (has_arglists, has_doc) = (has(&items, "arglists"), has(&items, "doc"));
            // The table is generated from Clojure's own metadata: it always reads.
            let lists = crate::reader::read_all(arglists)
                .ok()
                .and_then(|mut f| f.pop());
            match lists {
                Some(lists) if !has_arglists => {
                    items.push(Form::keyword("arglists"));
                    items.push(lists);
                }
                _ => {}
            }
            if !has_doc && !doc.is_empty() {
                items.push(Form::keyword("doc"));
                items.push(Form::value(FormKind::Str((*doc).to_owned())));
            }
            if !has(&items, "added") && !added.is_empty() {
                items.push(Form::keyword("added"));
                items.push(Form::value(FormKind::Str((*added).to_owned())));
            }
            entry.set_meta(Some(Arc::new(Form::value(FormKind::Map(items)))));
        }
    }

    /// Where `require` looks for a namespace it has not seen, before the
    /// bundled libraries.
    pub fn set_loader(&mut self, loader: Arc<dyn SourceLoader>) {
        self.loader = Loader(Some(loader));
    }

    /// Whether `require` of ns has to load it: it is not loaded, and nothing
    /// by that name has been evaluated or reported by a page instead.
    pub fn needs_loading(&self, ns: &str) -> bool {
        !self.loaded.contains(ns) && (self.from_source.contains(ns) || !self.vars.contains_key(ns))
    }

    /// A page joined: it has none of the namespaces loaded from source, so
    /// the next require of one loads it again (into every page, as :reload).
    pub fn forget_loaded(&mut self) {
        self.loaded.clear();
    }

    /// ns's source: the loader's (the source path), or else a library
    /// bundled with the compiler. A file on the source path wins, as the
    /// user's copy of a library on the JVM's classpath does: the real
    /// clojure.spec.alpha over the bundled subset.
    pub fn find_source(&self, ns: &str) -> Option<LibSource> {
        self.loader
            .0
            .as_ref()
            .and_then(|loader| loader.source_of(ns))
            .or_else(|| crate::libraries::bundled(ns))
    }

    pub fn mark_loaded(&mut self, ns: &str) {
        self.loaded.insert(ns.to_owned());
        self.from_source.insert(ns.to_owned());
        self.vars.entry(ns.to_owned()).or_default();
    }

    /// What `require` says of a namespace nobody has: where it looked.
    pub fn not_found_message(&self, ns: &str) -> String {
        let file = ns.replace('.', "/").replace('-', "_");
        let looked = if self.loader.0.is_some() {
            format!("no {file}.jank or {file}.cljc on the source path")
        } else {
            "no source path to look on".to_owned()
        };
        format!(
            "Could not locate {ns}: it has not been evaluated, and there is {looked} (evaluate its file first, or start the server with --source-path DIR)"
        )
    }

    /// Sets what a clojure.core var is while macros run, as `*file*` is the
    /// file being compiled.
    pub(crate) fn set_core_compile_time_value(&mut self, name: &str, value: Form) {
        // Unchanged (the same file as the last compile): clojure.core's
        // table stays shared with the knowledge this copy came from, instead
        // of every compile copying its thousand-odd entries.
        let same = |held: &CtValue| match held {
            CtValue::Ready(old) => crate::form::pr_str(old) == crate::form::pr_str(&value),
            _ => false,
        };
        let unchanged = self
            .entry("clojure.core", name)
            .and_then(|e| e.value.as_ref())
            .and_then(|cell| cell.lock().ok().map(|held| same(&held)))
            .unwrap_or(false);
        if unchanged {
            return;
        }
        let vars = self.vars.entry("clojure.core".to_owned()).or_default();
        let entry = Arc::make_mut(vars).entry(name.to_owned()).or_default();
        entry.value = Some(Arc::new(Mutex::new(CtValue::Ready(value))));
    }

    pub fn enter_ns(&mut self, ns: &str) {
        self.current_ns = ns.to_owned();
        self.vars.entry(ns.to_owned()).or_default();
    }

    /// The aliases and refers the current namespace has, sorted: alias or
    /// name to the namespace it stands for.
    pub fn current_links(&self) -> (Links, Links) {
        let sorted = |table: &HashMap<String, HashMap<String, String>>| {
            let mut pairs: Vec<(String, String)> = table
                .get(&self.current_ns)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            pairs.sort();
            pairs
        };
        let mut refers = sorted(&self.refers);
        if let Some(renamed) = self.renamed.get(&self.current_ns) {
            refers.extend(
                renamed
                    .iter()
                    .map(|(local, (ns, name))| (local.clone(), format!("{ns}/{name}"))),
            );
            refers.sort();
        }
        (sorted(&self.aliases), refers)
    }

    pub fn add_alias(&mut self, alias: &str, target: &str) {
        self.aliases
            .entry(self.current_ns.clone())
            .or_default()
            .insert(alias.to_owned(), target.to_owned());
        self.vars.entry(target.to_owned()).or_default();
    }

    /// `(ns-unalias ns 'alias)`.
    pub fn remove_alias(&mut self, ns: &str, alias: &str) {
        if let Some(aliases) = self.aliases.get_mut(ns) {
            aliases.remove(alias);
        }
    }

    /// `(create-ns 'name)`: the namespace exists, the current one stays.
    pub fn create_ns(&mut self, ns: &str) {
        self.vars.entry(ns.to_owned()).or_default();
    }

    /// `(remove-ns 'ns)`: the namespace and everything in it are gone, so
    /// its names no longer resolve and a later `ns` starts it afresh.
    pub fn remove_ns(&mut self, ns: &str) {
        self.vars.remove(ns);
        self.aliases.remove(ns);
        self.refers.remove(ns);
        self.renamed.remove(ns);
        self.loaded.remove(ns);
        self.from_source.remove(ns);
    }

    /// `(ns-unmap ns 'name)`: the namespace no longer has the var or refer.
    pub fn unmap(&mut self, ns: &str, name: &str) {
        if let Some(vars) = self.vars.get_mut(ns) {
            Arc::make_mut(vars).remove(name);
        }
        if let Some(refers) = self.refers.get_mut(ns) {
            refers.remove(name);
        }
        if let Some(renamed) = self.renamed.get_mut(ns) {
            renamed.remove(name);
        }
    }

    /// `:rename {name local}` in a require: `local` here is `target/name`,
    /// and `name` is no longer referred.
    pub fn rename_refer(&mut self, name: &str, local: &str, target: &str) {
        let current = self.current_ns.clone();
        if let Some(refers) = self.refers.get_mut(&current) {
            if refers.get(name).is_some_and(|t| t == target) {
                refers.remove(name);
            }
        }
        self.renamed
            .entry(current)
            .or_default()
            .insert(local.to_owned(), (target.to_owned(), name.to_owned()));
    }

    /// Whether namespace `target`, whose vars the compiler knows, has no
    /// `name`: referring it is Clojure's "name does not exist". False for a
    /// namespace it knows no var of (one only the page has made).
    pub fn lacks_var(&self, target: &str, name: &str) -> bool {
        self.vars
            .get(target)
            .is_some_and(|vars| !vars.is_empty() && !vars.contains_key(name))
    }

    /// Whether `ns` defines a record or deftype `name`: its var and its
    /// positional constructor `->name`.
    /// Whether the reference runtime has `ns/name` natively (clojure.core's
    /// natives and the library namespaces' tables), rather than only the
    /// compiler's prelude.
    pub fn is_runtime_var(ns: &str, name: &str) -> bool {
        if ns == "clojure.core" {
            return CORE_VARS.contains(&name);
        }
        LIBRARY_NAMESPACES
            .iter()
            .chain(JVM_CLASSES)
            .any(|(table_ns, names)| *table_ns == ns && names.contains(&name))
    }

    /// Notes the fields of a record or deftype defined.
    pub fn add_type_fields(&mut self, fields: impl IntoIterator<Item = String>) {
        self.type_fields.extend(fields);
    }

    /// Whether a record or deftype defined has a field `name`.
    pub fn is_type_field(&self, name: &str) -> bool {
        self.type_fields.contains(name)
    }

    pub fn is_type_defined_in(&self, ns: &str, name: &str) -> bool {
        self.vars
            .get(ns)
            .is_some_and(|vars| vars.contains_key(name) && vars.contains_key(&format!("->{name}")))
    }

    /// The namespace that defines `name` as a record, deftype, protocol or
    /// definterface, for an import of `package.name`: the package is the
    /// namespace's name as a class's package (`my_app.core` for `my-app.core`).
    pub fn importable_namespace(&self, package: &str, name: &str) -> Option<String> {
        [package.to_owned(), package.replace('_', "-")]
            .into_iter()
            .find(|ns| {
                self.vars.get(ns).is_some_and(|vars| {
                    vars.get(name).is_some_and(|entry| entry.value.is_some())
                        || vars.contains_key(&format!("->{name}"))
                })
            })
    }

    /// `(:refer-clojure :exclude [names])` in the current namespace.
    pub fn exclude_core(&mut self, names: impl IntoIterator<Item = String>) {
        self.excluded
            .entry(self.current_ns.clone())
            .or_default()
            .extend(names);
    }

    pub fn add_refer(&mut self, name: &str, target: &str) {
        self.refers
            .entry(self.current_ns.clone())
            .or_default()
            .insert(name.to_owned(), target.to_owned());
        self.vars.entry(target.to_owned()).or_default();
    }

    /// `(:require [ns :refer :all])` and `use`: every public var and macro of
    /// `target` the compiler knows, but those in `exclude`, referred here.
    pub fn refer_all(&mut self, target: &str, exclude: &[&str]) {
        let names: Vec<String> = self
            .vars
            .get(target)
            .map(|vars| {
                vars.iter()
                    .filter(|(name, entry)| {
                        (entry.in_page || entry.is_macro)
                            && !exclude.contains(&name.as_str())
                            && !entry.is_private()
                    })
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for name in names {
            self.add_refer(&name, target);
        }
    }

    /// A var the page will have after this evaluation.
    pub fn define(&mut self, ns: &str, name: &str) {
        self.entry_mut(ns, name).in_page = true;
    }

    pub fn entry(&self, ns: &str, name: &str) -> Option<&VarEntry> {
        self.vars.get(ns)?.get(name)
    }

    pub fn entry_mut(&mut self, ns: &str, name: &str) -> &mut VarEntry {
        let vars = self.vars.entry(ns.to_owned()).or_default();
        Arc::make_mut(vars).entry(name.to_owned()).or_default()
    }

    /// Gives a var its compile-time value (a new cell, so that evaluations
    /// already holding the old one are unaffected).
    pub fn set_compile_time_value(&mut self, ns: &str, name: &str, value: CtValue) {
        self.entry_mut(ns, name).value = Some(Arc::new(Mutex::new(value)));
    }

    /// The compile-time values of the methods of the protocol `ns/name`:
    /// the vars whose metadata names it (`:protocol #'ns/name`).
    pub(crate) fn protocol_methods(&self, ns: &str, name: &str) -> Vec<Form> {
        // The metadata as defprotocol writes it, `(var P)`, or a var.
        let names_it = |p: &Form| match &*p.kind {
            FormKind::Var {
                ns: p_ns,
                name: p_name,
            } => p_ns == ns && p_name == name,
            FormKind::List(items) => matches!(
                items.as_slice(),
                [head, var] if head.as_simple_symbol() == Some("var")
                    && matches!(&*var.kind, FormKind::Symbol { ns: v_ns, name: v_name }
                        if v_name == name && (v_ns.is_empty() || v_ns == ns))
            ),
            _ => false,
        };
        let Some(vars) = self.vars.get(ns) else {
            return Vec::new();
        };
        let mut methods: Vec<(&String, &VarEntry)> = vars
            .iter()
            .filter(|(_, entry)| {
                entry
                    .meta()
                    .and_then(|m| eval::get_key(m, &Form::keyword("protocol")))
                    .is_some_and(|p| names_it(&p))
            })
            .collect();
        methods.sort_by(|a, b| a.0.cmp(b.0));
        methods
            .into_iter()
            .filter_map(|(method, _)| self.compile_time_value(ns, method).ok())
            .collect()
    }

    /// Whether the var has a compile-time value, pending or ready, that
    /// `set_ready_value` can replace.
    pub(crate) fn has_compile_time_slot(&self, ns: &str, name: &str) -> bool {
        self.entry(ns, name).is_some_and(|e| e.value.is_some())
    }

    /// Sets the var's compile-time value in place: a def nested in a
    /// top-level form, run by the evaluator (eval/mod.rs).
    pub(crate) fn set_ready_value(&self, ns: &str, name: &str, value: Form) {
        if let Some(cell) = self.entry(ns, name).and_then(|e| e.value.as_ref()) {
            match cell.lock() {
                Ok(mut slot) => *slot = CtValue::Ready(value),
                Err(poisoned) => *poisoned.into_inner() = CtValue::Ready(value),
            }
        }
    }

    /// Remembers which vars `unit` compiled with which macros, and says
    /// which vars still hold the old expansion of a macro it redefined.
    pub fn record_macro_use(&mut self, unit: &Unit) -> Option<String> {
        let mut notices = Vec::new();
        for (ns, name) in &unit.defined_macros {
            if let Some(users) = self.macro_users.remove(&(ns.clone(), name.clone())) {
                let users: Vec<String> = users.into_iter().map(|u| format!("#'{u}")).collect();
                notices.push(format!(
                    ";; {ns}/{name} changed; these still hold its old expansion until re-evaluated: {}",
                    users.join(", ")
                ));
            }
        }
        let defined = unit
            .defns
            .iter()
            .map(|d| format!("{}/{}", d.ns, d.name))
            .chain(unit.run.iter().filter_map(|e| match e {
                Expr::Def { ns, name, .. } => Some(format!("{ns}/{name}")),
                _ => None,
            }))
            .collect::<Vec<_>>();
        for used in &unit.used_macros {
            if used.0 == "clojure.core" {
                continue;
            }
            let users = self.macro_users.entry(used.clone()).or_default();
            users.extend(defined.iter().cloned());
        }
        (!notices.is_empty()).then(|| notices.join("\n"))
    }

    /// Vars the page reports it has (namespace sync).
    pub fn learn(&mut self, namespaces: &jank_hot_reload_protocol::Namespaces) {
        for (ns, names) in namespaces.iter() {
            let known = Arc::make_mut(self.vars.entry(ns.to_owned()).or_default());
            for name in names {
                known.entry(name.clone()).or_default().in_page = true;
            }
        }
    }

    /// The page's `hook` vars (metadata `:dev/before-load` or
    /// `:dev/after-load` truthy), as `ns/name`, sorted.
    pub fn hook_vars(&self, hook: LoadHook) -> Vec<String> {
        let mut hooks = Vec::new();
        for (ns, vars) in &self.vars {
            for (name, entry) in vars.iter() {
                if entry.in_page && !entry.is_macro && entry.load_hooks.has(hook) {
                    hooks.push(format!("{ns}/{name}"));
                }
            }
        }
        hooks.sort();
        hooks
    }

    /// Whether the namespace `ns` exists (has any var the compiler knows).
    pub fn has_namespace(&self, ns: &str) -> bool {
        self.vars.contains_key(ns)
    }

    /// Each namespace with its vars, both sorted by name.
    pub fn namespaces(&self) -> impl Iterator<Item = (&String, Vec<(&String, &VarEntry)>)> {
        self.vars.iter().map(|(ns, vars)| {
            let mut sorted: Vec<_> = vars.iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
            (ns, sorted)
        })
    }

    /// Each namespace's var table as shared between copies of the knowledge:
    /// a table that is the same `Arc` as before has not changed since.
    pub fn namespace_tables(&self) -> impl Iterator<Item = (&String, &Arc<VarTable>)> {
        self.vars.iter()
    }

    /// `::kw` and aliases: the namespace a keyword or symbol prefix stands for.
    pub fn resolve_ns_alias(&self, ns: &str) -> String {
        self.resolve_ns_alias_in(&self.current_ns, ns)
    }

    fn resolve_ns_alias_in(&self, current: &str, ns: &str) -> String {
        if ns.is_empty() {
            return current.to_owned();
        }
        self.aliases
            .get(current)
            .and_then(|a| a.get(ns))
            .cloned()
            .unwrap_or_else(|| ns.to_owned())
    }

    /// The var a symbol names, or a message saying why none.
    pub fn resolve(&self, ns: &str, name: &str) -> Result<(String, String), String> {
        self.resolve_in(&self.current_ns, ns, name)
    }

    /// As [`Knowledge::resolve`], seen from namespace `current`.
    pub fn resolve_in(
        &self,
        current: &str,
        ns: &str,
        name: &str,
    ) -> Result<(String, String), String> {
        if let Some(found) = math_class(ns, name) {
            return found;
        }
        if !ns.is_empty() {
            // java.lang.Long/parseLong is Long/parseLong: the JVM classes'
            // statics live in namespaces named by the simple class name.
            let ns = jvm_class_namespace(ns).unwrap_or(ns);
            // A record's static factory, (Point/create {:x 1}), is its
            // map->Point; by its class's full name, my_app.core.Point, too.
            if name == "create" {
                let (record_ns, record) = match ns.rsplit_once('.') {
                    Some((package, record)) => (package.replace('_', "-"), record),
                    None => (current.to_owned(), ns),
                };
                let factory = format!("map->{record}");
                if self
                    .vars
                    .get(&record_ns)
                    .is_some_and(|v| v.contains_key(record) && v.contains_key(factory.as_str()))
                {
                    return Ok((record_ns, factory));
                }
            }
            let target = self.resolve_ns_alias_in(current, ns);
            return match self.vars.get(&target) {
                Some(names) if names.contains_key(name) => Ok((target, name.to_owned())),
                Some(_) => Err(format!("No such var: {target}/{name}")),
                None => Err(format!("No such namespace: {ns}{}", host_class_hint(ns))),
            };
        }
        if self.vars.get(current).is_some_and(|v| v.contains_key(name)) {
            return Ok((current.to_owned(), name.to_owned()));
        }
        if let Some(target) = self.refers.get(current).and_then(|r| r.get(name)) {
            return Ok((target.clone(), name.to_owned()));
        }
        if let Some((target, remote)) = self.renamed.get(current).and_then(|r| r.get(name)) {
            return Ok((target.clone(), remote.clone()));
        }
        if self
            .vars
            .get("clojure.core")
            .is_some_and(|v| v.contains_key(name))
            && !self.excluded.get(current).is_some_and(|e| e.contains(name))
        {
            return Ok(("clojure.core".into(), name.to_owned()));
        }
        // my_app.core.Point, a record's or deftype's class by its full name,
        // is the Point that namespace my-app.core defined.
        if let Some((class_ns, class)) = name.rsplit_once('.') {
            if class.starts_with(|c: char| c.is_ascii_uppercase()) {
                let class_ns = class_ns.replace('_', "-");
                if self
                    .vars
                    .get(&class_ns)
                    .is_some_and(|v| v.contains_key(class))
                {
                    return Ok((class_ns, class.to_owned()));
                }
            }
        }
        Err(format!("Unable to resolve symbol: {name} in this context"))
    }

    /// What an editor shows for `symbol` (`name`, `ns/name` or `alias/name`)
    /// seen from namespace `current`: the var's docstring, arglists and kind.
    pub fn describe(&self, current: &str, symbol: &str) -> Option<VarDoc> {
        let (ns, name) = match symbol.split_once('/') {
            Some((ns, name)) if !ns.is_empty() && !name.is_empty() => (ns, name),
            _ => ("", symbol),
        };
        let (ns, name) = self.resolve_in(current, ns, name).ok()?;
        let entry = self.entry(&ns, &name)?;
        let get = |key: &str| entry.meta_value("", key);
        let doc = get("doc").and_then(|d| match &*d.kind {
            FormKind::Str(s) => Some(s.clone()),
            _ => None,
        });
        let added = get("added").and_then(|d| match &*d.kind {
            FormKind::Str(s) => Some(s.clone()),
            _ => None,
        });
        let arglists = entry.arglists().iter().map(crate::form::pr_str).collect();
        Some(VarDoc {
            ns,
            name,
            doc,
            arglists,
            is_macro: entry.is_macro,
            defined_at: entry.defined_at.clone(),
            added,
        })
    }

    /// `(alias, namespace)` for every alias `ns` has.
    pub fn aliases_of(&self, ns: &str) -> Vec<(String, String)> {
        self.aliases
            .get(ns)
            .map(|a| a.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// `(name, namespace)` for every var `ns` refers.
    pub fn refers_of(&self, ns: &str) -> Vec<(String, String)> {
        self.refers
            .get(ns)
            .map(|r| r.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The value of `ns/name` for code running at compile time.
    pub fn compile_time_value(&self, ns: &str, name: &str) -> eval::Result<Form> {
        if ns == "clojure.core" && name == "*ns*" {
            return Ok(Form::value(FormKind::Symbol {
                ns: String::new(),
                name: self.current_ns.clone(),
            }));
        }
        if ns == "clojure.core" && name == "*clojure-version*" {
            // The page's (runtime/src/core.cpp): Clojure 1.11.1, for macros
            // that choose code by version, as tools.reader's compile-when.
            let int = |n| Form::value(FormKind::Int(n));
            return Ok(Form::value(FormKind::Map(vec![
                Form::keyword("major"),
                int(1),
                Form::keyword("minor"),
                int(11),
                Form::keyword("incremental"),
                int(1),
                Form::keyword("qualifier"),
                Form::value(FormKind::Nil),
            ])));
        }
        let Some(cell) = self.entry(ns, name).and_then(|e| e.value.as_ref()) else {
            return eval::error(format!(
                "{ns}/{name} has no value at compile time: it exists only in the page, and macros run in the compiler"
            ));
        };
        let pending = {
            let mut slot = cell.lock().map_err(|_| {
                eval::Thrown::Error(format!("{ns}/{name} is unusable after an earlier failure"))
            })?;
            match std::mem::replace(&mut *slot, CtValue::Evaluating) {
                CtValue::Ready(form) => {
                    *slot = CtValue::Ready(form.clone());
                    return Ok(form);
                }
                CtValue::Evaluating => {
                    return eval::error(format!(
                        "{ns}/{name} refers to itself while it is being defined"
                    ));
                }
                CtValue::Pending(expr) => expr,
            }
        };
        let result = Interp::new(self).eval_top(&pending);
        if let Ok(mut slot) = cell.lock() {
            *slot = match &result {
                Ok(form) => CtValue::Ready(form.clone()),
                Err(_) => CtValue::Pending(pending),
            };
        }
        result
    }
}

/// Whether metadata has `:<key>` truthy (`^:private`).
fn meta_flag(meta: &Form, key: &str) -> bool {
    meta_flag_in(meta, "", key)
}

/// Whether metadata has `:<ns>/<key>` truthy.
fn meta_flag_in(meta: &Form, ns: &str, key: &str) -> bool {
    match &*meta.kind {
        FormKind::Map(items) => items.chunks(2).any(|kv| {
            matches!(&*kv[0].kind, FormKind::Keyword { ns: n, name, .. } if n == ns && name == key)
                && kv.get(1).is_some_and(Form::truthy)
        }),
        _ => false,
    }
}

#[cfg(test)]
mod native_arglists {
    #[test]
    fn every_arglist_reads_as_a_list_of_vectors() {
        for (ns, name, arglists, _, _) in crate::arglists::ARGLISTS {
            let forms = crate::reader::read_all(arglists)
                .unwrap_or_else(|e| panic!("{ns}/{name}: {}", e.message));
            let lists = forms.first().and_then(|f| f.items());
            assert!(
                forms.len() == 1 && lists.is_some_and(|l| !l.is_empty()),
                "{ns}/{name}: {arglists}"
            );
        }
    }

    #[test]
    fn natives_have_them_in_the_knowledge() {
        let knowledge = crate::knowledge::Knowledge::default();
        let doc = knowledge.describe("user", "assoc").expect("assoc");
        assert_eq!(doc.arglists, ["[map key val]", "[map key val & kvs]"]);
        let inc = knowledge.describe("user", "inc").expect("inc");
        assert!(inc
            .doc
            .as_deref()
            .is_some_and(|d| d.starts_with("Returns a number one greater than num.")));
        // A prelude macro keeps its own docstring.
        let with_in_str = knowledge
            .describe("user", "with-in-str")
            .expect("with-in-str");
        assert!(with_in_str
            .doc
            .as_deref()
            .is_some_and(|d| d.contains("StringReader")));
    }
}

#[cfg(test)]
mod runtime_classes {
    /// RUNTIME_CLASSES is the runtime's class table, name for name.
    #[test]
    fn match_the_runtime_table() {
        let source = include_str!("../../runtime/src/classes.cpp");
        let table = &source[source.find("known_classes[] = {").expect("the table")..];
        let table = &table[..table.find("};").expect("its end")];
        let names: Vec<&str> = table
            .lines()
            .filter(|line| line.contains("\", true,") || line.contains("\", false,"))
            .filter_map(|line| line.trim().strip_prefix("{ \""))
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(names, super::RUNTIME_CLASSES);
    }

    #[test]
    fn resolve_by_full_and_simple_name() {
        assert!(super::is_runtime_class("String"));
        assert!(super::is_runtime_class("java.lang.String"));
        assert!(super::is_runtime_class("IPersistentMap"));
        assert!(!super::is_runtime_class("lang.String"));
        assert!(!super::is_runtime_class("Frobnicator"));
    }
}
