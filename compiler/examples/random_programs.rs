//! Random kernel programs, for testing one backend against the other.
//!
//! `cargo run -p jank-hot-reload-compiler --example random_programs -- COUNT SEED`
//! prints COUNT programs, one per line: expressions built from the special
//! forms (`let*`-based `let`, `if`, `do`, `loop`/`recur`, `fn` and closures,
//! `try`, `case`), literals of several types, and clojure.core calls. The
//! generator is proptest's, driven by a fixed seed so a failure can be
//! replayed. Programs may fail at run time (overflow, divide by zero, a
//! string where a number goes); the backends must then fail alike.
//! `tests/corpus/random-programs.test.mjs` runs them through both backends.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

#[derive(Debug, Clone)]
enum Node {
    Int(i64),
    Str(String),
    Keyword(String),
    Nil,
    Bool(bool),
    /// A local in scope, by index modulo the scope (a literal if none).
    Local(usize),
    Call(&'static str, Vec<Node>),
    If(&'static str, Box<Node>, Box<Node>, Box<Node>, Box<Node>),
    Let(Box<Node>, Box<Node>),
    Do(Vec<Node>),
    /// `(loop [i 0 acc init] (if (< i n) (recur (inc i) (op acc i)) acc))`.
    Loop(Box<Node>, u8, &'static str),
    /// `((fn [x] body) arg)`: body sees x and every outer local.
    Apply(Box<Node>, Box<Node>),
    Try(Box<Node>, Box<Node>),
    Case(Box<Node>, Vec<(i64, Node)>, Box<Node>),
    Vector(Vec<Node>),
}

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        4 => (-20i64..20).prop_map(Node::Int),
        1 => prop_oneof![Just(i64::MAX), Just(i64::MIN), Just(1i64 << 40)].prop_map(Node::Int),
        1 => "[a-z☃é ]{0,4}".prop_map(Node::Str),
        1 => "[a-z]{1,3}".prop_map(Node::Keyword),
        1 => Just(Node::Nil),
        1 => any::<bool>().prop_map(Node::Bool),
        5 => (0usize..8).prop_map(Node::Local),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        let two = (inner.clone(), inner.clone());
        prop_oneof![
            3 => (prop_oneof![Just("+"), Just("-"), Just("*"), Just("quot"), Just("max"), Just("str"), Just("=")], prop::collection::vec(inner.clone(), 1..4))
                .prop_map(|(f, args)| Node::Call(f, args)),
            1 => (prop_oneof![Just("inc"), Just("count"), Just("vector"), Just("list"), Just("nil?")], inner.clone())
                .prop_map(|(f, a)| Node::Call(f, vec![a])),
            2 => (prop_oneof![Just("<"), Just("="), Just(">=")], inner.clone(), inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(op, a, b, t, e)| Node::If(op, Box::new(a), Box::new(b), Box::new(t), Box::new(e))),
            2 => two.clone().prop_map(|(v, body)| Node::Let(Box::new(v), Box::new(body))),
            1 => prop::collection::vec(inner.clone(), 1..4).prop_map(Node::Do),
            1 => (inner.clone(), 0u8..50, prop_oneof![Just("+"), Just("-"), Just("max")])
                .prop_map(|(init, n, op)| Node::Loop(Box::new(init), n, op)),
            2 => two.clone().prop_map(|(body, arg)| Node::Apply(Box::new(body), Box::new(arg))),
            1 => two.clone().prop_map(|(body, handler)| Node::Try(Box::new(body), Box::new(handler))),
            1 => (inner.clone(), prop::collection::vec((-3i64..3, inner.clone()), 1..4), inner.clone())
                .prop_map(|(test, clauses, default)| Node::Case(Box::new(test), clauses, Box::new(default))),
            1 => prop::collection::vec(inner, 0..4).prop_map(Node::Vector),
        ]
    })
}

/// Prints `node` as jank with `scope` the locals in scope, innermost last.
fn print(node: &Node, scope: &mut Vec<String>, out: &mut String) {
    match node {
        Node::Int(v) => out.push_str(&v.to_string()),
        Node::Str(s) => out.push_str(&format!("{s:?}")),
        Node::Keyword(k) => out.push_str(&format!(":{k}")),
        Node::Nil => out.push_str("nil"),
        Node::Bool(b) => out.push_str(&b.to_string()),
        Node::Local(i) => match scope.len() {
            0 => out.push_str(&i.to_string()),
            n => out.push_str(&scope[n - 1 - i % n]),
        },
        Node::Call(f, args) => {
            out.push('(');
            out.push_str(f);
            for a in args {
                out.push(' ');
                print(a, scope, out);
            }
            out.push(')');
        }
        Node::If(op, a, b, t, e) => {
            out.push_str(&format!("(if (try ({op} "));
            print(a, scope, out);
            out.push(' ');
            print(b, scope, out);
            out.push_str(") (catch Exception _ false)) ");
            print(t, scope, out);
            out.push(' ');
            print(e, scope, out);
            out.push(')');
        }
        Node::Let(v, body) => {
            let name = format!("l{}", scope.len());
            out.push_str(&format!("(let [{name} "));
            print(v, scope, out);
            out.push_str("] ");
            scope.push(name);
            print(body, scope, out);
            scope.pop();
            out.push(')');
        }
        Node::Do(items) => {
            out.push_str("(do");
            for i in items {
                out.push(' ');
                print(i, scope, out);
            }
            out.push(')');
        }
        Node::Loop(init, n, op) => {
            let (i, acc) = (format!("i{}", scope.len()), format!("a{}", scope.len()));
            out.push_str(&format!("(loop [{i} 0 {acc} "));
            print(init, scope, out);
            out.push_str(&format!(
                "] (if (< {i} {n}) (recur (inc {i}) ({op} {acc} {i})) {acc}))"
            ));
        }
        Node::Apply(body, arg) => {
            let name = format!("p{}", scope.len());
            out.push_str(&format!("((fn [{name}] "));
            scope.push(name);
            print(body, scope, out);
            scope.pop();
            out.push_str(") ");
            print(arg, scope, out);
            out.push(')');
        }
        Node::Try(body, handler) => {
            out.push_str("(try ");
            print(body, scope, out);
            out.push_str(" (catch Exception e ");
            print(handler, scope, out);
            out.push_str("))");
        }
        Node::Case(test, clauses, default) => {
            out.push_str("(case ");
            print(test, scope, out);
            let mut seen = Vec::new();
            for (k, v) in clauses {
                if seen.contains(k) {
                    continue;
                }
                seen.push(*k);
                out.push_str(&format!(" {k} "));
                print(v, scope, out);
            }
            out.push(' ');
            print(default, scope, out);
            out.push(')');
        }
        Node::Vector(items) => {
            out.push('[');
            for (k, i) in items.iter().enumerate() {
                if k > 0 {
                    out.push(' ');
                }
                print(i, scope, out);
            }
            out.push(']');
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = node();
    for _ in 0..count {
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            eprintln!("the generator failed");
            std::process::exit(1);
        };
        let mut text = String::new();
        print(&tree.current(), &mut Vec::new(), &mut text);
        println!("{text}");
    }
}
