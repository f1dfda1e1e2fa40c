//! The page's `^:dev/before-load` and `^:dev/after-load` vars, as every
//! eval's patch header lists them, follow each redefinition.

use jank_hot_reload_compiler::{compile, Knowledge, LoadHook};

fn eval(knowledge: &mut Knowledge, source: &str) {
    compile(source, None, knowledge).expect(source);
}

#[test]
fn hooks_follow_their_vars_metadata_across_redefinitions() {
    let mut knowledge = Knowledge::default();
    assert!(knowledge.hook_vars(LoadHook::AfterLoad).is_empty());
    eval(
        &mut knowledge,
        "(ns app.main) (defn ^:dev/after-load start [] 1)",
    );
    eval(&mut knowledge, "(defn ^{:dev/before-load true} stop [] 2)");
    eval(
        &mut knowledge,
        "(ns app.other) (defn ^:dev/after-load b [] 3) (defn ^{:dev/after-load false} c [] 4)",
    );
    assert_eq!(
        knowledge.hook_vars(LoadHook::AfterLoad),
        ["app.main/start", "app.other/b"]
    );
    assert_eq!(knowledge.hook_vars(LoadHook::BeforeLoad), ["app.main/stop"]);

    // Redefined without the flag: no longer a hook.
    eval(&mut knowledge, "(ns app.main) (defn start [] 5)");
    assert_eq!(knowledge.hook_vars(LoadHook::AfterLoad), ["app.other/b"]);
    // A macro is never called as a hook.
    eval(&mut knowledge, "(defmacro ^:dev/before-load stop [] 6)");
    assert!(knowledge.hook_vars(LoadHook::BeforeLoad).is_empty());
}
