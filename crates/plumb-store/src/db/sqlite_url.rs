//! Where a SQLite database is and how to open it, from its `sqlite:` URL.

use std::path::PathBuf;

use plumb_core::StoreError;
use plumb_core::store::StoreResult;

use super::sqlite::OpenMode;

/// Where the database is and how to open it, from a `sqlite:` URL.
#[derive(Debug, Clone)]
pub(super) struct Options {
    pub(super) path: PathBuf,
    pub(super) create: bool,
}

impl Options {
    /// Reads `sqlite://PATH` or `sqlite:PATH`, with an optional `?mode=rw|rwc`. The path may
    /// be percent-encoded (for `?` or `#` in a file name).
    pub(super) fn parse(url: &str, mode: OpenMode) -> StoreResult<Options> {
        let rest = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| config_error("a SQLite URL starts with sqlite://"))?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        if path.is_empty() || path == ":memory:" {
            return Err(config_error(
                "plumb keeps its data in a file: use sqlite://PATH",
            ));
        }
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| config_error("the database path is not UTF-8"))?;
        let mut create = mode == OpenMode::CreateIfMissing;
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            match pair {
                "mode=rw" => {}
                "mode=rwc" => create = true,
                other => return Err(config_error(&format!("unsupported URL parameter {other}"))),
            }
        }
        Ok(Options {
            path: PathBuf::from(path.into_owned()),
            create,
        })
    }
}

fn config_error(message: &str) -> StoreError {
    StoreError::Unavailable(message.to_owned().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_a_file_and_may_ask_for_creation() {
        let options =
            Options::parse("sqlite:///var/lib/plumb/plumb.db", OpenMode::Existing).unwrap();
        assert_eq!(options.path, PathBuf::from("/var/lib/plumb/plumb.db"));
        assert!(!options.create);
        let options =
            Options::parse("sqlite:data/my%20db.db?mode=rwc", OpenMode::Existing).unwrap();
        assert_eq!(options.path, PathBuf::from("data/my db.db"));
        assert!(options.create);
        assert!(
            Options::parse("sqlite://x.db", OpenMode::CreateIfMissing)
                .unwrap()
                .create
        );
    }

    #[test]
    fn memory_databases_and_unknown_parameters_are_refused() {
        assert!(Options::parse("sqlite::memory:", OpenMode::CreateIfMissing).is_err());
        assert!(Options::parse("sqlite://x.db?cache=shared", OpenMode::Existing).is_err());
        assert!(Options::parse("postgres://x", OpenMode::Existing).is_err());
    }
}
