//! The source path: where `require` of a namespace nobody has evaluated yet
//! finds its file, as Clojure's classpath. `my.app-util` is
//! `my/app_util.jank`, or `.cljc`, under the first directory that has it.

use std::path::PathBuf;

use crate::jank::knowledge::{LibSource, SourceLoader};

pub(crate) struct SourcePath {
    dirs: Vec<PathBuf>,
}

impl SourcePath {
    pub(crate) fn new(dirs: Vec<PathBuf>) -> Self {
        Self { dirs }
    }

    /// The file a namespace lives in, relative to a source directory; None
    /// for a name that could step outside one.
    fn relative_path(ns: &str) -> Option<String> {
        let valid = |segment: &str| {
            !segment.is_empty()
                && segment.chars().all(|c| {
                    c.is_alphanumeric()
                        || matches!(c, '-' | '_' | '!' | '?' | '*' | '+' | '<' | '>' | '=')
                })
        };
        ns.split('.')
            .all(valid)
            .then(|| ns.replace('.', "/").replace('-', "_"))
    }
}

impl SourceLoader for SourcePath {
    fn source_of(&self, ns: &str) -> Option<LibSource> {
        let relative = Self::relative_path(ns)?;
        for dir in &self.dirs {
            for extension in ["jank", "cljc"] {
                let file = dir.join(format!("{relative}.{extension}"));
                if let Ok(text) = std::fs::read_to_string(&file) {
                    return Some(LibSource {
                        file: file.display().to_string(),
                        text,
                    });
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_map_to_files_and_never_outside() {
        assert_eq!(
            SourcePath::relative_path("my.app-util").as_deref(),
            Some("my/app_util")
        );
        assert_eq!(SourcePath::relative_path("demo").as_deref(), Some("demo"));
        assert_eq!(SourcePath::relative_path("a..b"), None);
        assert_eq!(SourcePath::relative_path("a/../b"), None);
        assert_eq!(SourcePath::relative_path(".hidden"), None);
    }

    #[test]
    fn the_first_directory_with_the_file_wins() {
        let first = tempfile::tempdir().expect("a temp dir");
        let second = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(second.path().join("my")).expect("mkdir");
        std::fs::write(second.path().join("my/lib.cljc"), "(ns my.lib)").expect("write");
        let path = SourcePath::new(vec![first.path().into(), second.path().into()]);
        let found = path
            .source_of("my.lib")
            .expect("found in the second directory");
        assert_eq!(found.text, "(ns my.lib)");
        assert!(found.file.ends_with("my/lib.cljc"), "{}", found.file);
        assert!(path.source_of("my.other").is_none());
    }
}
