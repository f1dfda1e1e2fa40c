//! Builds the fork-server shim (native/forkserver.c) that the compile pipeline
//! preloads into clang and wasm-ld. Where it cannot be built, the server
//! compiles by spawning the tools directly, which is slower but equivalent.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=native/forkserver.c");
    println!("cargo:rustc-check-cfg=cfg(jhr_forkserver)");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os != "linux" || target_env != "gnu" {
        return;
    }
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let built = Command::new(&cc)
        .args(["-shared", "-fPIC", "-O2", "-Wall", "-o"])
        .arg(out.join("libjhr_forkserver.so"))
        .arg("native/forkserver.c")
        .arg("-ldl")
        .status();
    match built {
        Ok(status) if status.success() => println!("cargo:rustc-cfg=jhr_forkserver"),
        _ => println!(
            "cargo:warning=could not build the compile fork server with {cc}; \
             compiles will spawn clang and wasm-ld each time"
        ),
    }
}
