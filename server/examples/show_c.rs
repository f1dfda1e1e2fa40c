//! Prints the C the jank compiler generates for a file: `cargo run --example show_c -- FILE`.
fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("usage: show_c FILE.jank"))?;
    let source = std::fs::read_to_string(&path)?;
    let mut knowledge = jank_hot_reload_server::jank::Knowledge::default();
    let unit = jank_hot_reload_server::jank::compile(&source, Some(&path), &mut knowledge)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{}", unit.c_source.unwrap_or_default());
    Ok(())
}
