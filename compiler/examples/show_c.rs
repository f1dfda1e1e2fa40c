//! Prints the C a jank file (or `-e CODE`) compiles to, or the compile error:
//! `cargo run -p jank-hot-reload-compiler --example show_c -- -e '(when a b)'`.
use jank_hot_reload_compiler::{compile, Knowledge};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, file) = match args.as_slice() {
        [flag, code] if flag == "-e" => (code.clone(), None),
        [path] => match std::fs::read_to_string(path) {
            Ok(text) => (text, Some(path.clone())),
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(2);
            }
        },
        _ => {
            eprintln!("usage: show_c FILE.jank | show_c -e CODE");
            std::process::exit(2);
        }
    };
    let mut knowledge = Knowledge::default();
    match compile(&source, file.as_deref(), &mut knowledge) {
        Ok(unit) => println!("{}", unit.c_source.unwrap_or(unit.static_value)),
        Err(e) => {
            println!(
                "{} error at {}:{}: {}",
                e.phase,
                e.line.unwrap_or(0),
                e.column.unwrap_or(0),
                e.message
            );
            std::process::exit(1);
        }
    }
}
